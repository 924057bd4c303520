-- The delivery report (issue 18): what happened after a digest was sent, without tracking
-- (no pixels, no rewritten links). Bounces and complaints come by the provider's webhook and
-- unsubscribes by the reader's own link; each is put down to one digest: the one the provider's
-- event names (its Message-ID carries the week), else the last digest sent to that subscriber.
CREATE TABLE delivery_events (
  week           TEXT NOT NULL,
  subscriber_id  INTEGER NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('bounced', 'complained', 'unsubscribed')),
  at             TEXT NOT NULL,
  PRIMARY KEY (week, subscriber_id, kind)
);
