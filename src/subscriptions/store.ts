/** Subscribers and consent records (migrations/0002_subscriptions.sql): every query, typed. */

export type SubscriberStatus = "pending" | "active" | "unsubscribed" | "bounced" | "complained";

export interface ConsentRequest {
  readonly ip: string | null;
  readonly form: string;
  readonly consentTextVersion: string;
}

/**
 * Records an opt-in request: creates the subscriber as pending (or returns an unsubscribed one
 * to pending: coming back needs a new confirmation), sets a fresh confirmation token hash and
 * adds a consent row. Active and suppressed (bounced, complained) addresses are left as they are.
 * Returns the subscriber id when a confirmation email should be sent.
 */
export async function recordOptInRequest(
  db: D1Database,
  email: string,
  tokenHash: string,
  expiresAt: Date,
  consent: ConsentRequest,
  now: Date,
): Promise<number | null> {
  const at = now.toISOString();
  const row = await db
    .prepare(
      `INSERT INTO subscribers (email, status, created_at, updated_at, confirm_token_hash, confirm_expires_at)
       VALUES (?1, 'pending', ?2, ?2, ?3, ?4)
       ON CONFLICT (email) DO UPDATE SET status = 'pending', updated_at = ?2, confirm_token_hash = ?3, confirm_expires_at = ?4
         WHERE subscribers.status IN ('pending', 'unsubscribed')
       RETURNING id`,
    )
    .bind(email, at, tokenHash, expiresAt.toISOString())
    .first<{ id: number }>();
  if (!row) return null;
  await db
    .prepare(
      "INSERT INTO consents (subscriber_id, email, requested_at, request_ip, form, consent_text_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(row.id, email, at, consent.ip, consent.form, consent.consentTextVersion)
    .run();
  return row.id;
}

export type ConfirmResult =
  { ok: true; email: string } | { ok: false; reason: "unknown" | "expired" };

/** Confirms the pending subscriber holding this token hash, once; completes its consent row. */
export async function confirmByTokenHash(
  db: D1Database,
  tokenHash: string,
  ip: string | null,
  now: Date,
): Promise<ConfirmResult> {
  const at = now.toISOString();
  const pending = await db
    .prepare(
      "SELECT id, email, confirm_expires_at FROM subscribers WHERE confirm_token_hash = ?1 AND status = 'pending'",
    )
    .bind(tokenHash)
    .first<{ id: number; email: string; confirm_expires_at: string }>();
  if (!pending) return { ok: false, reason: "unknown" };
  if (pending.confirm_expires_at <= at) return { ok: false, reason: "expired" };
  // Conditional on the same token still being there: two concurrent confirmations, one wins.
  const [updated] = await db.batch([
    db
      .prepare(
        "UPDATE subscribers SET status = 'active', updated_at = ?2, confirm_token_hash = NULL, confirm_expires_at = NULL WHERE id = ?1 AND confirm_token_hash = ?3 AND status = 'pending'",
      )
      .bind(pending.id, at, tokenHash),
    db
      .prepare(
        "UPDATE consents SET confirmed_at = ?2, confirm_ip = ?3 WHERE id = (SELECT max(id) FROM consents WHERE subscriber_id = ?1) AND confirmed_at IS NULL",
      )
      .bind(pending.id, at, ip),
  ]);
  return updated!.meta.changes === 1
    ? { ok: true, email: pending.email }
    : { ok: false, reason: "unknown" };
}

/** Unsubscribes at once; suppressed addresses stay suppressed. Returns the address, if any. */
export async function unsubscribeById(
  db: D1Database,
  id: number,
  now: Date,
): Promise<string | null> {
  const row = await db
    .prepare(
      `UPDATE subscribers SET status = 'unsubscribed', updated_at = ?2, confirm_token_hash = NULL, confirm_expires_at = NULL
       WHERE id = ?1 AND status IN ('pending', 'active') RETURNING email`,
    )
    .bind(id, now.toISOString())
    .first<{ email: string }>();
  if (row) return row.email;
  const existing = await db
    .prepare("SELECT email FROM subscribers WHERE id = ?1")
    .bind(id)
    .first<{ email: string }>();
  return existing?.email ?? null;
}

/** Marks addresses the provider reported as bounced or complaining: never sent to again. */
export async function suppress(
  db: D1Database,
  email: string,
  status: "bounced" | "complained",
  now: Date,
): Promise<boolean> {
  const r = await db
    .prepare(
      "UPDATE subscribers SET status = ?2, updated_at = ?3, confirm_token_hash = NULL, confirm_expires_at = NULL WHERE email = ?1",
    )
    .bind(email, status, now.toISOString())
    .run();
  return r.meta.changes === 1;
}

export async function countSubscribersByStatus(
  db: D1Database,
): Promise<Record<SubscriberStatus, number>> {
  const { results } = await db
    .prepare("SELECT status, count(*) AS n FROM subscribers GROUP BY status")
    .all<{ status: SubscriberStatus; n: number }>();
  const counts: Record<SubscriberStatus, number> = {
    pending: 0,
    active: 0,
    unsubscribed: 0,
    bounced: 0,
    complained: 0,
  };
  for (const r of results) counts[r.status] = r.n;
  return counts;
}

/**
 * Counts a request against a fixed window and says whether it is within `limit`. One upsert,
 * so concurrent requests cannot both slip under the limit.
 */
export async function hitRateLimit(
  db: D1Database,
  key: string,
  limit: number,
  windowSeconds: number,
  now: Date,
): Promise<boolean> {
  const windowStart = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
  const row = await db
    .prepare(
      `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 RETURNING count`,
    )
    .bind(key, windowStart)
    .first<{ count: number }>();
  // Old windows are dead weight; clear them now and then.
  if (Math.random() < 0.01)
    await db
      .prepare("DELETE FROM rate_limits WHERE window_start < ?1")
      .bind(windowStart - windowSeconds)
      .run();
  return (row?.count ?? 1) <= limit;
}
