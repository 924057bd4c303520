/**
 * `npm start`: `wrangler dev --test-scheduled` with the operator's arguments, and the served port
 * as BASE_URL when the operator gave a port but no BASE_URL (scripts/lib/wrangler-dev-args.ts),
 * so that digests sent by the cron and the queue link to the port the site is on.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { wranglerDevArgs } from "./lib/wrangler-dev-args.ts";

const root = join(import.meta.dirname, "..");
const devVarsPath = join(root, ".dev.vars");

let args: string[];
try {
  args = wranglerDevArgs(process.argv.slice(2), {
    devVars: existsSync(devVarsPath) ? readFileSync(devVarsPath, "utf8") : null,
    envBaseUrl: process.env.BASE_URL,
  });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}

const wrangler = spawn(join(root, "node_modules", ".bin", "wrangler"), args, {
  cwd: root,
  stdio: "inherit",
});
// Ctrl-C reaches wrangler through the terminal's process group; a signal sent to this process
// alone (a supervisor stopping npm's child) is passed on, and we end when wrangler has ended.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => wrangler.kill(signal));
wrangler.once("error", (err) => {
  console.error(`npm start: could not run wrangler: ${err.message}`);
  process.exit(1);
});
wrangler.once("exit", (code) => process.exit(code ?? 1));
