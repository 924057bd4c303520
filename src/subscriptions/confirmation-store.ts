/**
 * Opt-in requests and their confirmation links (consents: migrations/0002_subscriptions.sql;
 * confirmation_tokens: migrations/0004_confirmation_tokens.sql): every query, typed.
 *
 * One consent row per confirmation email sent, so the rows are also the per-address log the
 * sending limit counts. Each email's link has its own token row: a second sign-up adds a link
 * and leaves the first one working until it expires, and the first link that is used spends
 * them all.
 */
import type { AddressSendLimit } from "./limits.ts";
import type { ConsentRequest } from "./store.ts";

const isoBefore = (now: Date, seconds: number) =>
  new Date(now.getTime() - seconds * 1000).toISOString();

/**
 * Records an opt-in request for subscriber `subscriberId` if its address is within `limit`,
 * and returns the consent id (the email may be sent), or null (limited: record nothing, send
 * nothing). Check and insert are one statement, so concurrent sign-ups cannot both pass.
 */
export async function recordConsentWithinLimit(
  db: D1Database,
  subscriberId: number,
  email: string,
  consent: ConsentRequest,
  limit: AddressSendLimit,
  now: Date,
): Promise<number | null> {
  const row = await db
    .prepare(
      `INSERT INTO consents (subscriber_id, email, requested_at, request_ip, form, consent_text_version, topics)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?10
       WHERE NOT EXISTS (SELECT 1 FROM consents WHERE subscriber_id = ?1 AND requested_at > ?7)
         AND (SELECT count(*) FROM consents WHERE subscriber_id = ?1 AND requested_at > ?8) < ?9
       RETURNING id`,
    )
    .bind(
      subscriberId,
      email,
      now.toISOString(),
      consent.ip,
      consent.form,
      consent.consentTextVersion,
      isoBefore(now, limit.intervalSeconds),
      isoBefore(now, 86_400),
      limit.perDay,
      consent.topics ?? null,
    )
    .first<{ id: number }>();
  return row?.id ?? null;
}

/** Stores a confirmation link's token (as its SHA-256) for the request it confirms. */
export async function storeConfirmationToken(
  db: D1Database,
  link: { tokenHash: string; subscriberId: number; consentId: number; expiresAt: Date },
): Promise<void> {
  await db
    .prepare(
      "INSERT INTO confirmation_tokens (token_hash, subscriber_id, consent_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(link.tokenHash, link.subscriberId, link.consentId, link.expiresAt.toISOString())
    .run();
}

export type ConfirmResult =
  { ok: true; email: string; subscriberId: number } | { ok: false; reason: "unknown" | "expired" };

/**
 * Confirms the subscriber whose link holds this token hash: a pending or unsubscribed address
 * becomes active, its consent row is completed, and every link of that address is spent.
 * Bounced and complained addresses are never revived here (only an operator can decide that
 * a complaint is void), and an active one needs nothing: both answer "unknown".
 */
export async function confirmByTokenHash(
  db: D1Database,
  tokenHash: string,
  ip: string | null,
  now: Date,
): Promise<ConfirmResult> {
  const at = now.toISOString();
  const link = await db
    .prepare(
      `SELECT t.subscriber_id, t.consent_id, t.expires_at, s.email
       FROM confirmation_tokens t JOIN subscribers s ON s.id = t.subscriber_id
       WHERE t.token_hash = ?1`,
    )
    .bind(tokenHash)
    .first<{ subscriber_id: number; consent_id: number; expires_at: string; email: string }>();
  if (!link) return { ok: false, reason: "unknown" };
  if (link.expires_at <= at) return { ok: false, reason: "expired" };
  // One transaction, each step conditional on the one before: of two concurrent confirmations
  // (of this link or another of the address's), exactly one completes its consent and activates.
  const [, activated] = await db.batch([
    db
      .prepare(
        `UPDATE consents SET confirmed_at = ?2, confirm_ip = ?3
         WHERE id = ?1 AND confirmed_at IS NULL
           AND EXISTS (SELECT 1 FROM confirmation_tokens WHERE token_hash = ?4 AND expires_at > ?2)
           AND (SELECT status FROM subscribers WHERE id = ?5) IN ('pending', 'unsubscribed')`,
      )
      .bind(link.consent_id, at, ip, tokenHash, link.subscriber_id),
    db
      .prepare(
        `UPDATE subscribers SET status = 'active', updated_at = ?2
         WHERE id = ?1 AND status IN ('pending', 'unsubscribed')
           AND EXISTS (SELECT 1 FROM consents WHERE id = ?3 AND confirmed_at = ?2)`,
      )
      .bind(link.subscriber_id, at, link.consent_id),
    // The topics the confirmed request asked for (NULL: everything) become the reader's, and the
    // change goes in the consent record (migrations/0015_reader_topics.sql).
    db
      .prepare(
        `UPDATE subscribers SET topics = (SELECT topics FROM consents WHERE id = ?3)
         WHERE id = ?1 AND EXISTS (SELECT 1 FROM consents WHERE id = ?3 AND confirmed_at = ?2)`,
      )
      .bind(link.subscriber_id, at, link.consent_id),
    db
      .prepare(
        `INSERT INTO preference_changes (subscriber_id, changed_at, source, topics, paused_until)
         SELECT s.id, ?2, 'sign-up', s.topics, s.paused_until FROM subscribers s
         WHERE s.id = ?1 AND EXISTS (SELECT 1 FROM consents WHERE id = ?3 AND confirmed_at = ?2)`,
      )
      .bind(link.subscriber_id, at, link.consent_id),
    db
      .prepare(
        `DELETE FROM confirmation_tokens
         WHERE subscriber_id = ?1 AND (SELECT status FROM subscribers WHERE id = ?1) = 'active'`,
      )
      .bind(link.subscriber_id),
  ]);
  return activated!.meta.changes === 1
    ? { ok: true, email: link.email, subscriberId: link.subscriber_id }
    : { ok: false, reason: "unknown" };
}

/**
 * Deletes links that expired more than a week ago: until then an old link still says
 * "expired" (sign up again) rather than "not valid".
 */
export async function pruneExpiredLinks(db: D1Database, now: Date): Promise<void> {
  await db
    .prepare("DELETE FROM confirmation_tokens WHERE expires_at < ?1")
    .bind(isoBefore(now, 7 * 86_400))
    .run();
}
