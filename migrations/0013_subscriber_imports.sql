-- Subscriber imports (issue 18): a list brought from elsewhere, its rows' extra columns, and the
-- confirmation emails it owes.

-- One row per import that added someone. `import_key` is the SHA-256 of the file's bytes and of
-- the consent given with it: running the same import again finds its own row, so a run that
-- stopped half-way is completed by running it again, and a finished one changes nothing.
CREATE TABLE subscriber_imports (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  import_key    TEXT NOT NULL UNIQUE,
  -- The file's name as the operator gave it.
  source        TEXT NOT NULL,
  -- Who ran it: the CLI's operator (git user or $USER) or "admin (upload)".
  imported_by   TEXT NOT NULL,
  imported_at   TEXT NOT NULL,
  -- --consented: where and when the people on the list opted in, in the operator's words. Set:
  -- they were active at once. NULL: each was sent a confirmation email instead.
  consent_note  TEXT
);

-- The subscribers an import created (NULL: a sign-up). Only the import's own rows get its
-- consent records and columns, even if a sign-up of the same address raced it.
ALTER TABLE subscribers ADD COLUMN import_id INTEGER REFERENCES subscriber_imports (id);

-- The consent record of an imported subscriber points at its import (who, from where, when).
ALTER TABLE consents ADD COLUMN import_id INTEGER REFERENCES subscriber_imports (id);

-- Each imported row as the file had it: the address, and the columns the subscriber model has
-- no place for yet (name, the original sign-up date, topics as a JSON array). Written first, as
-- the import's staging: the subscribers and their consent records are made from these rows in
-- the import's last statements, so a run that stops before them has added nobody. Rows of an
-- address whose subscriber was not created by this import (a sign-up raced it) describe nobody.
-- Deleted with the subscriber (by address).
CREATE TABLE subscriber_import_rows (
  import_id      INTEGER NOT NULL REFERENCES subscriber_imports (id),
  email          TEXT NOT NULL,
  -- The physical line of the file the row started on.
  line           INTEGER NOT NULL,
  name           TEXT,
  subscribed_at  TEXT,
  topics         TEXT,
  PRIMARY KEY (import_id, email)
);
CREATE INDEX subscriber_import_rows_email ON subscriber_import_rows (email);

-- The confirmation emails an import without --consented owes, one per opt-in request (consent
-- row). queued_at: handed to the queue (by the upload, or /admin's button after a CLI import);
-- mailed_at: the consumer claimed it and sent it, so a retried or repeated message sends nothing.
CREATE TABLE import_confirmations (
  consent_id  INTEGER PRIMARY KEY REFERENCES consents (id),
  import_id   INTEGER NOT NULL REFERENCES subscriber_imports (id),
  queued_at   TEXT,
  mailed_at   TEXT
);
CREATE INDEX import_confirmations_waiting ON import_confirmations (import_id, queued_at);
