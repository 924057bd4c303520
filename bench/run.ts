/**
 * `npm run bench`: throughput of the feeds under `wrangler dev`, against a constant baseline;
 * the digest email's render time; the deployable Worker bundle's size.
 *
 *   npm run bench                      (about 10 s of load per target, 2–3 minutes in all)
 *   BENCH_SECONDS=2 npm run bench      (quick smoke run; other knobs in lib/settings.ts)
 *
 * 0. The Worker bundle (lib/bundle.ts): `wrangler deploy --dry-run --outdir bench/.work/bundle`
 *    with the real content; raw and gzip size against a 150 KB gzip budget, and no MJML in it.
 *    Then the digest email's render time in Node (lib/digest-render.ts), for the seed week
 *    2024-W43 and synthetic weeks of 200 and 1,000 articles: renderDigestEmail with the template
 *    compiled at build time against running MJML on every render (the template alone, then the
 *    same fill; and the MJML with the week's content in it), and against the previous renderer;
 *    target ≥ 100× faster than MJML per render at 1 and 200 articles. Also summarizeWeek's time:
 *    with the render, the cron job's work per week. (`node bench/lib/digest-render.ts` runs
 *    only this part.)
 * 1. Generates deterministic synthetic content (100 and 10,000 articles) under bench/.work/.
 * 2. Phases 100 → 10,000 → 100 articles: each builds its content into src/generated/content.ts,
 *    runs the Worker with wrangler dev, and load-tests GET /feed.xml and its 304 revalidation
 *    (If-None-Match). The 100-article phase runs before and after, so slow drift of the machine
 *    cancels out of feed(10,000) / feed(100).
 * 3. Baseline: a Worker returning the exact /feed.xml bytes of the first phase as a constant,
 *    measured in every phase. Loads never overlap (2 CPUs); rounds interleave the targets.
 * 4. Prints the table and the ratios, writes bench/.work/results.json.
 *
 * wrangler dev's per-request tracing (local observability) is turned off for every server, as a
 * cost that is not the Worker's; BENCH_LOCAL_OBSERVABILITY=1 keeps it.
 *
 * The real content is rebuilt into src/generated/content.ts however the run ends. Exit status:
 * 0 when everything ran (whether or not the targets were met), 1 when something broke.
 *
 * Adding a benchmark: start its server with lib/workers.ts or lib/wrangler.ts (stopped on any
 * exit), describe what to load as lib/load.ts Targets (with `verify` and `serverCpuSeconds`),
 * measure them with measurePhase (loads never overlap), add their RatioSpecs, and put anything
 * else worth keeping in `results` (it all lands in results.json). A benchmark without a server
 * (like the digest render or the bundle) runs in main() before the load phases, never during
 * one, and reports through `results.ratios` (a ratio with a minimum) or `results.limits` (any
 * other PASS/FAIL target).
 */
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { BUNDLE_GZIP_TARGET_BYTES, type BundleInfo, measureBundle } from "./lib/bundle.ts";
import { runCleanup } from "./lib/cleanup.ts";
import { type BuildResult, buildContent, restoreRealContentOnExit } from "./lib/content-build.ts";
import {
  DIGEST_SEED_WEEK,
  DIGEST_SYNTHETIC_ARTICLES,
  DIGEST_SYNTHETIC_WEEK,
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
  computeRatios,
  formatLimits,
  formatMeasurements,
  formatRatios,
  formatRenderTimings,
  type LimitCheck,
  type Ratio,
  type RatioSpec,
  writeJson,
} from "./lib/report.ts";
import { readSettings, SETTINGS_HELP } from "./lib/settings.ts";
import { writeSyntheticContent } from "./lib/synthetic-content.ts";
import { startConstantWorker, startProjectWorker } from "./lib/workers.ts";
import type { DevServer } from "./lib/wrangler.ts";

const SIZES = [100, 10_000] as const;
/** A B A: the small size before and after the large one. */
const PHASES: readonly number[] = [100, 10_000, 100];
const RESULTS_FILE = join(workDir, "results.json");
const FEED_PATH = "/feed.xml";

const RATIOS: readonly RatioSpec[] = [
  { name: "feed(100) / constant", numerator: "feed-100", denominator: "constant", min: 0.9 },
  { name: "feed(10,000) / feed(100)", numerator: "feed-10000", denominator: "feed-100", min: 0.9 },
  { name: "304(100) / constant", numerator: "feed-100-304", denominator: "constant", min: null },
  {
    name: "304(10,000) / constant",
    numerator: "feed-10000-304",
    denominator: "constant",
    min: null,
  },
  // The same comparisons from server CPU per response: far less sensitive to other load on the box.
  {
    name: "feed(100) / constant, by server CPU",
    numerator: "feed-100",
    denominator: "constant",
    min: null,
    basis: "cpu",
  },
  {
    name: "feed(10,000) / feed(100), by server CPU",
    numerator: "feed-10000",
    denominator: "feed-100",
    min: null,
    basis: "cpu",
  },
];

