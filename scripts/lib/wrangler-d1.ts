/**
 * D1 from the command line, as the operator's scripts reach it:
 * - locally, the database `npm start` serves (.wrangler/state, or --persist-to), through
 *   wrangler's getPlatformProxy: the same D1 binding the Worker has, with batches;
 * - remotely (--remote), through `wrangler d1 execute`, with the statements' values inlined into
 *   SQL files (src/lib/sql-batch.ts keeps every statement within D1's limits either way).
 * Migrations are applied first in both cases, exactly as `wrangler d1 migrations apply` does.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  d1Executor,
  type SqlExecutor,
  type SqlValue,
  type Statement,
} from "../../src/lib/sql-batch.ts";

export const root = join(import.meta.dirname, "..", "..");
// Run with this Node (24, from the `node` dev dependency), whatever `node` is first on PATH.
const WRANGLER = join(root, "node_modules/wrangler/bin/wrangler.js");

export interface D1Target {
  /** --remote: the production database; else local. */
  readonly remote: boolean;
  /** Local state directory (wrangler's --persist-to); default .wrangler/state. */
  readonly persistTo?: string;
}

function wrangler(args: readonly string[], target: D1Target): { stdout: string; stderr: string } {
  const where = target.remote
    ? ["--remote"]
    : ["--local", ...(target.persistTo ? ["--persist-to", target.persistTo] : [])];
  const result = spawnSync(process.execPath, [WRANGLER, ...args, ...where], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
    // CI=true: no interactive confirmation prompts, no colours.
    env: { ...process.env, CI: "true" },
  });
  if (result.status !== 0) {
    throw new Error(
      `wrangler ${args.slice(0, 3).join(" ")} failed:\n${result.stdout}${result.stderr}`.trim(),
    );
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** The migration files, by name (wrangler records them so in d1_migrations). */
export function migrationFiles(): string[] {
  return readdirSync(join(root, "migrations"))
    .filter((f) => f.endsWith(".sql"))
    .sort();
}

/** The state folder of the local database: wrangler's default, or --persist-to. */
export function localStateDir(persistTo?: string): string {
  return persistTo ?? join(root, ".wrangler", "state");
}

export function applyMigrations(target: D1Target): void {
  wrangler(["d1", "migrations", "apply", "DB"], target);
}

/** A value as an SQL literal (SQLite: strings quoted with '' for ', NULL, numbers as is). */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to SQL`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** `sql` with its `?` placeholders replaced by the literals of `params`, in order. */
export function inlineParams(sql: string, params: readonly SqlValue[]): string {
  let i = 0;
  // Our statements have no `?` inside string literals, so every `?` is a placeholder.
  const out = sql.replace(/\?/g, () => {
    if (i >= params.length) throw new Error(`too few parameters for: ${sql}`);
    return sqlLiteral(params[i++]!);
  });
  if (i !== params.length) throw new Error(`too many parameters for: ${sql}`);
  return out;
}

/** `wrangler d1 execute` as a SqlExecutor: one file (one round trip) per execute(). */
export function wranglerExecutor(target: D1Target): SqlExecutor {
  const dir = mkdtempSync(join(tmpdir(), "axis-publish-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const command = (sql: string) => {
    const { stdout } = wrangler(["d1", "execute", "DB", "--json", "--command", sql], target);
    return JSON.parse(stdout) as { results: unknown[] }[];
  };
  return {
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      return (command(inlineParams(sql, params))[0]?.results ?? []) as T[];
    },
    async execute(statements: readonly Statement[]) {
      if (statements.length === 0) return;
      const file = join(dir, `batch-${++n}.sql`);
      writeFileSync(file, statements.map((s) => `${inlineParams(s.sql, s.params)};\n`).join(""));
      wrangler(["d1", "execute", "DB", "--file", file], target);
    },
  };
}

/** The local database through the D1 binding; `close()` when done. */
export async function openLocalD1(
  persistTo?: string,
): Promise<{ db: D1Database; env: Env; exec: SqlExecutor; close: () => Promise<void> }> {
  // Imported here, not above: wrangler takes seconds to load, and an unchanged publish
  // (scripts/publish/local-unchanged.ts) never opens the database this way.
  const { getPlatformProxy } = await import("wrangler");
  const proxy = await getPlatformProxy<Env>({
    configPath: join(root, "wrangler.toml"),
    persist: persistTo ? { path: join(persistTo, "v3") } : true,
    remoteBindings: false,
  });
  return {
    db: proxy.env.DB,
    env: proxy.env,
    exec: d1Executor(proxy.env.DB),
    close: () => proxy.dispose(),
  };
}
