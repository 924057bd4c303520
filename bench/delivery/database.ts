/**
 * The run's own D1: migrated with wrangler into bench/.work/delivery-sim-state/ and opened with
 * getPlatformProxy, never the developer's .wrangler/state (whose files are fingerprinted before
 * and after, to tell the developer if another process changed them meanwhile).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { getPlatformProxy, type PlatformProxy } from "wrangler";
import { root, stateDir } from "./settings.ts";
import { fmt, ms } from "./util.ts";

/** Every file under `dir` as size:mtime, by relative path. */
export function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const s = statSync(p);
        out.set(relative(dir, p), `${s.size}:${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

/** Wipes the run's state and applies the migrations there; returns the time it took. */
export function migrateFreshDatabase(): number {
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  console.log(`state: ${relative(root, stateDir)}/ (wiped)`);
  const t0 = performance.now();
  const migrate = spawnSync(
    join(root, "node_modules", ".bin", "wrangler"),
    ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir],
    {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        CI: "true",
        WRANGLER_SEND_METRICS: "false",
        NO_COLOR: "1",
        PATH: [
          join(root, "node_modules", ".bin"),
          dirname(process.execPath),
          process.env.PATH ?? "",
        ].join(":"),
      },
    },
  );
  if (migrate.status !== 0)
    throw new Error(
      `wrangler d1 migrations apply --persist-to failed:\n${migrate.stdout}${migrate.stderr}`,
    );
  return ms(t0);
}

/** The bindings of wrangler.toml over the run's state. */
export function openPlatform(): Promise<PlatformProxy<Env>> {
  // `--persist-to X` keeps D1 under X/v3; getPlatformProxy's persist.path is that v3 directory.
  return getPlatformProxy<Env>({
    configPath: join(root, "wrangler.toml"),
    persist: { path: join(stateDir, "v3") },
    remoteBindings: false,
    envFiles: [],
  });
}

/** Fails unless the proxy's D1 is the one wrangler migrated. */
export async function checkMigrated(db: D1Database, migrateMs: number): Promise<void> {
  const tables = await db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all<{ name: string }>();
  const tableNames = tables.results.map((r) => r.name);
  for (const t of ["digests", "subscribers", "deliveries", "outbox"]) {
    if (!tableNames.includes(t))
      throw new Error(
        `the migrated database has no "${t}" table (tables: ${tableNames.join(", ")}): getPlatformProxy is not reading the database wrangler migrated`,
      );
  }
  console.log(
    `migrations applied (${fmt(migrateMs)} ms): ${tableNames.filter((n) => !n.startsWith("_cf") && !n.startsWith("sqlite")).join(", ")}`,
  );
}
