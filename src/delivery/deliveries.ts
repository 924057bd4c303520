/**
 * The deliveries table: who has been sent which digest. Every query here takes a whole chunk
 * at once (ids as one JSON parameter), so sending costs a fixed handful of queries per chunk of
 * up to 100 recipients and none per recipient.
 */

/**
 * Whether subscriber `s` receives this week (besides being active): not paused at `now`, and
 * either with no topics (everything) or with one that something in the week belongs to. A
 * reader with topics and nothing for them this week is sent nothing, and is never enqueued.
 */
function receives(now: string, weekTopics: string): string {
  return `(s.paused_until IS NULL OR s.paused_until <= ${now})
    AND (s.topics IS NULL OR EXISTS (SELECT 1 FROM json_each(s.topics) mine
                                     WHERE mine.value IN (SELECT value FROM json_each(${weekTopics}))))`;
}

/** Claims older than this were left by a consumer that died; another chunk may take them over. */
export const STALE_CLAIM_MS = 15 * 60_000;

/** A recipient a chunk holds, with the provider batch (idempotency key) it goes out in. */
export interface HeldRecipient {
  readonly id: number;
  readonly email: string;
  /** The idempotency key of its batch: every recipient with this key is sent together. */
  readonly sendKey: string;
  /** When that batch was first attempted (ISO 8601): its messages' Date. */
  readonly attemptedAt: string;
  /** The topics its copy is cut to, recorded with its send key (null: everything). */
  readonly variant: string | null;
}

/**
 * Claims the chunk's still-active recipients for this digest, and returns those this chunk
 * holds: ones it just claimed plus ones it claimed on an earlier attempt (whose claim it renews,
 * so a chunk still retrying is not taken for dead). A recipient already sent, or claimed by
 * another live chunk, is not returned: no one gets a second copy. Suppression (unsubscribed,
 * bounced, complained) is checked here, at send time.
 *
 * A recipient attempted before keeps its send key (sent under it, maybe, with no answer). Its
 * whole batch moves with it: the chunk also claims the batch's other recipients, which are in
 * the same state (claimed, renewed and released together), so a batch is always re-sent whole,
 * under its key, by one chunk. A recipient claimed for the first time gets `freshKey` and the
 * claim's time (its messages' Date) in the same statement, before anything is sent, and the
 * variant it gets (its topics then), kept with the key so a re-sent batch is the same bytes.
 * Only a recipient claimed for the first time must receive this week (not paused, topics met,
 * see `receives`); one attempted before stays with its batch. One round trip; two statements.
 */
export async function claimRecipients(
  db: D1Database,
  week: string,
  chunkKey: string,
  subscriberIds: readonly number[],
  now: Date,
  freshKey: string,
  weekTopicsJson: string,
): Promise<HeldRecipient[]> {
  const at = now.toISOString();
  const stale = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
  const [, held] = await db.batch([
    db
      .prepare(
        `INSERT INTO deliveries (week, subscriber_id, status, chunk_key, claimed_at, send_key, attempted_at, variant)
         SELECT ?1, s.id, 'claimed', ?2, ?3, ?6, ?3, s.topics FROM subscribers s
         WHERE s.status = 'active' AND (
           (s.id IN (SELECT value FROM json_each(?4)) AND ${receives("?3", "?7")})
           OR s.id IN (SELECT batch.subscriber_id FROM deliveries batch
                       WHERE batch.week = ?1 AND batch.send_key IN (
                         SELECT send_key FROM deliveries WHERE week = ?1 AND send_key IS NOT NULL
                           AND subscriber_id IN (SELECT value FROM json_each(?4)))))
         ON CONFLICT (week, subscriber_id) DO UPDATE SET status = 'claimed',
           chunk_key = excluded.chunk_key, claimed_at = excluded.claimed_at,
           send_key = coalesce(deliveries.send_key, excluded.send_key),
           attempted_at = coalesce(deliveries.attempted_at, excluded.attempted_at),
           variant = CASE WHEN deliveries.send_key IS NULL THEN excluded.variant ELSE deliveries.variant END
         WHERE deliveries.status = 'failed'
            OR (deliveries.status = 'claimed' AND (deliveries.claimed_at < ?5 OR deliveries.chunk_key = excluded.chunk_key))`,
      )
      .bind(week, chunkKey, at, JSON.stringify(subscriberIds), stale, freshKey, weekTopicsJson),
    db
      .prepare(
        `SELECT s.id, s.email, d.send_key AS sendKey, d.attempted_at AS attemptedAt, d.variant
         FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
         WHERE d.week = ?1 AND d.chunk_key = ?2 AND d.status = 'claimed' AND s.status = 'active'
         ORDER BY d.send_key, s.id`,
      )
      .bind(week, chunkKey),
  ]);
  return (held!.results as HeldRecipient[] | undefined) ?? [];
}

