/**
 * `npm run bench:start`: how long `npm start` takes to serve, against how long `wrangler dev`
 * takes to serve a trivial Worker, measured in the same run on the same machine (issue 17's
 * target: an unchanged start within 3× the trivial Worker's).
 *
 * Ready = GET / answers 200, timed from the spawn. In bench/.work/start-project/ (a copy of this
 * checkout's files, with node_modules linked; never this checkout's .wrangler/state):
 *   cold  a fresh clone's first `npm start` (no .wrangler/, no src/generated/, no .dev.vars):
 *         templates built, content/ published, digests built;
 *   warm  `npm start` again with nothing changed: every step skipped.
 * Baseline: `wrangler dev` of a one-line Worker (bench/.work/start-trivial/), started before the
 * cold run and after the warm runs; their median is the denominator. Every server gets a free
 * port and npm start's environment (scripts/start/env.ts), and is stopped before the next.
 *
 *   npm run bench:start                  (about a minute on a quiet 2-CPU machine)
 *   BENCH_START_ROUNDS=3 npm run bench:start     (more warm and trivial runs)
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, createWriteStream, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startEnv } from "../scripts/start/env.ts";
import { onCleanup, runCleanup } from "./lib/cleanup.ts";
import { childEnv, logDir, repoRoot, workDir } from "./lib/paths.ts";
import { freePort } from "./lib/wrangler.ts";

const TARGET = 3;
const rounds = Math.max(1, Number(process.env.BENCH_START_ROUNDS ?? 2));
const project = join(workDir, "start-project");
const trivial = join(workDir, "start-trivial");

/** This checkout's files (tracked and new, as they are now) copied to `project`. */
function copyProject(): void {
  rmSync(project, { recursive: true, force: true });
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: repoRoot, encoding: "utf8" },
  )
    .split("\0")
    .filter((f) => f !== "");
  for (const f of files) {
    try {
      cpSync(join(repoRoot, f), join(project, f));
    } catch {
      // listed but deleted in the working tree
    }
  }
  symlinkSync(join(repoRoot, "node_modules"), join(project, "node_modules"));
}

function writeTrivialWorker(): void {
  mkdirSync(trivial, { recursive: true });
  writeFileSync(join(trivial, "index.js"), 'export default { fetch: () => new Response("ok") };\n');
  writeFileSync(
    join(trivial, "wrangler.toml"),
    'name = "trivial"\nmain = "index.js"\ncompatibility_date = "2026-11-01"\nsend_metrics = false\n',
  );
}

/** Spawns `command` in its own process group, waits for GET / to answer 200, stops it. */
async function timeToReady(name: string, command: string, args: readonly string[], cwd: string) {
  const port = await freePort();
  const inspector = await freePort();
  const registry = join(tmpdir(), `bench-start-registry-${process.pid}-${name}`);
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `start-${name}.log`));
  const started = performance.now();
  const child: ChildProcess = spawn(
    command,
    [...args, "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(inspector)],
    {
      cwd,
      // This Node and node_modules/.bin first on PATH, as npm scripts have them, however the
      // bench itself was started.
      env: startEnv(childEnv(), registry),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // gone
    }
  };
  const unregister = onCleanup({ name: `stop ${name}`, sync: () => kill("SIGKILL") });
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    for (;;) {
      if (gone) throw new Error(`${name} exited before it was ready (log: ${log.path})`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, {
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        if (res.status === 200) return (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 600_000) throw new Error(`${name}: not ready in 10 min`);
      await sleep(100);
    }
  } finally {
    kill("SIGTERM");
    await Promise.race([exited, sleep(10_000, null, { ref: false })]);
    kill("SIGKILL");
    unregister();
    log.end();
    rmSync(registry, { recursive: true, force: true });
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  console.log(`bench:start on ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(1)}`);
  copyProject();
  writeTrivialWorker();
  const wrangler = join(repoRoot, "node_modules", ".bin", "wrangler");
  const trivialRun = (i: number) => timeToReady(`trivial-${i}`, wrangler, ["dev"], trivial);
  const npmStart = (name: string) => timeToReady(name, "npm", ["start", "--"], project);

  const trivialTimes: number[] = [await trivialRun(1)];
  const cold = await npmStart("cold");
  const warm: number[] = [];
  for (let i = 1; i <= rounds; i++) warm.push(await npmStart(`warm-${i}`));
  for (let i = 2; i <= rounds; i++) trivialTimes.push(await trivialRun(i));

  const base = median(trivialTimes);
  const rows = [
    ["trivial Worker (wrangler dev)", trivialTimes, base],
    ["npm start, cold (first run)", [cold], cold],
    ["npm start, warm (unchanged)", warm, median(warm)],
  ] as const;
  console.log("\ntime to the first 200 on / (s)");
  for (const [label, times, m] of rows)
    console.log(
      `  ${label.padEnd(32)} ${m.toFixed(1).padStart(6)}   (${times.map((t) => t.toFixed(1)).join(", ")})`,
    );
  const warmRatio = median(warm) / base;
  console.log(`\nratios to the trivial Worker, same run:`);
  console.log(`  cold / trivial  ${(cold / base).toFixed(2)}×`);
  console.log(
    `  warm / trivial  ${warmRatio.toFixed(2)}×   target ≤ ${TARGET}×: ${warmRatio <= TARGET ? "PASS" : "FAIL"}`,
  );
  console.log(`\nlogs: ${logDir}/start-*.log`);
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await runCleanup();
}
