/** `npm start` on a free loopback port, exactly as a user starts it, and HTTP against it. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ARTIFACTS, fail, ROOT } from "./harness.ts";

export const SERVER_LOG = "e2e-artifacts/server.log";
const STARTUP_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The server's CONTENT_REFRESH_SECONDS (wrangler.toml: 30): how long a publish may take to show.
 * Passed with `npm start -- --var …`, which reaches `wrangler dev` only (not the publish and
 * digest backfill npm start runs first, which do not read it), so the publish checks wait seconds, not
 * half a minute, for each change.
 */
export const CONTENT_REFRESH_SECONDS = 2;

/**
 * Keeps wrangler off the internet: no telemetry, no update check (it runs with the banner), no
 * download of the Request.cf sample (it falls back to a built-in placeholder).
 */
export const WRANGLER_ENV: Readonly<Record<string, string>> = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once("error", reject);
      probe.listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    if (port !== 0 && port !== 8787) return port; // 8787 is the default a developer may be using.
  }
}

export async function fetchWithTimeout(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    ...init,
    redirect: "manual",
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

/** GET that fails the current check unless the answer is 200 with this media type (charset utf-8). */
export async function fetchOk(
  url: string,
  mediaType: string,
): Promise<{ body: string; headers: Headers }> {
  const res = await fetchWithTimeout(url);
  const body = await res.text();
  if (res.status !== 200) fail(`GET ${url}: status ${res.status}`);
  const type = (res.headers.get("content-type") ?? "").toLowerCase().replace(/\s+/g, "");
  if (type !== `${mediaType};charset=utf-8`)
    fail(
      `GET ${url}: Content-Type is "${res.headers.get("content-type")}", expected "${mediaType}; charset=utf-8"`,
    );
  return { body, headers: res.headers };
}

/**
 * Ends a child's whole process group (spawned with `detached: true`), politely first: for
 * `npm start`, npm → sh → wrangler → workerd; for a publish, node → wrangler → workerd.
 */
export async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  for (let waited = 0; alive() && waited < 5_000; waited += 100) await sleep(100);
  if (alive()) signal("SIGKILL");
}

/** Set as soon as a server is spawned, so every way out of the run (normal end, Ctrl-C,
 * watchdog, a failed start) ends it. */
let stopCurrent: () => Promise<void> = async () => {};

/** Stops whatever server this run started (a no-op when none is running). */
export function stopServer(): Promise<void> {
  return stopCurrent();
}

/** Runs `npm start` on a free port and waits until it answers; returns its origin. */
export async function startServer(): Promise<string> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  mkdirSync(ARTIFACTS, { recursive: true });
  const log = openSync(join(ROOT, SERVER_LOG), "w");
  const child = spawn(
    "npm",
    [
      "start",
      "--",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--var",
      `BASE_URL:${origin}`,
      `CONTENT_REFRESH_SECONDS:${CONTENT_REFRESH_SECONDS}`,
    ],
    {
      cwd: ROOT,
      // Its own process group, so stopServer() ends wrangler and workerd too, not just npm.
      detached: true,
      stdio: ["ignore", log, log],
      env: { ...process.env, ...WRANGLER_ENV },
    },
  );
  let exited: string | null = null;
  child.once("error", (error) => (exited = `could not run npm start: ${error.message}`));
  child.once(
    "exit",
    (code, sig) => (exited = `npm start exited early (code ${code}, signal ${sig})`),
  );
  stopCurrent = () => stopGroup(child);

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline && exited === null) {
    try {
      if ((await fetchWithTimeout(`${origin}/`)).status === 200) return origin;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  await stopServer();
  const tail = readFileSync(join(ROOT, SERVER_LOG), "utf8")
    .trimEnd()
    .split("\n")
    .slice(-15)
    .join("\n");
  const why = exited ?? `no answer from ${origin}/ within ${STARTUP_TIMEOUT_MS / 1000} s`;
  fail(tail ? `${why}; last lines of ${SERVER_LOG}:\n${tail}` : why);
}
