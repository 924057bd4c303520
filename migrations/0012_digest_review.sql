-- The review gate (issue 16): a digest with an item a program extracted waits for a person
-- before it is mailed (DIGEST_SEND, src/digest/review.ts). One row per week the gate has held or
-- a person has approved. Every hash is a digests.content_hash: an approval is for those exact
-- bytes, so a rebuild that changes the digest (a new content_hash) asks again.
CREATE TABLE digest_reviews (
  week           TEXT PRIMARY KEY REFERENCES digests (week),
  -- The version the gate last held, and when it first held that version.
  held_hash      TEXT,
  held_at        TEXT,
  -- The version ADMIN_EMAIL was told about: one notice per waiting version, not one per cron run.
  noticed_hash   TEXT,
  -- The version a person approved, who (the admin login's user name) and when.
  approved_hash  TEXT,
  approved_by    TEXT,
  approved_at    TEXT
);