/**
 * Marks recipients sent: they were in a batch the provider accepted, whoever holds them now.
 * A statement, so the chunk's end goes in the same round trip (send-progress.ts).
 */
export function markSent(
  db: D1Database,
  week: string,
  subscriberIds: readonly number[],
  now: Date,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET status = 'sent', sent_at = ?3
       WHERE week = ?1 AND subscriber_id IN (SELECT value FROM json_each(?2)) AND status <> 'sent'`,
    )
    .bind(week, JSON.stringify(subscriberIds), now.toISOString());
}

/**
 * Releases a chunk's claims (all, or one batch's) so a later send can take them. Send keys stay:
 * a released recipient whose batch may have gone through is re-sent under the same key.
 */
export async function markFailed(
  db: D1Database,
  week: string,
  chunkKey: string,
  sendKey: string | null = null,
): Promise<number> {
  const r = await markFailedStatement(db, week, chunkKey, sendKey).run();
  return r.meta.changes;
}

export function markFailedStatement(
  db: D1Database,
  week: string,
  chunkKey: string,
  sendKey: string | null = null,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET status = 'failed'
       WHERE week = ?1 AND chunk_key = ?2 AND status = 'claimed' AND (?3 IS NULL OR send_key = ?3)`,
    )
    .bind(week, chunkKey, sendKey);
}

/** A subscriber to enqueue, with the variant (topics) their copy will be cut to. */
export interface UnsentSubscriber {
  readonly id: number;
  /** The stored topics value (null: everything): the producer groups chunks by it. */
  readonly variant: string | null;
}

/**
 * One page of active subscribers who have not been sent this digest and receive this week (see
 * `receives`), by id (keyset pagination: each page is one indexed range scan, however many
 * subscribers there are).
 */
export async function unsentSubscriberPage(
  db: D1Database,
  week: string,
  afterId: number,
  limit: number,
  now: Date,
  weekTopicsJson: string,
): Promise<UnsentSubscriber[]> {
  const { results } = await db
    .prepare(
      `SELECT s.id, s.topics AS variant FROM subscribers s
       WHERE s.status = 'active' AND s.id > ?2 AND ${receives("?4", "?5")}
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.week = ?1 AND d.subscriber_id = s.id AND d.status = 'sent')
       ORDER BY s.id LIMIT ?3`,
    )
    .bind(week, afterId, limit, now.toISOString(), weekTopicsJson)
    .all<{ id: number; variant: string | null }>();
  return results;
}

/**
 * How many the producer would enqueue now: active, not yet sent this digest, and receiving
 * this week (see `receives`). The admin's send page shows it. One query.
 */
export async function countReceivingUnsent(
  db: D1Database,
  week: string,
  now: Date,
  weekTopicsJson: string,
): Promise<number> {
  const row = await db
    .prepare(
      `SELECT count(*) AS n FROM subscribers s
       WHERE s.status = 'active' AND ${receives("?2", "?3")}
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.week = ?1 AND d.subscriber_id = s.id AND d.status = 'sent')`,
    )
    .bind(week, now.toISOString(), weekTopicsJson)
    .first<number>("n");
  return row ?? 0;
}

export interface DeliveryCounts {
  readonly week: string;
  /** The digest's own status: built, sending, or sent (every chunk of its send done). */
  readonly status: "built" | "sending" | "sent";
  /** When its last send completed (ISO 8601), or null. */
  readonly sentAt: string | null;
  readonly sent: number;
  readonly claimed: number;
  readonly failed: number;
}

export async function deliveryCountsByDigest(db: D1Database): Promise<DeliveryCounts[]> {
  const { results } = await db
    .prepare(
      `SELECT dg.week AS week, dg.status AS status, dg.sent_at AS sentAt,
              coalesce(sum(d.status = 'sent'), 0) AS sent,
              coalesce(sum(d.status = 'claimed'), 0) AS claimed,
              coalesce(sum(d.status = 'failed'), 0) AS failed
       FROM digests dg LEFT JOIN deliveries d ON d.week = dg.week
       GROUP BY dg.week ORDER BY dg.week DESC`,
    )
    .all<DeliveryCounts>();
  return results;
}
