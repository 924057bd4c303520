/**
 * Creates .dev.vars with random local secrets when it is missing (npm start does this first),
 * so a fresh clone has a working admin token and unsubscribe-link key without any setup. Says
 * where the admin token is; never overwrites an existing file. `node scripts/dev-vars.ts` runs
 * it alone.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes `<root>/.dev.vars` if it is missing; returns what to tell the operator, or null. */
export function ensureDevVars(root: string): string | null {
  const path = join(root, ".dev.vars");
  if (existsSync(path)) return null;
  const example = readFileSync(join(root, ".dev.vars.example"), "utf8");
  const filled = example
    .replace(/^ADMIN_TOKEN=.*$/m, `ADMIN_TOKEN=${randomBytes(32).toString("base64url")}`)
    .replace(/^TOKEN_SECRET=.*$/m, `TOKEN_SECRET=${randomBytes(32).toString("base64url")}`);
  writeFileSync(path, filled, { mode: 0o600 });
  return "created .dev.vars with random local secrets (the admin token is ADMIN_TOKEN in that file)";
}

if (import.meta.main) {
  const said = ensureDevVars(join(import.meta.dirname, ".."));
  if (said !== null) console.log(said);
}
