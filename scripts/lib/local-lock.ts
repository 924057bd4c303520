/**
 * `npm run publish` while `npm start` runs is the documented way to add an article, but both
 * open the same local SQLite file, and a write that meets the server's own transaction fails
 * with SQLITE_BUSY ("database is locked"; through the D1 binding, "Failed to get session commit
 * token" or a bare "internal error"). The lock lasts milliseconds to seconds, so the step is tried again after a pause,
 * a few times, before the operator is told. Only for steps that are safe to repeat: applying
 * migrations (already applied ones are skipped) and a whole publish (what a failed attempt
 * wrote is invisible, and the next attempt removes it: scripts/publish/publish.ts).
 */

// Local D1 reports SQLITE_BUSY to the binding as a bare "internal error; reference = …" (the lock
// itself goes to workerd's log): locally, that is the lock too.
const LOCKED =
  /database is locked|SQLITE_BUSY|Failed to get session commit token|internal error; reference =/;

/** Whether `err` is the local database being held by another process. */
export function isLocalLock(err: unknown): boolean {
  return LOCKED.test(
    err instanceof Error ? `${err.message}\n${String(err.cause ?? "")}` : String(err),
  );
}

export interface LockRetryOptions {
  /** Tries in all, the first included. */
  readonly attempts?: number;
  /** Pause before try `n` (2, 3, …), in milliseconds. */
  readonly pauseMs?: (n: number) => number;
  /** Told before each pause, e.g. to print it. */
  readonly onRetry?: (message: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_ATTEMPTS = 6;
/** 0.5, 1, 2, 4, 8 s: some 15 s in all, longer than any lock the server holds. */
const defaultPause = (n: number) => 500 * 2 ** (n - 2);

/** The local database is still locked after every try: what the operator should do. */
export class LocalDatabaseLockedError extends Error {
  override readonly name = "LocalDatabaseLockedError";
}

/** Runs `step`, trying again while the local database is locked by another process. */
export async function retryWhileLocked<T>(
  what: string,
  step: () => Promise<T>,
  options: LockRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const pause = options.pauseMs ?? defaultPause;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let n = 1; ; n++) {
    try {
      return await step();
    } catch (err) {
      if (!isLocalLock(err)) throw err;
      if (n >= attempts) {
        throw new LocalDatabaseLockedError(
          `${what}: the local database stayed locked by another process through ${attempts} tries (is a wrangler dev or another publish busy with it?); run the command again`,
          { cause: err },
        );
      }
      const ms = pause(n + 1);
      options.onRetry?.(
        `${what}: the local database is locked by another process (the running server?); trying again in ${(ms / 1000).toFixed(1)} s`,
      );
      await sleep(ms);
    }
  }
}
