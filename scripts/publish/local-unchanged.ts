/**
 * The quick answer to "does the local database already serve this content?", for the publish
 * every `npm start` runs: read straight from the database's SQLite file (read-only, Node's
 * built-in node:sqlite), so an unchanged publish starts neither wrangler nor workerd (seconds
 * on a shared 2-core machine).
 *
 * It only ever answers "yes, unchanged" when it is sure: the served version's token equals the
 * token of this content (publish.ts contentToken), it holds as many articles, and every
 * migration is applied. Anything else (no file, several, a lock, another layout of wrangler's
 * state folder) answers null, and publish takes its ordinary way through the D1 binding.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { SqlExecutor, SqlValue } from "../../src/lib/sql-batch.ts";

/** Where wrangler (miniflare) keeps a local D1 database under its state folder. */
const D1_DIR = ["v3", "d1", "miniflare-D1DatabaseObject"];

/** The local database's SQLite file, opened read-only; null when there is not exactly one. */
function openLocal(persistTo: string): DatabaseSync | null {
  const dir = join(persistTo, ...D1_DIR);
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  // One binding, one file: with several, which is ours is wrangler's business.
  if (files.length !== 1) return null;
  return new DatabaseSync(join(dir, files[0]!), { readOnly: true });
}

/** Names of wrangler's applied migrations (its d1_migrations table). */
function applied(db: DatabaseSync): Set<string> {
  return new Set(
    (db.prepare("SELECT name FROM d1_migrations").all() as { name: string }[]).map((r) => r.name),
  );
}

/**
 * Whether every one of `migrations` is applied locally: false also when it cannot tell (then
 * wrangler's `migrations apply`, a process of its own, does nothing more than it must).
 */
export function localMigrated(persistTo: string, migrations: readonly string[]): boolean {
  let db: DatabaseSync | null = null;
  try {
    db = openLocal(persistTo);
    if (db === null) return false;
    const done = applied(db);
    return migrations.every((m) => done.has(m));
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

export function localServes(
  persistTo: string,
  want: {
    readonly token: string;
    readonly articles: number;
    readonly migrations: readonly string[];
  },
): { version: number } | null {
  let db: DatabaseSync | null = null;
  try {
    db = openLocal(persistTo);
    if (db === null) return null;
    const served = db
      .prepare(
        "SELECT s.version AS version, v.token AS token FROM content_state s JOIN content_versions v ON v.version = s.version WHERE s.id = 1",
      )
      .get() as { version: number; token: string } | undefined;
    if (served === undefined || served.token !== want.token) return null;
    const live = db
      .prepare("SELECT count(*) AS n FROM articles WHERE to_version IS NULL")
      .get() as { n: number };
    if (live.n !== want.articles) return null;
    const done = applied(db);
    if (!want.migrations.every((m) => done.has(m))) return null;
    return { version: served.version };
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/**
 * Read-only queries on the local database's SQLite file, for the reads a publish makes of the
 * served version (every live article's slug and hash: a second through the D1 binding at
 * 10,000 articles, milliseconds here). Writes still go through the binding. null when the file
 * cannot be opened; a query that fails (a lock) answers through `fallback`, the binding.
 */
export function localReader(
  persistTo: string,
  fallback: Pick<SqlExecutor, "query">,
): { reads: Pick<SqlExecutor, "query">; close: () => void } | null {
  let db: DatabaseSync | null;
  try {
    db = openLocal(persistTo);
  } catch {
    return null;
  }
  if (db === null) return null;
  const open = db;
  return {
    reads: {
      async query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
        try {
          return open.prepare(sql).all(...(params as (string | number | null)[])) as T[];
        } catch {
          return fallback.query<T>(sql, params);
        }
      },
    },
    close: () => open.close(),
  };
}
