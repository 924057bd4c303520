/**
 * Subscribers (migrations/0002_subscriptions.sql): every query, typed. Opt-in requests and
 * confirmation links are in confirmation-store.ts, request counters in rate-limit-store.ts.
 */

import { recordIssueEvent } from "./issue-events.ts";
import type { TokenHolder } from "./tokens.ts";

// Kept importable from here: callers outside this folder counted requests through store.ts.
export { hitRateLimit } from "./rate-limit-store.ts";

export type SubscriberStatus = "pending" | "active" | "unsubscribed" | "bounced" | "complained";

export interface ConsentRequest {
  readonly ip: string | null;
  readonly form: string;
  readonly consentTextVersion: string;
  /** The topics the form asked for, as stored (src/model/topic.ts topicsKey); null: everything. */
  readonly topics?: string | null;
}

/**
 * The subscriber row for `email`, created as pending when the address is new; an existing
 * row is returned as it is, whatever its status (a sign-up never changes it: only a used
 * confirmation link does). One statement: the no-op update is there only so that RETURNING
 * answers for an existing row too.
 */
export async function findOrCreateSubscriber(
  db: D1Database,
  email: string,
  now: Date,
): Promise<{ id: number; status: SubscriberStatus }> {
  const row = await db
    .prepare(
      `INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'pending', ?2, ?2)
       ON CONFLICT (email) DO UPDATE SET email = excluded.email
       RETURNING id, status`,
    )
    .bind(email, now.toISOString())
    .first<{ id: number; status: SubscriberStatus }>();
  return row!;
}

/**
 * Whom an unsubscribe token naming `id` must prove: the subscriber's address, and whether the
 * links mailed before migrations/0009 still count (tokens.ts). Null when there is no such id.
 */
export async function findTokenHolder(db: D1Database, id: number): Promise<TokenHolder | null> {
  const row = await db
    .prepare("SELECT id, email, legacy_unsubscribe AS legacy FROM subscribers WHERE id = ?1")
    .bind(id)
    .first<{ id: number; email: string; legacy: number }>();
  return row ? { id: row.id, email: row.email, legacyToken: row.legacy === 1 } : null;
}

/**
 * Unsubscribes at once, and spends the address's confirmation links (leaving means leaving,
 * even a sign-up still pending); suppressed addresses stay suppressed. Returns the address,
 * if any.
 */
export async function unsubscribeById(
  db: D1Database,
  id: number,
  now: Date,
): Promise<string | null> {
  const [updated] = await db.batch<{ email: string }>([
    db
      .prepare(
        `UPDATE subscribers SET status = 'unsubscribed', updated_at = ?2
         WHERE id = ?1 AND status IN ('pending', 'active') RETURNING email`,
      )
      .bind(id, now.toISOString()),
    // For the delivery report: this unsubscribe (only when this batch made it) is the last
    // digest's. The link is the same in every digest, so the last one sent is the one it came from.
    recordIssueEvent(
      db,
      { byId: id },
      "unsubscribed",
      now,
      null,
      "s.status = 'unsubscribed' AND s.updated_at = ?3",
    ),
    db.prepare("DELETE FROM confirmation_tokens WHERE subscriber_id = ?1").bind(id),
  ]);
  const row = updated!.results[0];
  if (row) return row.email;
  const existing = await db
    .prepare("SELECT email FROM subscribers WHERE id = ?1")
    .bind(id)
    .first<{ email: string }>();
  return existing?.email ?? null;
}

/**
 * Marks addresses the provider reported as bounced or complaining: never sent to again, and
 * their confirmation links are spent, so no link mailed earlier can revive them.
 */
export async function suppress(
  db: D1Database,
  email: string,
  status: "bounced" | "complained",
  now: Date,
  /** The digest the provider's event names (its Message-ID's week), if it names one. */
  week: string | null = null,
): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .prepare("UPDATE subscribers SET status = ?2, updated_at = ?3 WHERE email = ?1")
      .bind(email, status, now.toISOString()),
    db
      .prepare(
        "DELETE FROM confirmation_tokens WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = ?1)",
      )
      .bind(email),
    // The delivery report: the bounce or complaint is that digest's (or the last one sent).
    recordIssueEvent(db, { byEmail: email }, status, now, week),
  ]);
  return updated!.meta.changes === 1;
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
