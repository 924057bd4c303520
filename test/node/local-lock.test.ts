/**
 * `npm run publish` while `npm start` holds the local database (regression: CI's end-to-end
 * publish failed once with "database is locked: SQLITE_BUSY" while applying the migrations).
 * The step is tried again while the lock lasts, any other error is reported at once, and a lock
 * that outlasts every try ends with what the operator should do.
 */
import { describe, expect, it } from "vitest";
import {
  isLocalLock,
  LocalDatabaseLockedError,
  retryWhileLocked,
} from "../../scripts/lib/local-lock.ts";

const busy = () =>
  new Error(
    "wrangler d1 migrations apply failed: SQLite failed; dbErrorMessage(err, db) = database is locked: SQLITE_BUSY",
  );

function flaky(failures: number, error: () => Error = busy) {
  let calls = 0;
  return {
    step: async () => {
      calls++;
      if (calls <= failures) throw error();
      return `done after ${calls}`;
    },
    calls: () => calls,
  };
}

const noPause = { sleep: async () => {} };

describe("trying again while the local database is locked", () => {
  it("recognises SQLite's lock, through wrangler and through the D1 binding", () => {
    expect(isLocalLock(busy())).toBe(true);
    expect(
      isLocalLock(new Error("D1_ERROR: Failed to get session commit token: internal error")),
    ).toBe(true);
    expect(isLocalLock(new Error("x", { cause: new Error("database is locked") }))).toBe(true);
    // Regression: CI's e2e publish met the lock as publish's "could not be read" refusal, whose
    // cause is the binding's bare internal error.
    const refusal = new Error("the database could not be read: run npm run publish again", {
      cause: new Error("internal error; reference = 842mhq8p7bihd2j6k5m7crik"),
    });
    expect(isLocalLock(refusal)).toBe(true);
    expect(isLocalLock(new Error("no such table: articles"))).toBe(false);
  });

  it("tries again after a pause while it is locked, and says so each time", async () => {
    const told: string[] = [];
    const pauses: number[] = [];
    const op = flaky(2);
    const result = await retryWhileLocked("publishing", op.step, {
      onRetry: (m) => told.push(m),
      sleep: async (ms) => void pauses.push(ms),
    });
    expect(result).toBe("done after 3");
    expect(op.calls()).toBe(3);
    expect(pauses).toEqual([500, 1000]);
    expect(told).toEqual([
      "publishing: the local database is locked by another process (the running server?); trying again in 0.5 s",
      "publishing: the local database is locked by another process (the running server?); trying again in 1.0 s",
    ]);
  });

  it("reports any other error at once", async () => {
    const op = flaky(1, () => new Error("no such table: articles"));
    await expect(retryWhileLocked("publishing", op.step, noPause)).rejects.toThrow(
      "no such table: articles",
    );
    expect(op.calls()).toBe(1);
  });

  it("gives up after its tries, telling the operator what to do", async () => {
    const op = flaky(100);
    const err = await retryWhileLocked("applying the migrations", op.step, {
      ...noPause,
      attempts: 4,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalDatabaseLockedError);
    expect((err as Error).message).toBe(
      "applying the migrations: the local database stayed locked by another process through 4 tries (is a wrangler dev or another publish busy with it?); run the command again",
    );
    expect(op.calls()).toBe(4);
  });
});
