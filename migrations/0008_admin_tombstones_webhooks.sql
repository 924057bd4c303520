-- Deleted subscribers and the provider's webhook deliveries (issue 11).

-- An address the operator deleted: only the SHA-256 (hex) of its normalized form is kept, so the
-- address itself is gone (GDPR erasure) while no sign-up or send can reach it again.
CREATE TABLE subscriber_tombstones (
  email_sha256  TEXT PRIMARY KEY,
  deleted_at    TEXT NOT NULL
);

-- Webhook messages already handled, by their svix-id: the provider retries a message until it
-- gets a 2xx, and a replayed or retried one must change nothing.
CREATE TABLE webhook_events (
  id           TEXT PRIMARY KEY,
  received_at  TEXT NOT NULL
);
CREATE INDEX webhook_events_received ON webhook_events (received_at);

-- Consent records are stripped of their IP addresses after CONSENT_IP_RETENTION_DAYS.
CREATE INDEX consents_requested_at ON consents (requested_at);
