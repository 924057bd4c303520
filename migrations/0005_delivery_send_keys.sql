-- Delivery never doubles or drops (issue 10). Once a recipient has been handed to the provider
-- under an idempotency key, whether that request went through may be unknown (its answer lost,
-- 5xx, a consumer that died). Such a recipient is re-sent only under the same key and as the
-- same bytes, whoever sends it next: a retry, a re-send after the dead-letter queue, or a chunk
-- that takes over a stale claim. The provider then answers the first request's result instead
-- of sending a second copy.

-- The idempotency key the recipient was (or is being) sent under: set once, before the first
-- attempt, for every recipient of the batch together, and never changed for that digest. Every
-- recipient with the same key is one provider batch.
ALTER TABLE deliveries ADD COLUMN send_key TEXT;
-- When that batch was first attempted: every message's Date header (the same on each retry).
ALTER TABLE deliveries ADD COLUMN attempted_at TEXT;

-- A chunk that re-sends a batch claims every recipient of it (delivery/deliveries.ts).
CREATE INDEX deliveries_send_key ON deliveries (week, send_key) WHERE send_key IS NOT NULL;
