/**
 * `npm run bench:soak`: the Worker under steady load while content changes. For SOAK_SECONDS
 * (default 300) SOAK_CONNECTIONS keep-alive connections (default 32) ask for /feed.xml,
 * /atom.xml, an article and /digests as fast as they are answered (every third request of a
 * path revalidates with If-None-Match), while an article is changed and published every
 * SOAK_PUBLISH_SECONDS (default 30) with `npm run publish`, as an operator would.
 *
 * Reports the requests, and three counts whose goal is 0: answers other than 200/304, answers
 * whose ETag is not the hash of their body, and answers that mix two content versions or go
 * back to an older one after a newer was served (lib/soak-check.ts). Also how long each
 * publish took to show on each path (at most CONTENT_REFRESH_SECONDS is expected), and the
 * lines of the Worker's log that say a request failed. A bench, not a test: it runs the real
 * `wrangler dev` at full speed on a shared machine, and its figures are not compared with a
 * limit of time.
 *
 *   npm run bench:soak                      (about 5½ minutes)
 *   SOAK_SECONDS=60 npm run bench:soak      (a short run: two publishes)
 *
 * Other knobs: SOAK_ARTICLES (200 synthetic articles), SOAK_PORT (a fixed port for wrangler
 * dev; default a free one). Everything it writes is under bench/.work/soak/ (git-ignored):
 * content/, d1/ (its own local D1), results.json; the server's log is bench/.work/logs/soak.log.
 * Exit status 1 when a goal is missed or something broke.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runCleanup } from "./lib/cleanup.ts";
import { runClosedLoop } from "./lib/closed-loop.ts";
import { repoRoot, workDir } from "./lib/paths.ts";
import { expectPublished, publish, PublishFailedError, type PublishRun } from "./lib/publish.ts";
import { table, writeJson } from "./lib/report.ts";
import { addProblem, checkExchange, newTally, type SoakTally } from "./lib/soak-check.ts";
import { writeSyntheticContent } from "./lib/synthetic-content.ts";
import { snapshotProjectWorker, startProjectWorker } from "./lib/workers.ts";
import type { DevServer } from "./lib/wrangler.ts";

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name}="${raw}": expected a whole number ≥ ${min}`);
  return value;
}

const SECONDS = envInt("SOAK_SECONDS", 300, 5);
const PUBLISH_SECONDS = envInt("SOAK_PUBLISH_SECONDS", 30, 1);
const CONNECTIONS = envInt("SOAK_CONNECTIONS", 32, 1);
const ARTICLES = envInt("SOAK_ARTICLES", 200, 1);
const PORT = process.env.SOAK_PORT?.trim() ? envInt("SOAK_PORT", 0, 1) : undefined;

const soakDir = join(workDir, "soak");
const contentDir = join(soakDir, "content");
const persistTo = join(soakDir, "d1");
const RESULTS_FILE = join(soakDir, "results.json");

/** The article that changes: newer than every synthetic one, so it is first in the feeds. */
const SLUG = "soak-changing-article";

function changingArticle(revision: number): string {
  return [
    "---",
    'id: "urn:uuid:5c0a4b1e-0000-4000-8000-00000000504b"',
    `title: "Soak revision ${revision}: envoys meet again"`,
    'date: "2026-01-15T09:00:00Z"',
    'source: "Test Wire"',
    "tags:",
    "  - russia",
    "  - diplomacy",
    `summary: "Envoys met for another round of talks (soak revision ${revision})."`,
    "---",
    "",
    "Envoys from both capitals met again in Vladivostok, according to officials.",
    "",
    `This is soak revision ${revision} of this article.`,
    "",
  ].join("\n");
}

/** Paths whose answers show the changing article's revision. */
const REVISED_PATHS = ["/feed.xml", "/atom.xml", `/articles/${SLUG}`];
const PATHS = [...REVISED_PATHS, "/digests"];

interface PublishRecord {
  readonly revision: number;
  /** performance.now() when publish had written the new version. */
  readonly doneAt: number;
  readonly ms: number;
  /** Attempts that found the database locked by the server first (see publishWhileServing). */
  readonly busy: readonly string[];
}

const log = (line: string) => console.log(line);

