/** Failed admin logins per client network, in D1 (migrations/0006_admin_login_failures.sql). */

export interface LoginFailures {
  readonly failures: number;
  /** Unix seconds of the window's first failure. */
  readonly windowStart: number;
}

const seconds = (now: Date) => Math.floor(now.getTime() / 1000);

/** The client's failures in the window that contains `now`, or null when it has none. */
export async function recentLoginFailures(
  db: D1Database,
  client: string,
  windowSeconds: number,
  now: Date,
): Promise<LoginFailures | null> {
  const row = await db
    .prepare(
      "SELECT failures, window_start AS windowStart FROM admin_login_failures WHERE client = ?1 AND window_start > ?2",
    )
    .bind(client, seconds(now) - windowSeconds)
    .first<LoginFailures>();
  return row ?? null;
}

/**
 * Counts one failure: the window starts at the client's first failure and lasts
 * `windowSeconds`; a failure after it starts a new one. Returns the count after this failure.
 * Also clears every client's expired window, so the table holds only recent failures.
 */
export async function recordLoginFailure(
  db: D1Database,
  client: string,
  windowSeconds: number,
  now: Date,
): Promise<LoginFailures> {
  const t = seconds(now);
  const [, upsert] = await db.batch<LoginFailures>([
    db
      .prepare("DELETE FROM admin_login_failures WHERE window_start <= ?1 AND client <> ?2")
      .bind(t - windowSeconds, client),
    // SET expressions all read the row as it was (SQLite evaluates them before assigning).
    db
      .prepare(
        `INSERT INTO admin_login_failures (client, window_start, failures) VALUES (?1, ?2, 1)
         ON CONFLICT (client) DO UPDATE SET
           failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
           window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
         RETURNING failures, window_start AS windowStart`,
      )
      .bind(client, t, windowSeconds),
  ]);
  return upsert!.results[0]!;
}

/** Forgets the client's failures (it has just logged in). */
export async function clearLoginFailures(db: D1Database, client: string): Promise<void> {
  await db.prepare("DELETE FROM admin_login_failures WHERE client = ?1").bind(client).run();
}
