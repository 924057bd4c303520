-- One row per ISO week that has articles: the weekly "axis developments" digest.
-- Applied the same way everywhere: `wrangler d1 migrations apply DB --local` (npm start,
-- npm run digest), applyD1Migrations in tests, `--remote` on deploy.
CREATE TABLE digests (
  -- ISO week in the configured time zone, e.g. '2024-W43'. One digest per week, ever.
  week          TEXT PRIMARY KEY CHECK (week GLOB '[0-9][0-9][0-9][0-9]-W[0-5][0-9]'),
  -- Permanent id of the digest: its guid / Atom id / JSON Feed id in the digest feeds.
  id            TEXT NOT NULL UNIQUE,
  -- 'built': summarized and rendered; later stages (sending) add their own states.
  status        TEXT NOT NULL DEFAULT 'built' CHECK (status IN ('built', 'sending', 'sent')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  time_zone     TEXT NOT NULL,
  article_count INTEGER NOT NULL CHECK (article_count > 0),
  -- DigestSummary as JSON (src/digest/model.ts).
  summary_json  TEXT NOT NULL,
  -- The email exactly as rendered, with the per-recipient unsubscribe slot unfilled.
  html          TEXT NOT NULL,
  text          TEXT NOT NULL,
  -- SHA-256 of summary + html + text: the strong ETag of everything derived from this row.
  content_hash  TEXT NOT NULL
);