interface ServerInfo {
  readonly name: string;
  readonly port: number;
  readonly readyMs: number;
  readonly firstResponseMs: number;
  readonly logFile: string;
}

interface ContentInfo {
  readonly articles: number;
  readonly markdownBytes: number;
  readonly generateMs: number;
  build?: BuildResult;
  feedBytes?: number;
}

const settings = readSettings();
const log = (line = "") => console.log(line);
const fmtMs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 0 });

const results = {
  startedAt: new Date().toISOString(),
  finishedAt: null as string | null,
  ok: false,
  error: null as string | null,
  settings,
  phases: PHASES,
  environment: {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    loadavgAtStart: loadavg(),
  },
  content: [] as ContentInfo[],
  servers: [] as ServerInfo[],
  measurements: [] as Measurement[],
  ratios: [] as Ratio[],
  constantByPhase: [] as { phase: string; reqPerSec: number }[],
  digestRender: [] as RenderTiming[],
  digestBuild: [] as ReturnType<typeof digestBuildTimes>,
  bundle: null as BundleInfo | null,
  limits: [] as LimitCheck[],
};
const runs: PhaseRun[] = [];

function recordServer(server: DevServer): DevServer {
  results.servers.push({
    name: server.name,
    port: server.port,
    readyMs: server.readyMs,
    firstResponseMs: server.firstResponseMs,
    logFile: server.logFile,
  });
  log(
    `  ${server.name}: ready on ${server.origin} after ${fmtMs(server.readyMs)} (first ${FEED_PATH}: ${server.firstResponseMs.toFixed(0)} ms)`,
  );
  return server;
}

/** GET /feed.xml and the conditional GET with its ETag, both checked. */
async function fetchFeed(server: DevServer): Promise<{ full: Fetched; etag: string }> {
  const url = server.origin + FEED_PATH;
  const full = await fetchBytes(url);
  expectStatus(full, 200, `${server.name} GET ${FEED_PATH}`);
  const etag = full.headers.get("etag");
  if (!etag) throw new Error(`${server.name} GET ${FEED_PATH}: no ETag header`);
  const revalidated = await fetchBytes(url, { "If-None-Match": etag });
  expectStatus(revalidated, 304, `${server.name} GET ${FEED_PATH} with If-None-Match: ${etag}`);
  if (revalidated.body.byteLength !== 0)
    throw new Error(`${server.name}: the 304 has a ${revalidated.body.byteLength}-byte body`);
  return { full, etag };
}

function feedTargets(server: DevServer, size: number, full: Fetched, etag: string): Target[] {
  const url = server.origin + FEED_PATH;
  const verify = sameRepresentation(url, full, `${server.name} ${FEED_PATH}`);
  const serverCpuSeconds = server.cpuSeconds;
  return [
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
      headers: { "If-None-Match": etag },
      expectStatus: 304,
      verify,
      serverCpuSeconds,
    },
  ];
}

/** The constant baseline: started in the first phase from its /feed.xml bytes, kept for all. */
let constant: { server: DevServer; target: Target } | null = null;

