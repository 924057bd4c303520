/**
 * `npm run bench`: the Worker serving articles from D1 at 100, 10,000 and 100,000 synthetic
 * articles (publish time, bundle size, start-up, warm feed throughput against a constant
 * baseline, D1 queries per warm request, archive pages), and the digest email's render time.
 *
 *   npm run bench                                     (about 8 minutes on the 2-CPU dev box)
 *   BENCH_SECONDS=2 npm run bench                     (shorter loads; the publishes take as long)
 *   BENCH_SIZES=100,10000 BENCH_SECONDS=2 npm run bench    (quick smoke run, about 2 minutes)
 *
 * (Other knobs in lib/settings.ts.) Everything it writes is under bench/.work/ (git-ignored):
 * content-<size>/ (the synthetic Markdown), d1-<size>/ (each size's local D1, wrangler
 * --persist-to), bundle-<size>/, logs/, results.json. Nothing shared is touched: not content/,
 * not .wrangler/state (npm start's database), not src/.
 *
 * 0. The digest email's render time in Node (lib/digest-render.ts), for the seed week 2024-W43
 *    and synthetic weeks of 50, 200 and 1,000 articles (each article with the analysis publish
 *    stores): renderDigestEmail with the template compiled
 *    at build time against running MJML on every render (the template alone, then the same fill;
 *    and the MJML with the week's content in it), and against the previous renderer; target
 *    ≥ 100× faster than MJML per render at 1 and 200 articles. Also summarizeWeek's time: with
 *    the render, the cron job's work per week. (`node bench/lib/digest-render.ts` runs only
 *    this part.) The cron's build of a week (summary and
 *    render, with stored analyses) in CPU time: under 10 ms at 50 articles, under 50 ms at
 *    1,000 (Workers Free's CPU limit).
 * 1. Generates deterministic synthetic content per size (lib/synthetic-content.ts).
 * 2. Per size, `npm run publish` as a child process (lib/publish.ts: node scripts/publish.ts
 *    --content bench/.work/content-<size> --persist-to bench/.work/d1-<size> --quiet): the full
 *    publish into a fresh database with publish's content index emptied, then one article
 *    edited and published again (its output must say 1 changed), then the same unchanged (it
 *    must say "nothing to publish" and print no line twice). Wall time of each, with publish's
 *    own statement and round-trip counts, and their ratios against the smallest size; targets
 *    at 100,000: one change ≤ 3 s, full ≤ 60 s. Then content/ (the seed) published into
 *    bench/.work/d1-seed and again unchanged, what every npm start does: ≤ 2 s.
 *    (BENCH_ONLY=publish stops here: `BENCH_ONLY=publish BENCH_SIZES=100,100000 npm run bench`.) Then the Worker bundle (lib/bundle.ts, `wrangler deploy --dry-run --outdir
 *    bench/.work/bundle-<size>`): its gzip size must be the same at every size within 1 KB
 *    (articles are in D1, not in the bundle), and no article's id or title may be in it.
 * 3. Load phases 100 → 10,000 → 100,000 → 100 articles (the smallest size before and after,
 *    so slow drift of the machine cancels out of feed(N) / feed(100)). Each starts wrangler dev
 *    on that size's database (lib/workers.ts: the project's Worker and wrangler.toml; its entry
 *    wrapped by lib/counting-d1.ts to count D1 calls and bundled once before the first phase,
 *    so an edit of src/ during the run neither reloads nor changes it; the Cache API's local
 *    store emptied first, so every start is cold): the time from spawn to the first 200 on
 *    /feed.xml is the start-up figure. Then load tests of GET /feed.xml, its 304 revalidation (If-None-Match) and the
 *    archive page /archive/1/feed.xml (the oldest; it exists above FEED_ITEM_LIMIT articles),
 *    all warm (each fetched once first). The D1 calls the Worker made during the phase's loads,
 *    over the requests it answered, are the queries per warm request: the target is 0, apart
 *    from the published version's re-read once per CONTENT_REFRESH_SECONDS (wrangler.toml),
 *    which is counted and reported on its own.
 * 4. Baseline: a Worker returning the exact /feed.xml bytes of the first phase as a constant,
 *    measured in every phase. Loads never overlap (2 CPUs); rounds interleave the targets.
 *    Targets: feed(100) ≥ 0.9 × constant; feed(N) ≥ 0.9 × feed(100) for every larger N.
 * 5. Prints the tables and the ratios, writes bench/.work/results.json.
 *
 * wrangler dev's per-request tracing (local observability) is turned off for every server, as a
 * cost that is not the Worker's; BENCH_LOCAL_OBSERVABILITY=1 keeps it.
 *
 * Servers are stopped however the run ends (lib/cleanup.ts). Exit status: 0 when everything ran
 * (whether or not the targets were met), 1 when something broke.
 *
 * Adding a benchmark: start its server with lib/workers.ts or lib/wrangler.ts (stopped on any
 * exit), describe what to load as lib/load.ts Targets (with `verify` and `serverCpuSeconds`),
 * measure them with measurePhase (loads never overlap), add their RatioSpecs, and put anything
 * else worth keeping in `results` (it all lands in results.json). A benchmark without a server
 * (like the digest render, the publishes or the bundle) runs in main() before the load phases,
 * never during one, and reports through `results.ratios` (a ratio with a minimum) or
 * `results.limits` (any other PASS/FAIL target).
 */
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join, relative } from "node:path";
import { loadContent } from "../scripts/build-content.ts";
import { DEFAULT_CACHE_DIR, indexCacheFile } from "../scripts/publish/index-cache.ts";
import { BUNDLE_GZIP_TARGET_BYTES, type BundleInfo, measureBundle } from "./lib/bundle.ts";
import { runCleanup } from "./lib/cleanup.ts";
import { type D1Counts, d1Calls } from "./lib/counting-d1.ts";
import {
  DIGEST_SEED_WEEK,
  DIGEST_SYNTHETIC_ARTICLES,
  DIGEST_SYNTHETIC_WEEK,
  cronBuildLimits,
  digestBuildTimes,
  digestRenderRatios,
  formatDigestBuildTimes,
  measureDigestRender,
  prepareDigestCases,
  type RenderTiming,
} from "./lib/digest-render.ts";
import {
  expectStatus,
  fetchBytes,
  type Fetched,
  RepresentationChangedError,
  sameRepresentation,
} from "./lib/http.ts";
import {
  type Measurement,
  measurePhase,
  type PhaseRun,
  type PhaseTarget,
  summarize,
  type Target,
} from "./lib/load.ts";
import { repoRoot, workDir } from "./lib/paths.ts";
import {
  editArticle,
  expectPublished,
  openFilesLimit,
  publish,
  type PublishRun,
  publishUnchanged,
} from "./lib/publish.ts";
import {
  computeRatios,
  formatLimits,
  formatMeasurements,
  formatRatios,
  formatRenderTimings,
  type LimitCheck,
  type Ratio,
  type RatioSpec,
  table,
  writeJson,
} from "./lib/report.ts";
import { readSettings, SETTINGS_HELP } from "./lib/settings.ts";
import { type SampleArticle, writeSyntheticContent } from "./lib/synthetic-content.ts";
import {
  readD1Counts,
  snapshotProjectWorker,
  startConstantWorker,
  startProjectWorker,
  type WorkerSnapshot,
} from "./lib/workers.ts";
import type { DevServer } from "./lib/wrangler.ts";

