/**
 * `npm start`: brings the local site up to date, then serves it with `wrangler dev`.
 *
 * 1. .dev.vars with random local secrets, if there is none (dev-vars.ts).
 * 2. The steps of start/steps.ts, each only when what it reads changed since it last ran:
 *    templates, content (publish), migrations, digests. Unchanged, they cost a few file hashes
 *    and one read of the local database, so a second start is about as fast as wrangler dev's
 *    own start. Deleting .wrangler/state/start-stamps/ makes the next start redo them.
 * 3. `wrangler dev --test-scheduled` with the operator's arguments, and the served port as
 *    BASE_URL when the operator gave a port but no BASE_URL (lib/wrangler-dev-args.ts), so that
 *    digests sent by the cron and the queue link to the port the site is on.
 *
 * Everything runs with start/env.ts's environment: no update check, no metrics, nothing that
 * needs the network, and no second bindings table.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "./dev-vars.ts";
import { wranglerDevArgs } from "./lib/wrangler-dev-args.ts";
import { startEnv } from "./start/env.ts";
import { RepeatedBindingsFilter } from "./start/repeated-bindings.ts";
import { runSteps, StartStepError } from "./start/run-steps.ts";
import { StampStore } from "./start/stamps.ts";
import { startSteps } from "./start/steps.ts";

const root = join(import.meta.dirname, "..");
const stateDir = join(root, ".wrangler", "state");

let args: string[];
try {
  const createdDevVars = ensureDevVars(root);
  if (createdDevVars !== null) console.log(createdDevVars);
  const devVarsPath = join(root, ".dev.vars");
  args = wranglerDevArgs(process.argv.slice(2), {
    devVars: existsSync(devVarsPath) ? readFileSync(devVarsPath, "utf8") : null,
    envBaseUrl: process.env.BASE_URL,
  });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}

const registryDir = mkdtempSync(join(tmpdir(), "axis-dispatch-dev-registry-"));
process.on("exit", () => rmSync(registryDir, { recursive: true, force: true }));
const env = startEnv(process.env, registryDir);

try {
  const report = runSteps(
    startSteps({ root, stateDir, stamps: new StampStore(join(stateDir, "start-stamps")) }),
    // The steps' scripts run on this Node (24, from the `node` dev dependency), whatever `node`
    // is first on PATH.
    (command) =>
      spawnSync(process.execPath, command, { cwd: root, env, stdio: "inherit" }).status ?? 1,
    (line) => console.log(line),
  );
  if (report.skipped.length > 0)
    console.log(
      `npm start: up to date, skipped: ${report.skipped.join(", ")} (delete .wrangler/state/start-stamps/ to redo them)`,
    );
} catch (err) {
  console.error(err instanceof StartStepError ? err.message : err);
  process.exit(1);
}

// wrangler's output passes through RepeatedBindingsFilter, so a pipe replaces the terminal: keep
// its colours and its interactive keys (b, d, c, x) when there is a terminal (the operator's
// own --show-interactive-dev-session, later in args, still wins).
const terminal = Boolean(process.stdout.isTTY && process.stdin.isTTY);
const wrangler = spawn(
  process.execPath,
  [
    join(root, "node_modules/wrangler/bin/wrangler.js"),
    args[0]!,
    ...(terminal ? ["--show-interactive-dev-session=true"] : []),
    ...args.slice(1),
  ],
  {
    cwd: root,
    env: process.stdout.isTTY ? { ...env, FORCE_COLOR: env.FORCE_COLOR ?? "1" } : env,
    stdio: ["inherit", "pipe", "inherit"],
  },
);
const filter = new RepeatedBindingsFilter();
let partial = "";
wrangler.stdout!.setEncoding("utf8");
wrangler.stdout!.on("data", (chunk: string) => {
  const lines = (partial + chunk).split("\n");
  partial = lines.pop()!;
  const out = lines.flatMap((line) => filter.push(line));
  if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
});
wrangler.stdout!.once("end", () => {
  const out = [...(partial ? filter.push(partial) : []), ...filter.flush()];
  if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
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
