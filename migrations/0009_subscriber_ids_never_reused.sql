-- Subscriber ids are never reused (issue 15). `id INTEGER PRIMARY KEY` without AUTOINCREMENT lets
-- SQLite hand out max(id) + 1, so after the operator deleted the newest subscriber the next
-- sign-up got the deleted one's id, and with it the same unsubscribe token (an HMAC of the id
-- alone): the deleted person's old link unsubscribed the newcomer and showed their address.
--
-- The table is rebuilt with AUTOINCREMENT (https://www.sqlite.org/autoinc.html: an id is never
-- handed out twice, even after the row holding the largest one is deleted), keeping every row and
-- id, so the consents, deliveries and confirmation links that point at them still do. D1 keeps
-- foreign keys on, so they are checked at the end of the migration's transaction instead: the
-- drop leaves the children pointing at no row for a moment, and putting each parent row back
-- settles its children again (a rename would not: hence a copy, and the rows copied back).
PRAGMA defer_foreign_keys = true;

CREATE TABLE subscribers_before_0009 AS SELECT * FROM subscribers;
DROP TABLE subscribers;

CREATE TABLE subscribers (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  -- Normalized address (trimmed, lowercased); one row per address, ever.
  email               TEXT NOT NULL UNIQUE,
  -- pending: asked, not confirmed. active: confirmed. unsubscribed / bounced / complained:
  -- suppressed, never sent to; coming back from unsubscribed needs a new opt-in.
  status              TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  -- Unused since 0004 (kept as they were: always null).
  confirm_token_hash  TEXT UNIQUE,
  confirm_expires_at  TEXT,
  -- 1: the unsubscribe links mailed before this migration (an HMAC of the id alone) still
  -- unsubscribe this subscriber, because nobody held its id before: it was created before the
  -- operator's first deletion. New links are bound to the id and the address
  -- (src/subscriptions/tokens.ts), so they cannot act on anyone else whatever the ids.
  -- 0: a deletion came first, so the id may have been the deleted person's, and an old link is
  -- refused rather than risk acting on someone else: the next digest brings a new one.
  legacy_unsubscribe  INTEGER NOT NULL DEFAULT 0 CHECK (legacy_unsubscribe IN (0, 1))
);

INSERT INTO subscribers
  (id, email, status, created_at, updated_at, confirm_token_hash, confirm_expires_at, legacy_unsubscribe)
SELECT s.id, s.email, s.status, s.created_at, s.updated_at, s.confirm_token_hash, s.confirm_expires_at,
       NOT EXISTS (SELECT 1 FROM subscriber_tombstones t WHERE t.deleted_at <= s.created_at)
FROM subscribers_before_0009 s ORDER BY s.id;

DROP TABLE subscribers_before_0009;
CREATE INDEX subscribers_status_id ON subscribers (status, id);

-- The next id must be above every id ever handed out, deleted rows' included. Ids came as
-- max(id) + 1 and each deletion left one tombstone, so no id ever went above the largest kept
-- one plus the number of deletions.
INSERT INTO sqlite_sequence (name, seq)
SELECT 'subscribers', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'subscribers');
UPDATE sqlite_sequence
SET seq = (SELECT coalesce(max(id), 0) FROM subscribers) + (SELECT count(*) FROM subscriber_tombstones)
WHERE name = 'subscribers';