async function startConstant(feed: Fetched): Promise<{ server: DevServer; target: Target }> {
  const contentType = feed.headers.get("content-type") ?? "application/rss+xml; charset=utf-8";
  // Stopped by the cleanup registered when it started.
  const server = recordServer(
    await startConstantWorker("constant", feed.body, contentType, settings),
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

/** One phase: builds `size` articles, runs the Worker on them, measures it next to the constant. */
async function runPhase(phase: string, size: number, contentDir: string): Promise<PhaseRun[]> {
  const build = await buildContent(contentDir);
  log(
    `  built src/generated/content.ts in ${fmtMs(build.ms)} (${(build.moduleBytes / 1e6).toFixed(1)} MB)`,
  );
  const feed = recordServer(await startProjectWorker(`feed-${size}`, settings, FEED_PATH));
  try {
    const { full, etag } = await fetchFeed(feed);
    Object.assign(
      results.content.find((c) => c.articles === size)!,
      { build, feedBytes: full.body.byteLength },
    );
    log(`  ${FEED_PATH}: ${n(full.body.byteLength)} bytes, ETag ${etag}, 304 on revalidation`);
    constant ??= await startConstant(full);

    // Each target gets settings.seconds over the whole run, split over the phases it is in.
    const share = (count: number) => settings.seconds / count;
    const targets: PhaseTarget[] = [
      { target: constant.target, seconds: share(PHASES.length) },
      ...feedTargets(feed, size, full, etag).map((target) => ({
        target,
        seconds: share(PHASES.filter((p) => p === size).length),
      })),
    ];
    return await measurePhase(phase, targets, settings, log);
  } finally {
    await feed.stop();
  }
}

async function main(): Promise<void> {
  log(
    `Axis Dispatch benchmark: ${settings.seconds} s of load per target, ${settings.rounds} round(s) per phase, ${settings.warmupSeconds} s warm-up, ${settings.connections} connections`,
  );
  log(
    `  wrangler dev local observability (per-request tracing): ${settings.localObservability ? "on" : "off"}`,
  );
  log(
    `  (settings: ${SETTINGS_HELP}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, ${cpus().length} CPUs)`,
  );
  restoreRealContentOnExit();

  await benchBundle();
  await benchDigestRender();

  log("\nSynthetic content:");
  const contentDirs = new Map<number, string>();
  for (const size of SIZES) {
    const dir = join(workDir, `content-${size}`);
    const t0 = performance.now();
    const { bytes } = await writeSyntheticContent(dir, size);
    contentDirs.set(size, dir);
    results.content.push({
      articles: size,
      markdownBytes: bytes,
      generateMs: performance.now() - t0,
    });
    log(
      `  ${n(size)} articles → bench/.work/content-${size} (${(bytes / 1e6).toFixed(1)} MB Markdown)`,
    );
  }

  for (const [i, size] of PHASES.entries()) {
    const phase = `${i + 1}: ${n(size)} articles`;
    log(`\nPhase ${phase}:`);
    for (let attempt = 1; ; attempt++) {
      try {
        runs.push(...(await runPhase(phase, size, contentDirs.get(size)!)));
        break;
      } catch (err) {
        // src/generated/content.ts is shared with npm start / npm test / the e2e run: if one of
        // them rebuilt it mid-phase, build ours again and repeat the phase (bounded).
        if (!(err instanceof RepresentationChangedError) || attempt > settings.retries) throw err;
        log(
          `  ${err.message}\n  repeating phase ${phase} (retry ${attempt} of ${settings.retries})`,
        );
      }
    }
  }
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

/** The deployable bundle, with the real content (rebuilt first: src/generated/content.ts is shared). */
async function benchBundle(): Promise<void> {
  log("\nWorker bundle (wrangler deploy --dry-run):");
  await buildContent(join(repoRoot, "content"));
  const bundle = await measureBundle();
  results.bundle = bundle;
  log(
    `  ${bundle.command}: ${bundle.files.map((f) => f.name).join(", ")} in ${fmtMs(bundle.ms)}; ${kb(bundle.rawBytes)} raw, ${kb(bundle.gzipBytes)} gzip (wrangler: ${bundle.wranglerReports ?? "no size line"})`,
  );
  log(`  largest parts: ${bundle.largest.map((p) => `${p.source} ${kb(p.bytes)}`).join(", ")}`);
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
  results.limits.push(
    {
      name: "Worker bundle, gzip (KB = 1,000 bytes)",
      value: kb(bundle.gzipBytes),
      target: `≤ ${kb(BUNDLE_GZIP_TARGET_BYTES)}`,
      pass: bundle.gzipBytes <= BUNDLE_GZIP_TARGET_BYTES,
      note: `raw ${kb(bundle.rawBytes)}`,
    },
    {
      name: "Worker bundle contains no MJML",
      value: bundle.mjmlFree ? "none found" : "found",
      target: "no mjml, mjml-core, mj-column code, juice",
      pass: bundle.mjmlFree,
    },
  );
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
}

function report(): void {
  // Ratios of the benchmarks before the load phases come first; the load's are computed here.
  const early = results.ratios;
  results.measurements = summarize(runs, settings.connections);
  results.ratios = [...early, ...computeRatios(results.measurements, RATIOS)];

  // Per-phase rates: the constant shows how much the machine drifted; dividing each feed rate by
  // the constant of its own phase gives a drift-corrected feed(10,000) / feed(100).
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
  const corrected = relative(10_000) / relative(100);
  if (Number.isFinite(corrected)) {
    results.ratios.push({
      name: "feed(10,000) / feed(100), each ÷ constant of its phase",
      numerator: "feed-10000",
      denominator: "feed-100",
      min: null,
      value: corrected,
      pass: null,
      note: "drift-corrected",
    });
  }

  log("\nResults:");
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
if (runs.length > 0 || results.digestRender.length > 0 || results.limits.length > 0) report();
results.finishedAt = new Date().toISOString();
await writeJson(RESULTS_FILE, results);
log(
  `\nResults written to bench/.work/results.json${failed ? " (incomplete: the run failed)" : ""}.`,
);
process.exitCode = failed ? 1 : 0;
