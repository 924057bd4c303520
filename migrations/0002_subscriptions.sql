-- Subscribers, their consent, per-recipient deliveries, the local outbox and a rate-limit window.

CREATE TABLE subscribers (
  id                  INTEGER PRIMARY KEY,
  -- Normalized address (trimmed, lowercased); one row per address, ever.
  email               TEXT NOT NULL UNIQUE,
  -- pending: asked, not confirmed. active: confirmed. unsubscribed / bounced / complained:
  -- suppressed, never sent to; coming back from unsubscribed needs a new opt-in.
  status              TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  -- SHA-256 (hex) of the single-use confirmation token, and when it expires; null once used.
  confirm_token_hash  TEXT UNIQUE,
  confirm_expires_at  TEXT
);
CREATE INDEX subscribers_status_id ON subscribers (status, id);

-- Proof of consent: one row per opt-in request, completed when confirmed.
CREATE TABLE consents (
  id                    INTEGER PRIMARY KEY,
  subscriber_id         INTEGER NOT NULL REFERENCES subscribers (id),
  email                 TEXT NOT NULL,
  requested_at          TEXT NOT NULL,
  request_ip            TEXT,
  form                  TEXT NOT NULL,
  consent_text_version  TEXT NOT NULL,
  confirmed_at          TEXT,
  confirm_ip            TEXT
);
CREATE INDEX consents_subscriber ON consents (subscriber_id);

-- One row per (digest, subscriber): claimed by the queue message (chunk) sending it, then sent.
-- The primary key is what makes every digest reach each subscriber at most once.
CREATE TABLE deliveries (
  week           TEXT NOT NULL REFERENCES digests (week),
  subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id),
  status         TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
  chunk_key      TEXT NOT NULL,
  claimed_at     TEXT NOT NULL,
  sent_at        TEXT,
  message_id     TEXT,
  PRIMARY KEY (week, subscriber_id)
);
CREATE INDEX deliveries_chunk ON deliveries (week, chunk_key, status);

-- The local outbox transport: every message the product would have sent. Bodies are stored
-- gzipped (base64): a digest is ~40 KB of HTML per recipient, and D1 caps a value at 2 MB and
-- a database at 10 GB. The raw .eml is rebuilt from the row on request.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  created_at       TEXT NOT NULL,
  -- Same key + recipient is the same message: a retried send adds nothing.
  idempotency_key  TEXT NOT NULL,
  to_addr          TEXT NOT NULL,
  subject          TEXT NOT NULL,
  -- Every header as sent (From, To, Subject, Date, Message-ID, List-Unsubscribe, …).
  headers_json     TEXT NOT NULL,
  -- base64(gzip(JSON {"text": …, "html": …})).
  body_gzip        TEXT NOT NULL,
  UNIQUE (idempotency_key, to_addr)
);

-- Fixed-window request counts per client (POST /subscribe).
CREATE TABLE rate_limits (
  key           TEXT NOT NULL,
  window_start  INTEGER NOT NULL,
  count         INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);
