/**
 * The project's Worker with its D1 binding counted, so the benchmark can show how many D1
 * queries a warm request makes without touching src/. Runs inside workerd: lib/workers.ts
 * writes a three-line entry module (bench/.work/counting-entry/index.ts) that imports
 * src/index.ts's default export, wraps it with countingWorker and exports the result, bundles it
 * once, and wrangler dev runs that bundle with the project's wrangler.toml. (The entry is generated rather than
 * checked in because the Node-side type check, tsconfig.node.json, does not have workerd's
 * types that src/index.ts needs; this module does not import src/.)
 *
 * - env.DB is wrapped once per isolate, in a Proxy cached by the original binding object, and
 *   the env handed to the Worker is built once per original env object: src/content/view.ts's
 *   ContentRepository remembers the published version per D1Database object, and src/config.ts
 *   memoizes the config per env object. A new wrapper per request would defeat both and count
 *   queries the real Worker never makes.
 * - prepare, batch, exec (and withSession, through whose sessions counting continues) are
 *   counted; each prepare's SQL is tallied by its text (whitespace collapsed), so the version
 *   re-read every CONTENT_REFRESH_SECONDS (a query on content_state) can be told apart from
 *   anything a request itself asks for.
 * - GET /__bench/d1-queries answers the running totals (D1Counts) as JSON and is not counted as
 *   a request; every other fetch is.
 *
 * The counts are per isolate (`instance` tells isolates apart); wrangler dev runs one.
 */

export const COUNTS_PATH = "/__bench/d1-queries";

export interface D1Counts {
  /** Random per isolate: a different value means the Worker restarted and counting began again. */
  instance: string;
  /** Requests the Worker handled (fetch), COUNTS_PATH excluded. */
  requests: number;
  prepare: number;
  batch: number;
  exec: number;
  withSession: number;
  /** prepare() calls by SQL text. */
  sql: Record<string, number>;
}

type Method = "prepare" | "batch" | "exec" | "withSession";
const COUNTED: ReadonlySet<string> = new Set<Method>(["prepare", "batch", "exec", "withSession"]);

/** The D1 calls in `counts` (prepare + batch + exec; withSession only opens a session). */
export function d1Calls(counts: D1Counts): number {
  return counts.prepare + counts.batch + counts.exec;
}

interface Bound {
  readonly DB: object;
}
type Handler = (input: unknown, env: Bound, ctx: unknown) => unknown;
interface WorkerModule {
  readonly fetch?: Handler;
  readonly scheduled?: Handler;
  readonly queue?: Handler;
}

export function countingWorker(worker: WorkerModule): Required<WorkerModule> {
  const counts: D1Counts = {
    // Set on the first request: workerd allows no random values at start-up (global scope).
    instance: "",
    requests: 0,
    prepare: 0,
    batch: 0,
    exec: 0,
    withSession: 0,
    sql: {},
  };
  const dbs = new WeakMap<object, object>();
  const envs = new WeakMap<object, Bound>();

  /** The binding's methods, counted; each called on the binding itself, as workerd expects. */
  const countingDb = (db: object): object => {
    let wrapped = dbs.get(db);
    if (wrapped === undefined) {
      wrapped = new Proxy(db, {
        get(target, prop) {
          const value: unknown = Reflect.get(target, prop, target);
          if (typeof prop !== "string" || !COUNTED.has(prop) || typeof value !== "function")
            return value;
          return (...args: unknown[]) => {
            counts[prop as Method]++;
            if (prop === "prepare") {
              const sql = String(args[0]).replace(/\s+/g, " ").trim();
              counts.sql[sql] = (counts.sql[sql] ?? 0) + 1;
            }
            const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
            return prop === "withSession" && typeof result === "object" && result !== null
              ? countingDb(result)
              : result;
          };
        },
      });
      dbs.set(db, wrapped);
    }
    return wrapped;
  };

  /** The env with DB counted: one object per original env, so per-env memoization holds. */
  const countingEnv = (env: Bound): Bound => {
    let wrapped = envs.get(env);
    if (wrapped === undefined) {
      const db = countingDb(env.DB);
      wrapped = new Proxy(env, {
        get: (target, prop) => (prop === "DB" ? db : Reflect.get(target, prop, target)),
      });
      envs.set(env, wrapped);
    }
    return wrapped;
  };

  const call = (name: keyof WorkerModule, input: unknown, env: Bound, ctx: unknown) => {
    const handler = worker[name];
    if (!handler) throw new Error(`the Worker has no ${name} handler`);
    return handler.call(worker, input, countingEnv(env), ctx);
  };

  return {
    fetch(request, env, ctx) {
      counts.instance ||= crypto.randomUUID();
      if (new URL((request as Request).url).pathname === COUNTS_PATH) {
        return Response.json(counts, { headers: { "Cache-Control": "no-store" } });
      }
      counts.requests++;
      return call("fetch", request, env, ctx);
    },
    scheduled: (controller, env, ctx) => call("scheduled", controller, env, ctx),
    queue: (batch, env, ctx) => call("queue", batch, env, ctx),
  };
}
