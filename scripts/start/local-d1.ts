/**
 * What the local database (the one `npm start` serves, under <state>/v3/d1) already holds, read
 * straight from its SQLite file in a few milliseconds: which migrations are applied, and which
 * content version readers see. Asking through wrangler would cost a process or a workerd start
 * each time, which is what `npm start` must not spend when nothing changed. Read-only; anything
 * unexpected (no database yet, several, another layout) reads as "unknown", and the step runs.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface LocalD1State {
  /** Names of the applied migrations (wrangler's d1_migrations table). */
  readonly appliedMigrations: ReadonlySet<string>;
  /**
   * The published version's content token (content_versions.token, a hash of the whole
   * version), or null when nothing is published.
   */
  readonly contentToken: string | null;
}

/** The local D1 database's state under `stateDir` (e.g. .wrangler/state), or null if unknown. */
export function readLocalD1(stateDir: string): LocalD1State | null {
  const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  } catch {
    return null;
  }
  // One D1 binding in wrangler.toml: one database file. More means state this code did not make.
  if (files.length !== 1) return null;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(join(dir, files[0]!), { readOnly: true });
    const applied = db.prepare("SELECT name FROM d1_migrations").all() as { name: string }[];
    const names = new Set(applied.map((r) => r.name));
    // content_state arrives with migration 0003; before it, nothing is published.
    const hasContent = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'content_state'")
      .get();
    const row = hasContent
      ? (db
          .prepare(
            "SELECT v.token AS token FROM content_state s JOIN content_versions v ON v.version = s.version",
          )
          .get() as { token: string } | undefined)
      : undefined;
    return { appliedMigrations: names, contentToken: row?.token ?? null };
  } catch {
    return null;
  } finally {
    db?.close();
  }
}
