/**
 * The operator's subscriber queries (migrations/0002, 0008): a searchable, filtered list, an
 * export, deletion with a tombstone, and the consent IPs' retention. Sign-ups and sends use
 * store.ts; these are only for /admin and the cron.
 */
import { sha256Hex } from "../lib/crypto.ts";
import type { SubscriberStatus } from "./store.ts";

export interface SubscriberRow {
  readonly email: string;
  readonly status: SubscriberStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SubscriberFilter {
  /** A substring of the address, matched case-insensitively; empty: every address. */
  readonly search: string;
  /** One status, or null for all. */
  readonly status: SubscriberStatus | null;
}

const COLUMNS = "email, status, created_at AS createdAt, updated_at AS updatedAt";

/** LIKE with `\` as escape, so `%` and `_` typed in the search match themselves. */
function likePattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

const WHERE = "WHERE email LIKE ?1 ESCAPE '\\' AND (?2 IS NULL OR status = ?2)";

/** One page of the list (ordered by address) and the number of rows matching the filter. */
export async function listSubscribers(
  db: D1Database,
  filter: SubscriberFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: SubscriberRow[]; total: number }> {
  const pattern = likePattern(filter.search);
  const [rows, count] = await db.batch([
    db
      .prepare(`SELECT ${COLUMNS} FROM subscribers ${WHERE} ORDER BY email LIMIT ?3 OFFSET ?4`)
      .bind(pattern, filter.status, page.limit, page.offset),
    db.prepare(`SELECT count(*) AS n FROM subscribers ${WHERE}`).bind(pattern, filter.status),
  ]);
  return {
    rows: rows!.results as SubscriberRow[],
    total: (count!.results[0] as { n: number }).n,
  };
}

/** Every matching subscriber after `afterEmail`, in address order, `limit` at a time (export). */
export async function subscribersAfter(
  db: D1Database,
  filter: SubscriberFilter,
  afterEmail: string,
  limit: number,
): Promise<SubscriberRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM subscribers ${WHERE} AND email > ?3 ORDER BY email LIMIT ?4`)
    .bind(likePattern(filter.search), filter.status, afterEmail, limit)
    .all<SubscriberRow>();
  return results;
}

/** The tombstone of a normalized address: its SHA-256, so the address itself is not kept. */
export function tombstoneOf(email: string): Promise<string> {
  return sha256Hex(email);
}

/**
 * Whether the operator deleted this (normalized) address: a sign-up must treat it as suppressed
 * (answer as usual, mail nothing), since the person asked to be forgotten.
 */
export async function isTombstoned(db: D1Database, email: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS t FROM subscriber_tombstones WHERE email_sha256 = ?1")
    .bind(await tombstoneOf(email))
    .first();
  return row !== null;
}

/**
 * Deletes a subscriber with their consent records, links, delivery records and outbox copies,
 * leaving only the tombstone; one batch, so it happens entirely or not at all. Returns false
 * (and records nothing) when the address is not a subscriber.
 */
export async function deleteSubscriber(db: D1Database, email: string, now: Date): Promise<boolean> {
  const id = "(SELECT id FROM subscribers WHERE email = ?1)";
  const results = await db.batch([
    db
      .prepare(
        `INSERT INTO subscriber_tombstones (email_sha256, deleted_at)
         SELECT ?2, ?3 WHERE EXISTS (SELECT 1 FROM subscribers WHERE email = ?1)
         ON CONFLICT DO NOTHING`,
      )
      .bind(email, await tombstoneOf(email), now.toISOString()),
    db.prepare(`DELETE FROM confirmation_tokens WHERE subscriber_id = ${id}`).bind(email),
    // An import's record of the person (name, topics…) and the confirmation it owed them.
    db.prepare("DELETE FROM subscriber_import_rows WHERE email = ?1").bind(email),
    db
      .prepare(
        `DELETE FROM import_confirmations WHERE consent_id IN
           (SELECT id FROM consents WHERE subscriber_id = ${id} OR email = ?1)`,
      )
      .bind(email),
    db.prepare(`DELETE FROM consents WHERE subscriber_id = ${id} OR email = ?1`).bind(email),
    db.prepare(`DELETE FROM deliveries WHERE subscriber_id = ${id}`).bind(email),
    db.prepare(`DELETE FROM preference_changes WHERE subscriber_id = ${id}`).bind(email),
    db.prepare(`DELETE FROM delivery_events WHERE subscriber_id = ${id}`).bind(email),
    db.prepare("DELETE FROM outbox WHERE to_addr = ?1").bind(email),
    db.prepare("DELETE FROM subscribers WHERE email = ?1").bind(email),
  ]);
  return results.at(-1)!.meta.changes === 1;
}

/**
 * Removes the IP addresses of consent records older than `retentionDays`: the request's IP once
 * the request is that old, the confirmation's once the confirmation is. The rest of the record
 * (address, times, form, text version) stays as proof of consent. Returns how many IPs were removed.
 */
export async function forgetOldConsentIps(
  db: D1Database,
  retentionDays: number,
  now: Date,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const [requests, confirmations] = await db.batch([
    db
      .prepare(
        "UPDATE consents SET request_ip = NULL WHERE request_ip IS NOT NULL AND requested_at < ?1",
      )
      .bind(cutoff),
    db
      .prepare(
        "UPDATE consents SET confirm_ip = NULL WHERE confirm_ip IS NOT NULL AND confirmed_at < ?1",
      )
      .bind(cutoff),
  ]);
  return requests!.meta.changes + confirmations!.meta.changes;
}
