-- Issue 18: when a week's digest goes out, and the editor's own words for a week.
--
-- digest_schedules: one row per week whose send is planned. The cron adds the week that just
-- ended at DIGEST_SEND_AT (origin 'auto'); the admin's "send later" sets any time (origin
-- 'admin'). Stored here, a plan survives redeploys. The cron claims a due row with one UPDATE
-- (state 'scheduled' -> 'claimed'), so two overlapping cron runs never both send it.
--   scheduled: waits for send_at          cancelled: the admin cancelled it before it started
--   claimed:   a cron run is sending it   waiting:   the review gate held it at its time; it goes
--   done:      sent (or nothing to send)             as soon as a person approves it
CREATE TABLE digest_schedules (
  week         TEXT PRIMARY KEY,
  -- Milliseconds since the epoch (UTC).
  send_at      INTEGER NOT NULL,
  origin       TEXT NOT NULL CHECK (origin IN ('auto', 'admin')),
  state        TEXT NOT NULL DEFAULT 'scheduled'
               CHECK (state IN ('scheduled', 'cancelled', 'claimed', 'waiting', 'done')),
  -- The admin login that set or cancelled it; null for the cron's own.
  changed_by   TEXT,
  updated_at   TEXT NOT NULL,
  claimed_at   TEXT
);
CREATE INDEX digest_schedules_due ON digest_schedules (state, send_at);

-- editor_issues: content/issues/{week}.md as published (npm run publish replaces them all: a
-- removed file is a removed row). The digest of the week shows the introduction at its top and
-- the email takes its subject line and preheader.
CREATE TABLE editor_issues (
  week         TEXT PRIMARY KEY,
  subject      TEXT NOT NULL,
  preheader    TEXT,
  -- The introduction, Markdown rendered and sanitised as article bodies are.
  intro_html   TEXT NOT NULL,
  -- The same as paragraphs of text runs with optional links, for the email (which escapes
  -- every value: no HTML from content enters it unescaped).
  intro_json   TEXT NOT NULL,
  source_file  TEXT NOT NULL
);
