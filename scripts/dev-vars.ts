/**
 * Creates .dev.vars with random local secrets when it is missing (npm start runs this), so a
 * fresh clone has a working admin token and unsubscribe-link key without any setup. Prints where
 * the admin token is; never overwrites an existing file.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const path = join(root, ".dev.vars");
if (existsSync(path)) process.exit(0);
const example = readFileSync(join(root, ".dev.vars.example"), "utf8");
const filled = example
  .replace(/^ADMIN_TOKEN=.*$/m, `ADMIN_TOKEN=${randomBytes(32).toString("base64url")}`)
  .replace(/^TOKEN_SECRET=.*$/m, `TOKEN_SECRET=${randomBytes(32).toString("base64url")}`);
writeFileSync(path, filled, { mode: 0o600 });
console.log(
  "created .dev.vars with random local secrets (the admin token is ADMIN_TOKEN in that file)",
);
