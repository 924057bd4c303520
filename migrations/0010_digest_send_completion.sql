-- A digest whose send is complete is marked sent, with the time (issue 15). The producer set
-- 'sending' and nothing ever set 'sent': after 97,500 of 97,500 messages had gone, the admin
-- still showed 'sending'. Completion is known by the queue messages (chunks) of the send: each
-- is recorded when enqueued and marked when its consumer is done with it, and the chunk that
-- leaves none outstanding marks the digest sent (src/delivery/send-progress.ts).

-- When the digest's last send completed; null while it is being sent or was never sent.
ALTER TABLE digests ADD COLUMN sent_at TEXT;

-- One row per enqueued chunk of a send. pending: enqueued, not finished (retries included).
-- done: every recipient it held was sent (or was no longer active). failed: it gave up (the
-- provider refused a batch, or the dead-letter queue released it); a later send of the week
-- covers its recipients and drops the row.
CREATE TABLE digest_chunks (
  chunk_key  TEXT PRIMARY KEY,
  week       TEXT NOT NULL REFERENCES digests (week),
  state      TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed'))
);
CREATE INDEX digest_chunks_week_state ON digest_chunks (week, state);
