/**
 * Requests as Workers gives them: each `exports.default.fetch` is its own incoming request with
 * its own I/O context, so I/O one request starts cannot be awaited or read by another (unlike
 * `app.request`, where the whole test is one request). `serveThroughWorker` makes the Worker's
 * fetch handler run a test's app for the duration of `run`, and restores the real one after.
 */
import { exports } from "cloudflare:workers";
import worker from "../../src/index.ts";

type FetchHandler = (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>;

export async function serveThroughWorker<T>(
  handler: FetchHandler,
  run: (fetch: (path: string, init?: RequestInit) => Promise<Response>) => Promise<T>,
): Promise<T> {
  const real = worker as { fetch: unknown };
  const original = real.fetch;
  real.fetch = handler;
  try {
    return await run((path, init) =>
      exports.default.fetch(new Request(`http://localhost${path}`, init)),
    );
  } finally {
    real.fetch = original;
  }
}

/**
 * The real D1 binding, whose statements matching `pattern` wait for `release()` before they run,
 * once armed: a read held in flight while the test acts. `started` resolves when the first such
 * statement is waiting.
 */
export function gatedDb(db: D1Database) {
  let armed: { pattern: RegExp; open: boolean } | null = null;
  let markStarted = () => {};
  let started = Promise.resolve();
  const hold = async <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    const gate = armed;
    if (gate === null || !gate.pattern.test(sql)) return run();
    markStarted();
    // Each held request waits on timers of its own: a promise resolved by the test's context
    // would not wake a request's context, which then never answers whatever the Worker does.
    while (!gate.open) await scheduler.wait(1);
    return run();
  };
  const gated = new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop !== "prepare") {
        return typeof value === "function"
          ? (value as (...a: unknown[]) => unknown).bind(target)
          : value;
      }
      return (sql: string) => {
        const wrap = (stmt: D1PreparedStatement): D1PreparedStatement =>
          new Proxy(stmt, {
            get(s, p) {
              const v = Reflect.get(s, p, s) as unknown;
              if (typeof v !== "function") return v;
              if (p === "bind")
                return (...args: unknown[]) =>
                  wrap((v as (...a: unknown[]) => D1PreparedStatement).apply(s, args));
              if (p === "first" || p === "all" || p === "raw" || p === "run")
                return (...args: unknown[]) =>
                  hold(sql, () => (v as (...a: unknown[]) => Promise<unknown>).apply(s, args));
              return (v as (...a: unknown[]) => unknown).bind(s);
            },
          });
        return wrap(target.prepare(sql));
      };
    },
  });
  return {
    db: gated,
    arm(pattern: RegExp) {
      armed = { pattern, open: false };
      started = new Promise<void>((resolve) => (markStarted = resolve));
    },
    get started() {
      return started;
    },
    release() {
      if (armed) armed.open = true;
    },
  };
}