async function prepare(): Promise<void> {
  log(
    `Content: ${ARTICLES} synthetic articles and one that changes → ${relative(repoRoot, contentDir)}`,
  );
  await writeSyntheticContent(contentDir, ARTICLES);
  await writeFile(join(contentDir, `${SLUG}.md`), changingArticle(1));
  await rm(persistTo, { recursive: true, force: true });
  const first = await publish(contentDir, persistTo);
  expectPublished(first, { version: 1, added: ARTICLES + 1 });
  log(`  ${first.command}: ${(first.ms / 1000).toFixed(1)} s`);
}

/** Publishes revision 2, 3, … every PUBLISH_SECONDS until `until`. */
async function publishLoop(until: number, records: PublishRecord[]): Promise<void> {
  for (let revision = 2; ; revision++) {
    await sleep(PUBLISH_SECONDS * 1000);
    if (performance.now() >= until) return;
    await writeFile(join(contentDir, `${SLUG}.md`), changingArticle(revision));
    const started = performance.now();
    const { run, busy } = await publishWhileServing(revision);
    if (run) expectPublished(run, { version: revision, added: 0, changed: 1, deleted: 0 });
    records.push({ revision, doneAt: performance.now(), ms: performance.now() - started, busy });
    const retried = busy.length === 0 ? "" : `, after ${busy.length} × database locked`;
    log(
      `  revision ${revision} published (${((performance.now() - started) / 1000).toFixed(1)} s${retried})`,
    );
  }
}

const PUBLISH_ATTEMPTS = 20;
/** How the local D1 says another process holds the database (wrangler dev's reads). */
const LOCKED = /SQLITE_BUSY|database is locked|session commit token/;

/**
 * `npm run publish` into the database wrangler dev is serving: two processes share one local
 * SQLite file, and a publish that finds it locked by the server's reads (SQLITE_BUSY) changes
 * nothing and says so. An operator runs it again; so does this, a few times, and counts it.
 */
