/**
 * Starting and stopping `wrangler dev` for benchmarks.
 *
 * Each server runs in its own process group (wrangler → workerd children), so stopping kills
 * exactly the processes this benchmark started, and nothing else. Output goes to a log file
 * under bench/.work/logs/ (request logging is off: at warn level wrangler does not print a line
 * per request, which otherwise costs a sizeable share of the 2 CPUs the load test measures).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { onCleanup } from "./cleanup.ts";
import { childEnv, logDir, repoRoot, workDir, wranglerBin } from "./paths.ts";

/** Ports nobody else's tools may be using; never handed out. */
const RESERVED_PORTS = new Set([8787, 9229]);

/** A free TCP port on 127.0.0.1 (asks the OS for one; skips the reserved ones). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.unref();
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        const p = typeof address === "object" && address ? address.port : 0;
        server.close(() => resolve(p));
      });
    });
    if (port > 0 && !RESERVED_PORTS.has(port)) return port;
  }
}

export interface StartOptions {
  /** Short name for logs and reports, e.g. "feed-100". */
  readonly name: string;
  /** Arguments after `wrangler dev`, without --port/--ip/--inspector-port (added here). */
  readonly args: readonly string[];
  /** A function of the chosen port, for arguments that need it (e.g. --var BASE_URL:…). */
  readonly portArgs?: (port: number) => readonly string[];
  /** Path polled until it answers 200. */
  readonly readyPath?: string;
  readonly readyTimeoutMs?: number;
  /** Extra environment variables for wrangler. */
  readonly env?: Readonly<Record<string, string>>;
  /** Local state directory (--persist-to); default bench/.work/state/<name>. */
  readonly persistTo?: string;
  /** A fixed port (e.g. one agreed with others sharing the machine); default: a free one. */
  readonly port?: number;
}

export interface DevServer {
  readonly name: string;
  readonly port: number;
  readonly origin: string;
  readonly pid: number;
  readonly logFile: string;
  /** From spawn to the first 200 on readyPath. */
  readonly readyMs: number;
  /** Latency of that first successful request (includes a cold render, if any). */
  readonly firstResponseMs: number;
  /**
   * CPU time (user + system, seconds) used so far by the server's whole process group: wrangler,
   * esbuild and both workerd processes (wrangler dev's proxy and the Worker's runtime). Linux
   * only (/proc); null elsewhere. Unlike req/s, CPU per response barely moves when other
   * processes compete for the machine.
   */
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

export class ServerStartError extends Error {
  override readonly name = "ServerStartError";
}

/** Starts `wrangler dev` and waits (bounded) until readyPath answers 200. */
export async function startWrangler(options: StartOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const inspectorPort = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, `${options.name}.log`);
  const log = createWriteStream(logFile);
  const args = [
    "dev",
    ...options.args,
    "--port",
    String(port),
    "--ip",
    "127.0.0.1",
    "--inspector-port",
    String(inspectorPort),
    "--show-interactive-dev-session=false",
    "--log-level",
    "warn",
    "--persist-to",
    options.persistTo ?? join(workDir, "state", options.name),
    ...(options.portArgs?.(port) ?? []),
  ];
  log.write(`$ wrangler ${args.join(" ")}\n`);
  const started = performance.now();
  const child = spawn(wranglerBin, args, {
    cwd: repoRoot,
    env: childEnv(options.env),
    detached: true, // own process group: stop() kills wrangler and its workerd, nothing else
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const unregister = onCleanup({
    name: `stop ${options.name}`,
    sync: () => killGroup(child, "SIGKILL"),
    async: () => stopChild(child, exited),
  });
  const stop = async () => {
    unregister();
    await stopChild(child, exited);
    log.end();
  };

  const readyPath = options.readyPath ?? "/";
  const deadline = started + (options.readyTimeoutMs ?? 120_000);
  let lastProblem = "no answer yet";
  while (performance.now() < deadline) {
    if (hasExited) {
      await stop();
      throw new ServerStartError(
        `${options.name}: wrangler exited before it was ready.\n${await tail(logFile)}`,
      );
    }
    const t0 = performance.now();
    try {
      const res = await fetch(origin + readyPath, { signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      if (res.status === 200) {
        const t1 = performance.now();
        const pgid = child.pid!;
        return {
          name: options.name,
          port,
          origin,
          pid: pgid,
          logFile,
          readyMs: t1 - started,
          firstResponseMs: t1 - t0,
          cpuSeconds: () => groupCpuSeconds(pgid),
          stop,
        };
      }
      lastProblem = `GET ${readyPath} answered ${res.status}`;
    } catch (err) {
      lastProblem = (err as Error).message;
    }
    await sleep(250);
  }
  await stop();
  throw new ServerStartError(
    `${options.name}: not ready within ${Math.round((options.readyTimeoutMs ?? 120_000) / 1000)} s (${lastProblem}).\n${await tail(logFile)}`,
  );
}

let clockTicks: number | undefined;

/** Sum of utime + stime over the processes of a process group, from /proc; null if unavailable. */
export function groupCpuSeconds(pgid: number): number | null {
  clockTicks ??=
    Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesized command name (which may itself contain spaces): state is
    // field 3, so pgrp (5) is [2], utime (14) is [11], stime (15) is [12].
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / clockTicks;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  killGroup(child, "SIGTERM");
  // Unref'd timers: a finished stop must not keep the benchmark process alive.
  const done = await Promise.race([exited.then(() => true), sleep(10_000, false, { ref: false })]);
  // wrangler may exit before its workerd does; make sure the whole group is gone.
  killGroup(child, "SIGKILL");
  if (!done) await Promise.race([exited, sleep(5_000, null, { ref: false })]);
}

async function tail(file: string, lines = 30): Promise<string> {
  try {
    const text = await readFile(file, "utf8");
    return `--- last lines of ${file} ---\n${text.trimEnd().split("\n").slice(-lines).join("\n")}`;
  } catch {
    return `(no log at ${file})`;
  }
}
