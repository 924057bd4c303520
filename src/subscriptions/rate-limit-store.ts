/** Fixed-window request counters (the rate_limits table of migrations/0002_subscriptions.sql). */

/**
 * Windows older than this are deleted by pruneRateLimits: longer than any window a caller
 * uses, so pruning can never reset a window that is still counting.
 */
const KEEP_SECONDS = 2 * 86_400;

/**
 * Counts one request for `key` in the current fixed window and returns the count so far,
 * this one included. One upsert, so concurrent requests cannot both slip under a limit.
 */
export async function countRequest(
  db: D1Database,
  key: string,
  windowSeconds: number,
  now: Date,
): Promise<number> {
  const windowStart = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
  const row = await db
    .prepare(
      `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 RETURNING count`,
    )
    .bind(key, windowStart)
    .first<{ count: number }>();
  return row?.count ?? 1;
}

/** Deletes the windows no limit can still be counting in. */
export async function pruneRateLimits(db: D1Database, now: Date): Promise<void> {
  await db
    .prepare("DELETE FROM rate_limits WHERE window_start < ?1")
    .bind(Math.floor(now.getTime() / 1000) - KEEP_SECONDS)
    .run();
}

/**
 * Counts a request against a fixed window and says whether it is within `limit`. Prunes old
 * windows now and then; a caller whose statement count must not vary (sign-ups, whose work
 * before answering must be the same every time) uses countRequest and prunes after answering.
 */
export async function hitRateLimit(
  db: D1Database,
  key: string,
  limit: number,
  windowSeconds: number,
  now: Date,
): Promise<boolean> {
  const count = await countRequest(db, key, windowSeconds, now);
  // Old windows are dead weight; clear them now and then.
  if (Math.random() < 0.01) await pruneRateLimits(db, now);
  return count <= limit;
}