const settings = readSettings();
const SIZES = settings.sizes;
const BASE = SIZES[0]!;
/** A B … A: the smallest size before and after the others. */
const PHASES: readonly number[] = SIZES.length > 1 ? [...SIZES, BASE] : [BASE];
const RESULTS_FILE = join(workDir, "results.json");
const FEED_PATH = "/feed.xml";
const ARCHIVE_PATH = "/archive/1/feed.xml";
/** The bundle's gzip size may differ by at most this between sizes (it should not differ at all). */
const BUNDLE_SAME_WITHIN_BYTES = 1000;

/** A [vars] value of wrangler.toml (the config the benchmarked Worker runs with). */
function wranglerVar(name: string, fallback: number): number {
  const toml = readFileSync(join(repoRoot, "wrangler.toml"), "utf8");
  const value = Number(new RegExp(`^${name}\\s*=\\s*"(\\d+)"`, "m").exec(toml)?.[1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
/** Items per feed and archive page: /archive/1/ exists above this many articles. */
const FEED_ITEM_LIMIT = wranglerVar("FEED_ITEM_LIMIT", 50);
/** How often an isolate re-reads the published version (src/content/view.ts). */
const CONTENT_REFRESH_SECONDS = wranglerVar("CONTENT_REFRESH_SECONDS", 30);
const hasArchive = (size: number) => size > FEED_ITEM_LIMIT;

const n = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 0 });
const fmtMs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const log = (line = "") => console.log(line);

function ratioSpecs(): RatioSpec[] {
  const feed = (s: number) => `feed-${s}`;
  const larger = SIZES.slice(1);
  return [
    {
      name: `feed(${n(BASE)}) / constant`,
      numerator: feed(BASE),
      denominator: "constant",
      min: 0.9,
    },
    ...larger.map((s) => ({
      name: `feed(${n(s)}) / feed(${n(BASE)})`,
      numerator: feed(s),
      denominator: feed(BASE),
      min: 0.9,
    })),
    ...larger
      .filter((s) => hasArchive(s) && hasArchive(BASE))
      .map((s) => ({
        name: `archive(${n(s)}) / archive(${n(BASE)})`,
        numerator: `archive-${s}`,
        denominator: `archive-${BASE}`,
        min: null,
      })),
    ...SIZES.map((s) => ({
      name: `304(${n(s)}) / constant`,
      numerator: `feed-${s}-304`,
      denominator: "constant",
      min: null,
    })),
    // The same comparisons from server CPU per response: far less sensitive to other load on the box.
    {
      name: `feed(${n(BASE)}) / constant, by server CPU`,
      numerator: feed(BASE),
      denominator: "constant",
      min: null,
      basis: "cpu",
    },
    ...larger.map((s): RatioSpec => ({
      name: `feed(${n(s)}) / feed(${n(BASE)}), by server CPU`,
      numerator: feed(s),
      denominator: feed(BASE),
      min: null,
      basis: "cpu",
    })),
  ];
}

interface ServerInfo {
  readonly name: string;
  readonly articles: number | null;
  readonly port: number;
  /** Spawn of wrangler dev → the first 200 on /feed.xml (polled every 250 ms). */
  readonly readyMs: number;
  /** That first /feed.xml alone: a cold render (version read, query, render). */
  readonly firstResponseMs: number;
  readonly logFile: string;
}

/** D1 calls during one phase's loads, by the counting Worker (lib/counting-d1.ts). */
interface D1Usage {
  readonly phase: string;
  readonly seconds: number;
  readonly requests: number;
  /** Every D1 call (prepare + batch + exec). */
  readonly calls: number;
  /** Of which the published version's periodic re-read (a query on content_state). */
  readonly versionReads: number;
  /** Everything else: what requests themselves asked of D1. */
  readonly otherCalls: number;
  /** The other calls by SQL (prepare), for the report when there are any. */
  readonly otherSql: Readonly<Record<string, number>>;
}

interface SizeInfo {
  readonly articles: number;
  readonly contentDir: string;
  readonly persistTo: string;
  readonly markdownBytes: number;
  readonly generateMs: number;
  readonly samples: readonly SampleArticle[];
  publish?: PublishRun;
  change?: PublishRun & { readonly file: string };
  /** The same content published again, unchanged (what every npm start does). */
  unchanged?: { readonly command: string; readonly ms: number };
  bundle?: BundleInfo;
  feedBytes?: number;
  archiveBytes?: number;
  /** The first /archive/1/feed.xml after start-up: a cold render (its query is an OFFSET scan). */
  archiveFirstMs?: number;
  d1: D1Usage[];
}

const results = {
  startedAt: new Date().toISOString(),
  finishedAt: null as string | null,
  ok: false,
  error: null as string | null,
  settings,
  phases: PHASES,
  worker: { feedItemLimit: FEED_ITEM_LIMIT, contentRefreshSeconds: CONTENT_REFRESH_SECONDS },
  environment: {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    loadavgAtStart: loadavg(),
    openFilesLimit: openFilesLimit(),
  },
  sizes: [] as SizeInfo[],
  servers: [] as ServerInfo[],
  measurements: [] as Measurement[],
  ratios: [] as Ratio[],
  constantByPhase: [] as { phase: string; reqPerSec: number }[],
  digestRender: [] as RenderTiming[],
  digestBuild: [] as ReturnType<typeof digestBuildTimes>,
  limits: [] as LimitCheck[],
};
const runs: PhaseRun[] = [];
const sizeInfo = (size: number) => results.sizes.find((s) => s.articles === size)!;

function recordServer(server: DevServer, articles: number | null): DevServer {
  results.servers.push({
    name: server.name,
    articles,
    port: server.port,
    readyMs: server.readyMs,
    firstResponseMs: server.firstResponseMs,
    logFile: relative(repoRoot, server.logFile),
  });
  log(
    `  ${server.name}: ready on ${server.origin} after ${fmtMs(server.readyMs)} (first ${FEED_PATH}: ${server.firstResponseMs.toFixed(0)} ms)`,
  );
  return server;
}

/** GET `path` and the conditional GET with its ETag, both checked. */
async function fetchChecked(
  server: DevServer,
  path: string,
): Promise<{ full: Fetched; etag: string; ms: number }> {
  const url = server.origin + path;
  const t0 = performance.now();
  const full = await fetchBytes(url);
  const ms = performance.now() - t0;
  expectStatus(full, 200, `${server.name} GET ${path}`);
  const etag = full.headers.get("etag");
  if (!etag) throw new Error(`${server.name} GET ${path}: no ETag header`);
  const revalidated = await fetchBytes(url, { "If-None-Match": etag });
  expectStatus(revalidated, 304, `${server.name} GET ${path} with If-None-Match: ${etag}`);
  if (revalidated.body.byteLength !== 0)
    throw new Error(`${server.name}: the 304 has a ${revalidated.body.byteLength}-byte body`);
  return { full, etag, ms };
}

function projectTargets(
  server: DevServer,
  size: number,
  feed: { full: Fetched; etag: string },
  archive: Fetched | null,
): Target[] {
  const url = server.origin + FEED_PATH;
  const verify = sameRepresentation(url, feed.full, `${server.name} ${FEED_PATH}`);
  const serverCpuSeconds = server.cpuSeconds;
  const targets: Target[] = [
    {
      id: `feed-${size}`,
      label: `GET /feed.xml (${n(size)} articles)`,
      url,
      expectStatus: 200,
      verify,
      serverCpuSeconds,
    },
    {
      id: `feed-${size}-304`,
      label: `GET /feed.xml If-None-Match → 304 (${n(size)})`,
      url,
      headers: { "If-None-Match": feed.etag },
      expectStatus: 304,
      verify,
      serverCpuSeconds,
    },
  ];
  if (archive) {
    const archiveUrl = server.origin + ARCHIVE_PATH;
    targets.push({
      id: `archive-${size}`,
      label: `GET ${ARCHIVE_PATH} (${n(size)})`,
      url: archiveUrl,
      expectStatus: 200,
      verify: sameRepresentation(archiveUrl, archive, `${server.name} ${ARCHIVE_PATH}`),
      serverCpuSeconds,
    });
  }
  return targets;
}

/** The constant baseline: started in the first phase from its /feed.xml bytes, kept for all. */
let constant: { server: DevServer; target: Target } | null = null;

async function startConstant(feed: Fetched): Promise<{ server: DevServer; target: Target }> {
  const contentType = feed.headers.get("content-type") ?? "application/rss+xml; charset=utf-8";
  // Stopped by the cleanup registered when it started.
  const server = recordServer(
    await startConstantWorker("constant", feed.body, contentType, settings),
    null,
  );
  const url = server.origin + FEED_PATH;
  const body = await fetchBytes(url);
  expectStatus(body, 200, "constant Worker");
  if (body.sha256 !== feed.sha256)
    throw new Error("constant Worker: its body is not byte-identical to /feed.xml");
  log(`  constant: serves the same ${n(body.body.byteLength)} bytes`);
  return {
    server,
    target: {
      id: "constant",
      label: "constant Worker, same bytes",
      url,
      expectStatus: 200,
      verify: sameRepresentation(url, body, "constant"),
      serverCpuSeconds: server.cpuSeconds,
    },
  };
}

/** What the counting Worker saw between two readings. */
function d1Usage(phase: string, before: D1Counts, after: D1Counts, seconds: number): D1Usage {
  if (after.instance !== before.instance) {
    // Counting started over in a new isolate: what it counted is not the phase's.
    throw new RepresentationChangedError(
      `the Worker restarted during the measurement (isolate ${before.instance} → ${after.instance}, ${after.requests} requests counted since)`,
    );
  }
  const versionSql = (sql: string) => /\bcontent_state\b/.test(sql);
  let versionReads = 0;
  const otherSql: Record<string, number> = {};
  for (const [sql, count] of Object.entries(after.sql)) {
    const delta = count - (before.sql[sql] ?? 0);
    if (delta === 0) continue;
    if (versionSql(sql)) versionReads += delta;
    else otherSql[sql] = delta;
  }
  const calls = d1Calls(after) - d1Calls(before);
  return {
    phase,
    seconds,
    requests: after.requests - before.requests,
    calls,
    versionReads,
    otherCalls: calls - versionReads,
    otherSql,
  };
}

/** One phase: the Worker on `size` articles' database, measured next to the constant. */
async function runPhase(
  phase: string,
  name: string,
  size: number,
  snapshot: WorkerSnapshot,
): Promise<PhaseRun[]> {
  const info = sizeInfo(size);
  // Cold start: no rendered response left in the Cache API's local store by an earlier phase.
  await rm(join(info.persistTo, "v3", "cache"), { recursive: true, force: true });
  const server = recordServer(
    await startProjectWorker(name, {
      ...settings,
      snapshot,
      persistTo: info.persistTo,
      readyPath: FEED_PATH,
    }),
    size,
  );
  try {
    const feed = await fetchChecked(server, FEED_PATH);
    info.feedBytes = feed.full.body.byteLength;
    log(
      `  ${FEED_PATH}: ${n(feed.full.body.byteLength)} bytes, ETag ${feed.etag}, 304 on revalidation`,
    );
    let archive: Fetched | null = null;
    if (hasArchive(size)) {
      const fetched = await fetchChecked(server, ARCHIVE_PATH);
      archive = fetched.full;
      info.archiveBytes = archive.body.byteLength;
      info.archiveFirstMs ??= fetched.ms;
      log(
        `  ${ARCHIVE_PATH}: ${n(archive.body.byteLength)} bytes, first request (cold) ${fetched.ms.toFixed(0)} ms`,
      );
    } else {
      log(`  ${ARCHIVE_PATH}: none at ${n(size)} articles (FEED_ITEM_LIMIT ${FEED_ITEM_LIMIT})`);
    }
    constant ??= await startConstant(feed.full);

    // Each target gets settings.seconds over the whole run, split over the phases it is in.
    const share = (count: number) => settings.seconds / count;
    const targets: PhaseTarget[] = [
      { target: constant.target, seconds: share(PHASES.length) },
      ...projectTargets(server, size, feed, archive).map((target) => ({
        target,
        seconds: share(PHASES.filter((p) => p === size).length),
      })),
    ];
    const before = await readD1Counts(server);
    const t0 = performance.now();
    const measured = await measurePhase(phase, targets, settings, log);
    const after = await readD1Counts(server);
    const usage = d1Usage(phase, before, after, (performance.now() - t0) / 1000);
    info.d1.push(usage);
    log(
      `  D1 calls during the loads: ${n(usage.calls)} in ${n(usage.requests)} requests (${usage.versionReads} version re-read${usage.versionReads === 1 ? "" : "s"}, ${usage.otherCalls} other)`,
    );
    return measured;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  log(
    `Axis Dispatch benchmark: ${SIZES.map(n).join(", ")} articles; ${settings.seconds} s of load per target, ${settings.rounds} round(s) per phase, ${settings.warmupSeconds} s warm-up, ${settings.connections} connections`,
  );
  log(
    `  wrangler dev local observability (per-request tracing): ${settings.localObservability ? "on" : "off"}`,
  );
  log(
    `  (settings: ${SETTINGS_HELP}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, ${cpus().length} CPUs, ulimit -Hn ${results.environment.openFilesLimit ?? "?"})`,
  );

  if (settings.only === null) await benchDigestRender();

  log("\nSynthetic content:");
  for (const size of SIZES) {
    const contentDir = join(workDir, `content-${size}`);
    const t0 = performance.now();
    const { bytes, samples } = await writeSyntheticContent(contentDir, size);
    results.sizes.push({
      articles: size,
      contentDir,
      persistTo: join(workDir, `d1-${size}`),
      markdownBytes: bytes,
      generateMs: performance.now() - t0,
      samples,
      d1: [],
    });
    log(
      `  ${n(size)} articles → ${relative(repoRoot, contentDir)} (${(bytes / 1e6).toFixed(1)} MB Markdown, ${fmtMs(performance.now() - t0)})`,
    );
  }

  const realIds = (await loadContent(join(repoRoot, "content"))).articles.map((a) => a.id);
  for (const size of SIZES) {
    log(`\n${n(size)} articles: publish and bundle`);
    await benchPublish(sizeInfo(size));
    if (settings.only === null) await benchBundle(sizeInfo(size), realIds);
  }
  bundleLimits();
  publishLimits();
  await benchSeedUnchanged();
  if (settings.only === "publish") return;

  log("\nThe Worker for the load phases (bundled once; lib/counting-d1.ts counts its D1 calls):");
  const snapshot = await snapshotProjectWorker();
  log(`  ${snapshot.command}: ${fmtMs(snapshot.ms)}`);

  for (const [i, size] of PHASES.entries()) {
    const phase = `${i + 1}: ${n(size)} articles`;
    log(`\nPhase ${phase}:`);
    for (let attempt = 1; ; attempt++) {
      try {
        runs.push(...(await runPhase(phase, `feed-${size}-phase${i + 1}`, size, snapshot)));
        break;
      } catch (err) {
        // The server changed or restarted under the load: repeat the phase (bounded).
        if (!(err instanceof RepresentationChangedError) || attempt > settings.retries) throw err;
        log(
          `  ${err.message}\n  repeating phase ${phase} (retry ${attempt} of ${settings.retries})`,
        );
      }
    }
  }
}

/**
 * The full publish into a fresh database and without publish's content index (cold: every
 * file parsed), then one article changed and published again, then nothing changed.
 */
async function benchPublish(info: SizeInfo): Promise<void> {
  await rm(info.persistTo, { recursive: true, force: true });
  await rm(indexCacheFile(DEFAULT_CACHE_DIR, info.contentDir), { force: true });
  const where = relative(repoRoot, info.persistTo);
  const full = await publish(info.contentDir, info.persistTo);
  expectPublished(full, {
    version: 1,
    added: info.articles,
    changed: 0,
    deleted: 0,
    articles: info.articles,
  });
  info.publish = full;
  const problem = (run: PublishRun) =>
    run.openFilesProblem
      ? `\n    (failed first with “${run.openFilesProblem}”; measured again with bench/lib/limit-open-files.ts preloaded)`
      : "";
  log(
    `  full publish into a fresh ${where}: ${fmtMs(full.ms)} (${full.report.statements} statements in ${full.report.roundTrips} round trips)${problem(full)}`,
  );

  const file = join(info.contentDir, info.samples[0]!.fileName);
  await editArticle(file);
  const change = await publish(info.contentDir, info.persistTo);
  expectPublished(change, { version: 2, added: 0, changed: 1, deleted: 0 });
  info.change = { ...change, file: relative(repoRoot, file) };
  log(
    `  one article changed (${relative(info.contentDir, file)}), published again: ${fmtMs(change.ms)} (${change.report.statements} statements in ${change.report.roundTrips} round trips)${problem(change)}`,
  );

  const unchanged = await publishUnchanged(info.contentDir, info.persistTo);
  info.unchanged = { command: unchanged.command, ms: unchanged.ms };
  log(`  nothing changed, published again: ${fmtMs(unchanged.ms)} (${unchanged.line})`);
}

/** The deployable bundle after this size's publish: must not depend on it. */
async function benchBundle(info: SizeInfo, realIds: readonly string[]): Promise<void> {
  const texts = [...info.samples.flatMap((s) => [s.id, s.title]), ...realIds.slice(0, 3)];
  const bundle = await measureBundle(`bundle-${info.articles}`, texts);
  info.bundle = bundle;
  log(
    `  ${bundle.command}: ${bundle.files.map((f) => f.name).join(", ")} in ${fmtMs(bundle.ms)}; ${kb(bundle.rawBytes)} raw, ${kb(bundle.gzipBytes)} gzip (wrangler: ${bundle.wranglerReports ?? "no size line"})`,
  );
  if (info.articles === BASE) {
    log(`  largest parts: ${bundle.largest.map((p) => `${p.source} ${kb(p.bytes)}`).join(", ")}`);
    log(
      `  largest inputs: ${bundle.largestInputs.map((p) => `${p.source} ${kb(p.bytes)}`).join(", ")}`,
    );
    for (const m of bundle.mjml) {
      const control =
        m.controlMatches === null
          ? ""
          : m.controlMatches
            ? ", marker confirmed on the package's own code"
            : ", MARKER DOES NOT MATCH the package's own code";
      log(
        `  mjml marker (${m.what}): ${m.found === null ? "absent" : `FOUND: …${m.found}…`}${control}`,
      );
    }
  }
  const found = bundle.articleTexts.filter((t) => t.found);
  log(
    `  article ids and titles in the bundle: ${found.length === 0 ? `none of ${bundle.articleTexts.length} looked for` : `FOUND ${found.map((t) => t.text).join("; ")}`}`,
  );
}

function bundleLimits(): void {
  const bundles = results.sizes.flatMap((s) => (s.bundle ? [[s.articles, s.bundle] as const] : []));
  if (bundles.length === 0) return;
  const gzips = bundles.map(([, b]) => b.gzipBytes);
  const [min, max] = [Math.min(...gzips), Math.max(...gzips)];
  const perSize = bundles.map(([size, b]) => `${n(size)}: ${n(b.gzipBytes)} B`).join(", ");
  const foundArticles = bundles.filter(([, b]) => b.articleTexts.some((t) => t.found));
  results.limits.push(
    {
      name: "Worker bundle, gzip (KB = 1,000 bytes)",
      value: kb(max),
      target: `≤ ${kb(BUNDLE_GZIP_TARGET_BYTES)}`,
      pass: max <= BUNDLE_GZIP_TARGET_BYTES,
      note: `raw ${kb(Math.max(...bundles.map(([, b]) => b.rawBytes)))}`,
    },
    {
      name: `Worker bundle gzip, same at ${bundles.map(([s]) => n(s)).join(" / ")} articles`,
      value: `spread ${n(max - min)} B`,
      target: `≤ ${kb(BUNDLE_SAME_WITHIN_BYTES)}`,
      pass: max - min <= BUNDLE_SAME_WITHIN_BYTES,
      note: perSize,
    },
    {
      name: "Worker bundle contains no article",
      value: foundArticles.length === 0 ? "none found" : "found",
      target: "no synthetic or content/ article id or title",
      pass: foundArticles.length === 0,
    },
    {
      name: "Worker bundle contains no MJML",
      value: bundles.every(([, b]) => b.mjmlFree) ? "none found" : "found",
      target: "no mjml, mjml-core, mj-column code, juice",
      pass: bundles.every(([, b]) => b.mjmlFree),
    },
  );
}

/** Seconds an unchanged publish of the seed content may take: it runs at every npm start. */
const SEED_UNCHANGED_TARGET_MS = 2000;

/**
 * content/ (the seed) published into its own database under bench/.work/, then again unchanged:
 * what `npm start` pays every time.
 */
async function benchSeedUnchanged(): Promise<void> {
  const contentDir = join(repoRoot, "content");
  const persistTo = join(workDir, "d1-seed");
  await rm(persistTo, { recursive: true, force: true });
  log(`\nThe seed (content/): publish, then again unchanged (as every npm start does)`);
  const full = await publish(contentDir, persistTo);
  log(`  publish into a fresh ${relative(repoRoot, persistTo)}: ${fmtMs(full.ms)}`);
  const again = await publishUnchanged(contentDir, persistTo);
  log(`  nothing changed, published again: ${fmtMs(again.ms)} (${again.line})`);
  results.limits.push({
    name: `unchanged publish of the seed (${n(again.articles)} articles), printing no line twice`,
    value: fmtMs(again.ms),
    target: `≤ ${fmtMs(SEED_UNCHANGED_TARGET_MS)}`,
    pass: again.ms <= SEED_UNCHANGED_TARGET_MS,
  });
}

/** Targets of issue 17: one change ≤ 3 s and a full publish ≤ 60 s at 100,000 articles. */
const CHANGE_TARGET_MS = 3000;
const FULL_TARGET_MS = 60_000;
const TARGET_SIZE = 100_000;

function publishLimits(): void {
  const published = results.sizes.filter((s) => s.publish);
  if (published.length === 0) return;
  const base = sizeInfo(BASE);
  for (const s of published.filter((x) => x.articles !== BASE)) {
    // Information: how publish time grows with the content (work proportional to the change
    // means the one-change ratio stays near 1 while the full publish's grows with the size).
    const ratio = (what: string, a?: { ms: number }, b?: { ms: number }) =>
      a && b
        ? results.ratios.push({
            name: `${what}(${n(s.articles)}) / ${what}(${n(BASE)}), wall time`,
            numerator: `${what}-${s.articles}`,
            denominator: `${what}-${BASE}`,
            min: null,
            value: a.ms / b.ms,
            pass: null,
            note: `${fmtMs(a.ms)} / ${fmtMs(b.ms)}`,
          })
        : undefined;
    ratio("publish 1 change", s.change, base.change);
    ratio("full publish", s.publish, base.publish);
    ratio("unchanged publish", s.unchanged, base.unchanged);
  }
  for (const s of published.filter((x) => x.articles >= TARGET_SIZE)) {
    results.limits.push(
      {
        name: `publish of one changed article (${n(s.articles)} articles)`,
        value: s.change ? fmtMs(s.change.ms) : "n/a",
        target: `≤ ${fmtMs(CHANGE_TARGET_MS)}`,
        pass: s.change !== undefined && s.change.ms <= CHANGE_TARGET_MS,
      },
      {
        name: `full publish into a fresh database (${n(s.articles)} articles)`,
        value: fmtMs(s.publish!.ms),
        target: `≤ ${fmtMs(FULL_TARGET_MS)}`,
        pass: s.publish!.ms <= FULL_TARGET_MS,
      },
    );
  }
  const failed = published.filter((s) => s.publish!.openFilesProblem || s.change?.openFilesProblem);
  const first = failed[0];
  results.limits.push({
    name: "publish reads the content within the open-files limit",
    value:
      first === undefined
        ? "no EMFILE"
        : `EMFILE at ${failed.map((s) => n(s.articles)).join(", ")} articles`,
    target: `no EMFILE at ulimit -Hn ${results.environment.openFilesLimit ?? "?"}`,
    pass: first === undefined,
    ...(first
      ? {
          note: `scripts/build-content.ts loadContent reads every file at once; measured with bench/lib/limit-open-files.ts preloaded`,
        }
      : {}),
  });
}

function d1Limits(): void {
  for (const info of results.sizes) {
    if (info.d1.length === 0) continue;
    const requests = info.d1.reduce((s, u) => s + u.requests, 0);
    const other = info.d1.reduce((s, u) => s + u.otherCalls, 0);
    const versionReads = info.d1.reduce((s, u) => s + u.versionReads, 0);
    // At most one re-read per CONTENT_REFRESH_SECONDS of each phase, and one more at its start.
    const allowedReads = info.d1.reduce(
      (s, u) => s + Math.ceil(u.seconds / CONTENT_REFRESH_SECONDS) + 1,
      0,
    );
    const sql = Object.entries(
      info.d1.reduce<Record<string, number>>((acc, u) => {
        for (const [q, c] of Object.entries(u.otherSql)) acc[q] = (acc[q] ?? 0) + c;
        return acc;
      }, {}),
    );
    results.limits.push({
      name: `D1 queries per warm request (${n(info.articles)} articles)`,
      value: requests > 0 ? (other / requests).toFixed(other === 0 ? 0 : 4) : "n/a",
      target: "0",
      pass: requests > 0 && other === 0 && versionReads <= allowedReads,
      note:
        `${n(other)} in ${n(requests)} requests; plus ${versionReads} version re-read${versionReads === 1 ? "" : "s"} (every ${CONTENT_REFRESH_SECONDS} s, at most ${allowedReads})` +
        (sql.length > 0
          ? `; queries: ${sql.map(([q, c]) => `${c}× ${q.slice(0, 100)}`).join(" | ")}`
          : ""),
    });
  }
}

/** renderDigestEmail (precompiled) against MJML per render, per week; in-process, no load running. */
async function benchDigestRender(): Promise<void> {
  log(
    `\nDigest email render (${settings.digestSeconds} s per week and method, ${settings.rounds} round(s)):`,
  );
  const cases = await prepareDigestCases(
    DIGEST_SEED_WEEK,
    DIGEST_SYNTHETIC_WEEK,
    DIGEST_SYNTHETIC_ARTICLES,
  );
  results.digestRender = await measureDigestRender(
    cases,
    { seconds: settings.digestSeconds, rounds: settings.rounds },
    log,
  );
  results.ratios.push(...digestRenderRatios(cases, results.digestRender));
  results.digestBuild = digestBuildTimes(cases, results.digestRender);
  results.limits.push(...cronBuildLimits(cases, results.digestRender));
}

/** One row per size: the figures the issue asks for, side by side. */
function formatSizes(): string {
  const rate = (id: string) => {
    const m = results.measurements.find((x) => x.id === id);
    return m ? n(m.reqPerSec) : "n/a";
  };
  const rows = results.sizes.map((s) => {
    const starts = results.servers.filter((x) => x.articles === s.articles);
    const requests = s.d1.reduce((sum, u) => sum + u.requests, 0);
    const other = s.d1.reduce((sum, u) => sum + u.otherCalls, 0);
    return [
      n(s.articles),
      `${(s.markdownBytes / 1e6).toFixed(1)} MB`,
      s.publish ? fmtMs(s.publish.ms) : "n/a",
      s.change ? fmtMs(s.change.ms) : "n/a",
      s.unchanged ? fmtMs(s.unchanged.ms) : "n/a",
      s.bundle ? n(s.bundle.gzipBytes) : "n/a",
      starts.length > 0 ? starts.map((x) => fmtMs(x.readyMs)).join(" / ") : "n/a",
      starts.length > 0 ? starts.map((x) => n(x.firstResponseMs)).join(" / ") : "n/a",
      rate(`feed-${s.articles}`),
      rate(`feed-${s.articles}-304`),
      rate(`archive-${s.articles}`),
      s.archiveFirstMs === undefined ? "n/a" : n(s.archiveFirstMs),
      requests > 0 ? `${n(other)} / ${n(requests)}` : "n/a",
    ];
  });
  return table(
    [
      "articles",
      "Markdown",
      "full publish",
      "1 change",
      "unchanged",
      "bundle gzip B",
      "start → 1st feed",
      "1st feed ms",
      "feed req/s",
      "304 req/s",
      "archive req/s",
      "1st archive ms",
      "D1 queries / warm requests",
    ],
    rows,
    new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
  );
}

function report(): void {
  // Ratios of the benchmarks before the load phases come first; the load's are computed here.
  const early = results.ratios;
  results.measurements = summarize(runs, settings.connections);
  results.ratios = [...early, ...computeRatios(results.measurements, ratioSpecs())];
  d1Limits();

  // Per-phase rates: the constant shows how much the machine drifted; dividing each feed rate by
  // the constant of its own phase gives a drift-corrected feed(N) / feed(BASE).
  const rateIn = (id: string, phase: string) => {
    const rs = runs.filter((r) => r.target.id === id && r.phase === phase);
    const secs = rs.reduce((s, r) => s + r.run.seconds, 0);
    return secs > 0 ? rs.reduce((s, r) => s + r.run.latencies.length, 0) / secs : NaN;
  };
  const phases = [...new Set(runs.map((r) => r.phase))];
  results.constantByPhase = phases.map((phase) => ({
    phase,
    reqPerSec: rateIn("constant", phase),
  }));
  const relative = (size: number) => {
    const values = phases
      .map((p) => rateIn(`feed-${size}`, p) / rateIn("constant", p))
      .filter(Number.isFinite);
    return values.reduce((s, v) => s + v, 0) / values.length;
  };
  for (const size of SIZES.slice(1)) {
    const corrected = relative(size) / relative(BASE);
    if (Number.isFinite(corrected)) {
      results.ratios.push({
        name: `feed(${n(size)}) / feed(${n(BASE)}), each ÷ constant of its phase`,
        numerator: `feed-${size}`,
        denominator: `feed-${BASE}`,
        min: null,
        value: corrected,
        pass: null,
        note: "drift-corrected",
      });
    }
  }

  log("\nResults:");
  if (results.sizes.some((s) => s.publish)) {
    log(`${formatSizes()}\n`);
    log(
      "(full publish: fresh database; 1 change: one article edited, published again; both wall time of node scripts/publish.ts. start → 1st feed: spawn of wrangler dev to the first 200 on /feed.xml; 1st feed/archive ms: that request alone, cold. req/s: warm. D1 queries: besides the version re-read every CONTENT_REFRESH_SECONDS.)\n",
    );
  }
  if (results.measurements.length > 0) log(`${formatMeasurements(results.measurements)}\n`);
  if (results.digestRender.length > 0) log(`${formatRenderTimings(results.digestRender)}\n`);
  if (results.digestBuild.length > 0)
    log(`The cron job's work per week (Node):\n${formatDigestBuildTimes(results.digestBuild)}\n`);
  if (results.ratios.length > 0) log(formatRatios(results.ratios));
  if (results.limits.length > 0) log(`\n${formatLimits(results.limits)}`);
  const rates = results.constantByPhase.map((c) => c.reqPerSec);
  if (rates.length > 1) {
    const spread = (Math.max(...rates) - Math.min(...rates)) / Math.min(...rates);
    log(
      `\nConstant by phase: ${results.constantByPhase.map((c) => `${c.phase} ${n(c.reqPerSec)} req/s`).join("; ")} (spread ${(spread * 100).toFixed(0)}%${spread > 0.1 ? ": the machine was noisy; compare the drift-corrected ratio, or run again" : ""})`,
    );
  }
  if (results.servers.length > 0) {
    log(
      `Startup (spawn → first 200 on ${FEED_PATH}): ${results.servers.map((s) => `${s.name} ${fmtMs(s.readyMs)} (first request ${n(s.firstResponseMs)} ms)`).join("; ")}`,
    );
  }
}

let failed = false;
try {
  await main();
  results.ok = true;
} catch (err) {
  failed = true;
  results.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  console.error(`\nbenchmark failed: ${results.error}`);
} finally {
  await runCleanup();
}
if (
  runs.length > 0 ||
  results.digestRender.length > 0 ||
  results.limits.length > 0 ||
  results.sizes.some((s) => s.publish)
)
  report();
results.finishedAt = new Date().toISOString();
await writeJson(RESULTS_FILE, {
  ...results,
  sizes: results.sizes.map((s) => ({
    ...s,
    contentDir: relative(repoRoot, s.contentDir),
    persistTo: relative(repoRoot, s.persistTo),
  })),
});
log(
  `\nResults written to bench/.work/results.json${failed ? " (incomplete: the run failed)" : ""}.`,
);
process.exitCode = failed ? 1 : 0;
