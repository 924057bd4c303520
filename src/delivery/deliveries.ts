/**
 * The deliveries table: who has been sent which digest. Every query here takes a whole chunk
 * at once (ids as one JSON parameter), so sending costs a fixed handful of queries per chunk of
 * up to 100 recipients and none per recipient.
 */

/** Claims older than this were left by a consumer that died; another chunk may take them over. */
export const STALE_CLAIM_MS = 15 * 60_000;

/**
 * Claims the chunk's still-active recipients for this digest, and returns those this chunk
 * holds: ones it just claimed plus ones it claimed on an earlier attempt. A recipient already
 * sent, or claimed by another live chunk, is not returned: no one gets a second copy.
 * Suppression (unsubscribed, bounced, complained) is checked here, at send time.
 */
export async function claimRecipients(
  db: D1Database,
  week: string,
  chunkKey: string,
  subscriberIds: readonly number[],
  now: Date,
): Promise<{ id: number; email: string }[]> {
  const at = now.toISOString();
  const stale = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
  const [, held] = await db.batch([
    db
      .prepare(
        `INSERT INTO deliveries (week, subscriber_id, status, chunk_key, claimed_at)
         SELECT ?1, s.id, 'claimed', ?2, ?3 FROM subscribers s
         WHERE s.id IN (SELECT value FROM json_each(?4)) AND s.status = 'active'
         ON CONFLICT (week, subscriber_id) DO UPDATE SET status = 'claimed', chunk_key = excluded.chunk_key, claimed_at = excluded.claimed_at
           WHERE deliveries.status = 'failed' OR (deliveries.status = 'claimed' AND deliveries.claimed_at < ?5)`,
      )
      .bind(week, chunkKey, at, JSON.stringify(subscriberIds), stale),
    db
      .prepare(
        `SELECT s.id, s.email FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
         WHERE d.week = ?1 AND d.chunk_key = ?2 AND d.status = 'claimed' AND s.status = 'active'
         ORDER BY s.id`,
      )
      .bind(week, chunkKey),
  ]);
  return (held!.results as { id: number; email: string }[]) ?? [];
}

/** Marks the chunk's claimed recipients as sent. */
export async function markSent(
  db: D1Database,
  week: string,
  chunkKey: string,
  now: Date,
): Promise<number> {
  const r = await db
    .prepare(
      "UPDATE deliveries SET status = 'sent', sent_at = ?3 WHERE week = ?1 AND chunk_key = ?2 AND status = 'claimed'",
    )
    .bind(week, chunkKey, now.toISOString())
    .run();
  return r.meta.changes;
}

/** Releases a chunk that gave up (dead-lettered): its recipients can be sent by a later send. */
export async function markFailed(db: D1Database, week: string, chunkKey: string): Promise<number> {
  const r = await db
    .prepare(
      "UPDATE deliveries SET status = 'failed' WHERE week = ?1 AND chunk_key = ?2 AND status = 'claimed'",
    )
    .bind(week, chunkKey)
    .run();
  return r.meta.changes;
}

/**
 * One page of active subscribers who have not been sent this digest, by id (keyset pagination:
 * each page is one indexed range scan, however many subscribers there are).
 */
export async function unsentSubscriberPage(
  db: D1Database,
  week: string,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const { results } = await db
    .prepare(
      `SELECT s.id FROM subscribers s
       WHERE s.status = 'active' AND s.id > ?2
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.week = ?1 AND d.subscriber_id = s.id AND d.status = 'sent')
       ORDER BY s.id LIMIT ?3`,
    )
    .bind(week, afterId, limit)
    .all<{ id: number }>();
  return results.map((r) => r.id);
}

export interface DeliveryCounts {
  readonly week: string;
  readonly sent: number;
  readonly claimed: number;
  readonly failed: number;
}

export async function deliveryCountsByDigest(db: D1Database): Promise<DeliveryCounts[]> {
  const { results } = await db
    .prepare(
      `SELECT dg.week AS week,
              coalesce(sum(d.status = 'sent'), 0) AS sent,
              coalesce(sum(d.status = 'claimed'), 0) AS claimed,
              coalesce(sum(d.status = 'failed'), 0) AS failed
       FROM digests dg LEFT JOIN deliveries d ON d.week = dg.week
       GROUP BY dg.week ORDER BY dg.week DESC`,
    )
    .all<DeliveryCounts>();
  return results;
}