async function publishWhileServing(
  revision: number,
): Promise<{ run: PublishRun | null; busy: string[] }> {
  const busy: string[] = [];
  for (;;) {
    try {
      return { run: await publish(contentDir, persistTo), busy };
    } catch (err) {
      if (!(err instanceof PublishFailedError)) throw err;
      // An attempt that reported a locked database after its flip had published after all
      // (the local D1 failed handing back its commit token): the retry finds nothing to do.
      const landed = /already has this content \(version (\d+)/.exec(err.message);
      if (busy.length > 0 && Number(landed?.[1]) === revision) return { run: null, busy };
      if (!LOCKED.test(err.message) || busy.length + 1 >= PUBLISH_ATTEMPTS) throw err;
      busy.push(
        /^publish failed: .*$|^.*SQLITE_BUSY.*$/m.exec(err.message)?.[0]?.slice(0, 200) ?? "locked",
      );
    }
  }
}

/**
 * A failed D1 read that readers never saw: the digest archive answered from the version last
 * read (src/digest/archive-version.ts). Counted and shown, but not a failure: every answer was
 * still 200/304 with the right bytes, which the goals above check on their own.
 */
const SERVED_STALE = /digest archive: D1 read failed, serving the archive as last read/;

/** Worker log lines that say a request failed (uncaught errors, cross-request I/O). */
async function logLines(server: DevServer): Promise<{ failures: string[]; stale: number }> {
  const lines = (await readFile(server.logFile, "utf8")).split("\n");
  return {
    failures: lines.filter(
      (line) =>
        !SERVED_STALE.test(line) &&
        /Uncaught|different request|Internal Server Error|\bERROR\b/i.test(line),
    ),
    stale: lines.filter((line) => SERVED_STALE.test(line)).length,
  };
}

/** Per path and revision: publish done → the first answer that showed it, in seconds. */
function publishLags(tally: SoakTally, records: readonly PublishRecord[]) {
  return REVISED_PATHS.map((path) => {
    const seen = tally.firstSeen.get(path) ?? new Map<number, number>();
    const lags = records.map((r) => {
      const at = seen.get(r.revision);
      return at === undefined ? null : (at - r.doneAt) / 1000;
    });
    return { path, lags };
  });
}

async function soak(server: DevServer) {
  const tally = newTally();
  const records: PublishRecord[] = [];
  const lastEtag = new Map<string, string>();
  const sent = new Map<string, number>();
  const started = performance.now();
  const until = started + SECONDS * 1000;
  log(
    `\nSoak: ${SECONDS} s, ${CONNECTIONS} connections, ${PATHS.join(" ")}; a publish every ${PUBLISH_SECONDS} s`,
  );
  await Promise.all([
    runClosedLoop({
      origin: server.origin,
      paths: PATHS,
      connections: CONNECTIONS,
      until,
      headersFor: (path): Record<string, string> => {
        const n = (sent.get(path) ?? 0) + 1;
        sent.set(path, n);
        const etag = lastEtag.get(path);
        return n % 3 === 0 && etag ? { "If-None-Match": etag } : {};
      },
      onExchange: (exchange) => {
        checkExchange(tally, exchange);
        const etag = exchange.headers.etag;
        if (exchange.status === 200 && typeof etag === "string") lastEtag.set(exchange.path, etag);
      },
      onError: (path, error) => addProblem(tally, { kind: "error", path, detail: error.message }),
    }),
    publishLoop(until, records),
  ]);
  return { tally, records, seconds: (performance.now() - started) / 1000 };
}

function report(result: Awaited<ReturnType<typeof soak>>, failures: readonly string[]) {
  const { tally, records, seconds } = result;
  const rows = [...tally.byPath].map(([path, t]) => [
    path,
    t.requests.toLocaleString("en"),
    Object.entries(t.statuses)
      .map(([status, n]) => `${status}×${n.toLocaleString("en")}`)
      .join(" "),
  ]);
  const total = [...tally.byPath.values()].reduce((s, t) => s + t.requests, 0);
  log(`\n${table(["path", "answers", "statuses"], rows, new Set([1]))}`);
  log(
    `\n${total.toLocaleString("en")} answers in ${seconds.toFixed(0)} s (${(total / seconds).toFixed(0)}/s); ${records.length} publishes`,
  );
  const goals = [
    ["answers other than 200/304", tally.counts.status],
    ["requests with no answer (reset, timeout)", tally.counts.error],
    ["ETag not the hash of the body", tally.counts.etag],
    ["body mixing two content versions", tally.counts.mixed],
    ["older version after a newer one was served", tally.counts.older],
    ["Worker log lines reporting a failure", failures.length],
  ] as const;
  log(
    `\n${table(
      ["goal 0", "count"],
      goals.map(([what, n]) => [what, String(n)]),
      new Set([1]),
    )}`,
  );
  for (const { path, lags } of publishLags(tally, records)) {
    const shown = lags.map((l) =>
      l === null ? "not within the run" : `${Math.max(0, l).toFixed(1)} s`,
    );
    log(`  ${path}: each publish first shown after ${shown.join(", ") || "(no publish)"}`);
  }
  for (const p of tally.problems) log(`  ${p.kind} ${p.path}: ${p.detail}`);
  for (const line of failures.slice(0, 10)) log(`  log: ${line.slice(0, 300)}`);
  return {
    seconds,
    connections: CONNECTIONS,
    answers: total,
    publishes: records,
    byPath: Object.fromEntries(tally.byPath),
    counts: { ...tally.counts, logFailures: failures.length },
    problems: tally.problems,
    lags: publishLags(tally, records),
    pass: goals.every(([, n]) => n === 0),
  };
}

// Until the report says otherwise: a run that broke half-way fails.
let failed = true;
try {
  await prepare();
  const snapshot = await snapshotProjectWorker();
  log(`Worker bundled once (${snapshot.command})`);
  const server = await startProjectWorker("soak", {
    snapshot,
    persistTo,
    readyPath: "/feed.xml",
    readyTimeoutMs: 180_000,
    localObservability: false,
    ...(PORT === undefined ? {} : { port: PORT }),
  });
  log(`wrangler dev on ${server.origin} (log: ${relative(repoRoot, server.logFile)})`);
  let result;
  try {
    result = await soak(server);
  } finally {
    await server.stop();
  }
  const { failures, stale } = await logLines(server);
  const summary = report(result, failures);
  log(`archive answered as last read after a failed D1 read (not an error): ${stale}`);
  await writeJson(RESULTS_FILE, { finishedAt: new Date().toISOString(), ...summary });
  log(`\n${summary.pass ? "PASS" : "FAIL"}: results in ${relative(repoRoot, RESULTS_FILE)}`);
  failed = !summary.pass;
} catch (err) {
  console.error(
    `\nsoak failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
  );
} finally {
  await runCleanup();
}
process.exitCode = failed ? 1 : 0;
