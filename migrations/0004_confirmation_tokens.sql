-- Several confirmation links per address (issue 10). The single token in subscribers was
-- overwritten by every sign-up, so a second sign-up killed the first email's link; each link
-- now has its own row, tied to the opt-in request (consent row) it confirms, and stays valid
-- until it expires or one of the address's links is used.

CREATE TABLE confirmation_tokens (
  -- SHA-256 (hex) of the random token in the link; the token itself is never stored.
  token_hash     TEXT PRIMARY KEY,
  subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id),
  -- The opt-in request this link confirms: its consent row is completed when it is used.
  consent_id     INTEGER NOT NULL UNIQUE REFERENCES consents (id),
  expires_at     TEXT NOT NULL
);
CREATE INDEX confirmation_tokens_subscriber ON confirmation_tokens (subscriber_id);
CREATE INDEX confirmation_tokens_expires ON confirmation_tokens (expires_at);

-- One consent row per confirmation email sent: the per-address sending limit counts them by
-- subscriber and time.
CREATE INDEX consents_subscriber_requested ON consents (subscriber_id, requested_at);

-- Links mailed before this migration keep working until they expire.
INSERT INTO confirmation_tokens (token_hash, subscriber_id, consent_id, expires_at)
SELECT s.confirm_token_hash, s.id,
       (SELECT max(c.id) FROM consents c WHERE c.subscriber_id = s.id), s.confirm_expires_at
FROM subscribers s
WHERE s.status = 'pending' AND s.confirm_token_hash IS NOT NULL
  AND s.confirm_expires_at IS NOT NULL
  AND EXISTS (SELECT 1 FROM consents c WHERE c.subscriber_id = s.id);

-- subscribers.confirm_token_hash and confirm_expires_at are no longer read or written (SQLite
-- cannot drop a UNIQUE column); emptied so that no token lives in two places.
UPDATE subscribers SET confirm_token_hash = NULL, confirm_expires_at = NULL
WHERE confirm_token_hash IS NOT NULL OR confirm_expires_at IS NOT NULL;
