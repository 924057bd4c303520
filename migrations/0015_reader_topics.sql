-- Reader topics and pauses (issue 18). A reader gets everything (the default) or only the tags
-- and developing stories they chose, and may pause the digest for a few weeks; both are chosen
-- at sign-up or on the preferences page their digest links to (src/routes/preferences.ts).

-- NULL: everything. Else the chosen topics as a JSON array of "tag:<tag>" / "story:<id>",
-- sorted and without duplicates, so equal choices are equal strings: the producer groups
-- recipients by this value and the consumer renders each distinct value once.
ALTER TABLE subscribers ADD COLUMN topics TEXT CHECK (topics IS NULL OR json_valid(topics));
-- No digest is sent before this instant (ISO 8601); NULL: not paused.
ALTER TABLE subscribers ADD COLUMN paused_until TEXT;

-- What the sign-up form asked for (same encoding); applied when that request is confirmed.
ALTER TABLE consents ADD COLUMN topics TEXT CHECK (topics IS NULL OR json_valid(topics));

-- Part of the consent record: every change of what a reader receives, with where it came from
-- (the confirmed sign-up, the preferences page, an import) and what it became.
CREATE TABLE preference_changes (
  id             INTEGER PRIMARY KEY,
  subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id),
  changed_at     TEXT NOT NULL,
  source         TEXT NOT NULL,
  -- The topics after the change (NULL: everything).
  topics         TEXT,
  -- The pause after the change (NULL: none).
  paused_until   TEXT
);
CREATE INDEX preference_changes_subscriber ON preference_changes (subscriber_id);

-- The topics a recipient's copy was made for, recorded with its send key (before the first
-- attempt) and kept with it: a batch re-sent under its key is the same variant, whatever the
-- reader chose since. NULL: everything.
ALTER TABLE deliveries ADD COLUMN variant TEXT;
