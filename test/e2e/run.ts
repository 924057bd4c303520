/**
 * End-to-end check: the product as a user and an aggregator meet it.
 *
 *   npm run e2e        (= node test/e2e/run.ts)
 *
 * 1. The content build's error path, as an operator sees it on a bad content folder.
 * 2. `npm start` on a free loopback port, exactly as a user starts it.
 * 3. Every feed format, site-wide and for one tag, read by independent readers from Debian
 *    (python3-feedparser, sfeed) and compared with src/generated/content.ts; HTTP headers and
 *    conditional GET.
 * 4. The home page and the newest article in Debian's headless Chromium at phone and desktop
 *    widths: no console or page errors, no horizontal overflow, full-page screenshots.
 *
 * Prints one `ok - …` / `not ok - …: reason` line per check, then `e2e: N passed, M failed`;
 * exits 0 only when nothing failed. Needs (Debian): python3-feedparser, chromium, sfeed.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import type { Article } from "../../src/model/article.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const ARTIFACTS = join(ROOT, "e2e-artifacts");
const SERVER_LOG = "e2e-artifacts/server.log";
const PYTHON = "/usr/bin/python3"; // Debian's, where apt installs python3-feedparser (not pyenv's).
const CHROMIUM = "/usr/bin/chromium";
const TAG = "north-korea";
const STARTUP_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;
const PAGE_TIMEOUT_MS = 20_000;
const RUN_TIMEOUT_MS = 150_000;

// ---------------------------------------------------------------------------------------------
// Reporting

class CheckFailure extends Error {}

/** Ends the current check as `not ok` with this reason. */
function fail(reason: string): never {
  throw new CheckFailure(reason);
}

const tally = { passed: 0, failed: 0 };

/** Runs one check and prints its line; an unexpected exception fails it rather than the run. */
async function check(name: string, body: () => unknown): Promise<void> {
  try {
    await body();
    tally.passed++;
    console.log(`ok - ${name}`);
  } catch (error) {
    tally.failed++;
    const reason = error instanceof CheckFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    // Continuation lines (a log tail, a stack) as comments, so each check stays one result line.
    console.log(`not ok - ${name}: ${reason.replace(/\n/g, "\n#   ")}`);
  }
}

/** Fails with every problem at once, so one run shows everything wrong with a feed. */
function failIfAny(problems: readonly string[]): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 8).join("; ");
  fail(problems.length > 8 ? `${shown}; … and ${problems.length - 8} more` : shown);
}

// ---------------------------------------------------------------------------------------------
// The content build's error path

interface BadFixture {
  readonly file: string;
  /** The front-matter key the build must name, on the line where it appears. */
  readonly key: string;
}

const BAD_CONTENT_DIR = "test/e2e/fixtures/bad-content";
const BAD_FIXTURES: readonly BadFixture[] = [
  { file: "zoneless-date.md", key: "date" },
  { file: "unknown-key.md", key: "titel" },
];

/** 1-based line of `key:` in the fixture, so the check follows edits to the fixture. */
function lineOfKey(file: string, key: string): number {
  const lines = readFileSync(join(ROOT, BAD_CONTENT_DIR, file), "utf8").split("\n");
  return lines.findIndex((line) => line.startsWith(`${key}:`)) + 1;
}

async function checkContentBuildErrors(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "e2e-build-"));
  const out = join(tmp, "content.ts");
  try {
    // Relative paths and cwd = repo root, as an operator runs it: messages name paths from there.
    const run = spawnSync(join(ROOT, "node_modules/.bin/node"), ["scripts/build-content.ts", "--content", BAD_CONTENT_DIR, "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 30_000,
    });
    await check("content build rejects bad content with exit code 1", () => {
      if (run.error) fail(`could not run the build: ${run.error.message}`);
      if (run.status !== 1) fail(`exit code ${run.status} (signal ${run.signal}), expected 1; stderr: ${run.stderr.trim() || "(empty)"}`);
    });
    for (const { file, key } of BAD_FIXTURES) {
      const line = lineOfKey(file, key);
      const prefix = `${BAD_CONTENT_DIR}/${file}:${line}: `;
      await check(`content build reports ${prefix}… naming "${key}"`, () => {
        const hit = run.stderr.split("\n").find((l) => l.startsWith(prefix));
        if (!hit) fail(`no stderr line starts with "${prefix}"; stderr was: ${JSON.stringify(run.stderr)}`);
        if (!hit.includes(`"${key}"`)) fail(`the line does not name "${key}": ${hit}`);
      });
    }
    await check("content build writes no output when it fails", () => {
      for (const path of [out, `${out}.tmp`]) if (existsSync(path)) fail(`${path} was created`);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The server, started as a user starts it

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

async function fetchWithTimeout(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}

/** Ends npm's whole process group (npm → sh → wrangler → workerd), politely first. */
async function stopGroup(child: ChildProcess): Promise<void> {
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

/** Stops whatever server is running: set as soon as one is spawned, so every way out of the
 * run (normal end, Ctrl-C, watchdog, a failed start) ends it. */
let stopServer: () => Promise<void> = async () => {};

/** Runs `npm start` on a free port and waits until it answers; returns its origin. */
async function startServer(): Promise<string> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  mkdirSync(ARTIFACTS, { recursive: true });
  const log = openSync(join(ROOT, SERVER_LOG), "w");
  const child = spawn("npm", ["start", "--", "--port", String(port), "--ip", "127.0.0.1", "--var", `BASE_URL:${origin}`], {
    cwd: ROOT,
    // Its own process group, so stopServer() ends wrangler and workerd too, not just npm.
    detached: true,
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      // Keep wrangler off the internet: no telemetry, no update check (it runs with the banner),
      // no download of the Request.cf sample (it falls back to a built-in placeholder).
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_HIDE_BANNER: "true",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
  });
  let exited: string | null = null;
  child.once("error", (error) => (exited = `could not run npm start: ${error.message}`));
  child.once("exit", (code, sig) => (exited = `npm start exited early (code ${code}, signal ${sig})`));
  stopServer = () => stopGroup(child);

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
  const tail = readFileSync(join(ROOT, SERVER_LOG), "utf8").trimEnd().split("\n").slice(-15).join("\n");
  const why = exited ?? `no answer from ${origin}/ within ${STARTUP_TIMEOUT_MS / 1000} s`;
  fail(tail ? `${why}; last lines of ${SERVER_LOG}:\n${tail}` : why);
}

// ---------------------------------------------------------------------------------------------
// What the feeds should say, from the generated content

/** Loaded after `npm start`'s prestart rebuilt it, so it is exactly what the server serves. */
async function loadArticles(): Promise<readonly Article[]> {
  const url = pathToFileURL(join(ROOT, "src/generated/content.ts")).href;
  const module = (await import(url)) as { articles: readonly Article[] };
  return module.articles;
}

/** FEED_ITEM_LIMIT from wrangler.toml: the feeds carry at most that many of the newest items. */
function feedItemLimit(): number {
  const match = /^FEED_ITEM_LIMIT\s*=\s*"(\d+)"/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"));
  return match ? Number(match[1]) : 50;
}

const seconds = (rfc3339: string) => Math.floor(Date.parse(rfc3339) / 1000);
const modifiedSeconds = (a: Article) => seconds(a.updated ?? a.published);

type Format = "rss" | "atom" | "json";

interface FeedCase {
  readonly path: string;
  readonly format: Format;
  readonly expected: readonly Article[];
}

const FORMATS: readonly { file: string; format: Format; mediaType: string; readerVersion: string }[] = [
  { file: "feed.xml", format: "rss", mediaType: "application/rss+xml", readerVersion: "rss20" },
  { file: "atom.xml", format: "atom", mediaType: "application/atom+xml", readerVersion: "atom10" },
  { file: "feed.json", format: "json", mediaType: "application/feed+json", readerVersion: "json11" },
];

function feedCases(articles: readonly Article[]): FeedCase[] {
  const limit = feedItemLimit();
  const tagged = articles.filter((a) => a.tags.includes(TAG));
  const cases: FeedCase[] = [];
  for (const { file, format } of FORMATS) {
    cases.push({ path: `/${file}`, format, expected: articles.slice(0, limit) });
    cases.push({ path: `/tags/${TAG}/${file}`, format, expected: tagged.slice(0, limit) });
  }
  return cases;
}

/** One entry as any reader reports it: positional, newest first. */
interface ReadEntry {
  readonly id: string | null;
  readonly link: string | null;
  readonly published: number | null;
}

/** Compares a reader's entries with the articles position by position (both newest first). */
function entryProblems(origin: string, expected: readonly Article[], entries: readonly ReadEntry[]): string[] {
  const problems: string[] = [];
  if (entries.length !== expected.length) {
    const seen = new Set(entries.map((e) => e.id));
    const known = new Set(expected.map((a) => a.id));
    const missing = expected.filter((a) => !seen.has(a.id)).map((a) => a.slug);
    const unexpected = entries.filter((e) => !known.has(e.id ?? "")).map((e) => e.id ?? "(no id)");
    const detail = [missing.length ? `missing: ${missing.join(", ")}` : "", unexpected.length ? `unexpected: ${unexpected.join(", ")}` : ""].filter(Boolean);
    problems.push(`${entries.length} entries, expected ${expected.length}${detail.length ? ` (${detail.join("; ")})` : ""}`);
  }
  expected.forEach((article, i) => {
    const entry = entries[i];
    if (!entry) return;
    const where = `entry ${i + 1} (${article.slug})`;
    if (!entry.id) problems.push(`${where} has no id`);
    else if (entry.id !== article.id) problems.push(`${where} id ${entry.id} ≠ article id ${article.id}`);
    const link = `${origin}/articles/${article.slug}`;
    if (entry.link !== link) problems.push(`${where} link ${entry.link} ≠ ${link}`);
    if (entry.published !== seconds(article.published)) {
      const got = entry.published === null ? "none" : new Date(entry.published * 1000).toISOString();
      problems.push(`${where} published ${got} ≠ ${article.published}`);
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Feeds over HTTP

async function checkFeedHttp(origin: string, feed: FeedCase): Promise<string | null> {
  const { mediaType } = FORMATS.find((f) => f.format === feed.format)!;
  let body: string | null = null;
  let etag: string | null = null;
  await check(`${feed.path}: 200 with Content-Type ${mediaType}; charset=utf-8`, async () => {
    const res = await fetchWithTimeout(origin + feed.path);
    body = await res.text();
    etag = res.headers.get("etag");
    if (res.status !== 200) fail(`status ${res.status}`);
    const type = (res.headers.get("content-type") ?? "").toLowerCase().replace(/\s+/g, "");
    if (type !== `${mediaType};charset=utf-8`) fail(`Content-Type is "${res.headers.get("content-type")}"`);
  });
  await check(`${feed.path}: If-None-Match with its ETag answers 304 with an empty body`, async () => {
    if (!etag) fail("the 200 response had no ETag");
    const res = await fetchWithTimeout(origin + feed.path, { headers: { "If-None-Match": etag } });
    const rest = await res.text();
    if (res.status !== 304) fail(`status ${res.status}`);
    if (rest !== "") fail(`body has ${rest.length} characters`);
  });
  return body;
}

// ---------------------------------------------------------------------------------------------
// Feeds through feedparser (Debian's python3-feedparser)

interface ReaderResult {
  readonly url: string;
  readonly reader: string;
  readonly version: string;
  readonly bozo: boolean;
  readonly bozo_exception: string | null;
  readonly updated: number | null;
  readonly entries: readonly ReadEntry[];
}

/** Runs check_feeds.py once for all URLs (one interpreter start), or says why it could not. */
function readWithFeedparser(urls: readonly string[]): { results: ReaderResult[] } | { error: string } {
  if (!existsSync(PYTHON)) return { error: `${PYTHON} not found: apt-get install -y python3 python3-feedparser` };
  // -I: isolated from PYTHONPATH and user site-packages, so only Debian's packages are used.
  const run = spawnSync(PYTHON, ["-I", join(import.meta.dirname, "check_feeds.py"), ...urls], { encoding: "utf8", timeout: 60_000 });
  if (run.error) return { error: `could not run check_feeds.py: ${run.error.message}` };
  if (run.status !== 0) return { error: `check_feeds.py exited ${run.status}: ${run.stderr.trim()}` };
  try {
    return { results: (JSON.parse(run.stdout) as { feeds: ReaderResult[] }).feeds };
  } catch {
    return { error: `check_feeds.py printed no JSON: ${run.stdout.slice(0, 200)} ${run.stderr.trim()}` };
  }
}

function checkFeedparserResult(origin: string, feed: FeedCase, result: ReaderResult): void {
  const expectedVersion = FORMATS.find((f) => f.format === feed.format)!.readerVersion;
  const problems: string[] = [];
  if (result.bozo) problems.push(`malformed (bozo): ${result.bozo_exception}`);
  if (result.version !== expectedVersion) problems.push(`read as "${result.version}", expected "${expectedVersion}"`);
  // JSON Feed has no feed-level date; RSS's lastBuildDate and Atom's <updated> must be the
  // newest change, never the request time (so unchanged feeds keep their bytes and ETag).
  if (feed.format !== "json" && feed.expected.length > 0) {
    const newest = Math.max(...feed.expected.map(modifiedSeconds));
    if (result.updated !== newest) {
      problems.push(`feed updated ${result.updated === null ? "missing" : new Date(result.updated * 1000).toISOString()} ≠ newest change ${new Date(newest * 1000).toISOString()}`);
    }
  }
  problems.push(...entryProblems(origin, feed.expected, result.entries));
  failIfAny(problems);
}

// ---------------------------------------------------------------------------------------------
// Feeds through sfeed (Debian's sfeed: a small C RSS/Atom parser)

/** Why sfeed cannot run, or null if it can. Missing is only acceptable if Debian has no sfeed. */
function sfeedUnavailable(): { skip: boolean; reason: string } | null {
  if (spawnSync("sfeed", [], { input: "" }).error === undefined) return null;
  const policy = spawnSync("apt-cache", ["policy", "sfeed"], { encoding: "utf8", timeout: 30_000 });
  const candidate = /Candidate:\s*(\S+)/.exec(policy.stdout ?? "")?.[1];
  if (candidate && candidate !== "(none)") return { skip: false, reason: `Debian offers sfeed ${candidate} but it is not installed: apt-get install -y sfeed` };
  return { skip: true, reason: "Debian offers no sfeed package here" };
}

/** sfeed's TSV: 1 timestamp, 2 title, 3 link, 4 content, 5 content-type, 6 id, … */
function readWithSfeed(body: string): ReadEntry[] {
  const run = spawnSync("sfeed", [], { input: body, encoding: "utf8", timeout: 30_000 });
  if (run.status !== 0) fail(`sfeed exited ${run.status}: ${run.stderr}`);
  return run.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const f = line.split("\t");
      return { published: f[0] ? Number(f[0]) : null, link: f[2] || null, id: f[5] || null };
    });
}

// ---------------------------------------------------------------------------------------------
// All feed checks

async function checkFeeds(origin: string, articles: readonly Article[]): Promise<void> {
  const feeds = feedCases(articles);
  await check(`tag "${TAG}" has articles to put in its feeds`, () => {
    if (!articles.some((a) => a.tags.includes(TAG))) fail(`no article in src/generated/content.ts is tagged ${TAG}`);
  });
  const bodies = new Map<string, string | null>();
  for (const feed of feeds) bodies.set(feed.path, await checkFeedHttp(origin, feed));

  const read = readWithFeedparser(feeds.map((f) => origin + f.path));
  for (const [i, feed] of feeds.entries()) {
    const reader = feed.format === "json" ? "check_feeds.py (JSON Feed 1.1)" : "feedparser";
    await check(`${feed.path}: ${reader} reads ${feed.expected.length} entries with the articles' ids, links and dates`, () => {
      if ("error" in read) fail(read.error);
      checkFeedparserResult(origin, feed, read.results[i]!);
    });
  }

  const unavailable = sfeedUnavailable();
  if (unavailable?.skip) {
    console.log(`# skip sfeed checks: ${unavailable.reason}`);
    return;
  }
  for (const feed of feeds.filter((f) => f.format !== "json")) {
    await check(`${feed.path}: sfeed lists ${feed.expected.length} items with the articles' ids, links and dates`, () => {
      if (unavailable) fail(unavailable.reason);
      const body = bodies.get(feed.path);
      if (!body) fail("no feed body to parse (see the HTTP check above)");
      failIfAny(entryProblems(origin, feed.expected, readWithSfeed(body)));
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Pages in Chromium

const WIDTHS = [375, 1280] as const;

async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: PAGE_TIMEOUT_MS,
    // No sandbox: we run as root in a container. The rest keeps Chromium off the network.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function checkPage(context: BrowserContext, origin: string, name: string, path: string, width: number): Promise<void> {
  const screenshot = join("e2e-artifacts", `${name}-${width}.png`);
  await check(`page ${path} at ${width}px: loads, no console/page errors, no horizontal overflow (${screenshot})`, async () => {
    const problems: string[] = [];
    const page = await context.newPage();
    try {
      await page.setViewportSize({ width, height: 900 });
      page.on("console", (msg) => {
        if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      // The site must be self-contained: anything off this server is reported and never fetched.
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/`)) return route.continue();
        problems.push(`request outside the site: ${url}`);
        return route.abort();
      });
      const res = await page.goto(origin + path, { waitUntil: "load" });
      if (res?.status() !== 200) problems.push(`status ${res?.status()}`);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      if (scrollWidth > innerWidth) problems.push(`horizontal overflow: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);
      await page.screenshot({ path: join(ROOT, screenshot), fullPage: true });
    } finally {
      await page.close();
    }
    failIfAny(problems);
  });
}

async function checkPages(origin: string, newest: Article): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    await check("pages in Chromium", () => fail(`${CHROMIUM} not found: apt-get install -y chromium`));
    return;
  }
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  try {
    browser = await launchChromium();
  } catch (error) {
    await check("Chromium starts", () => fail(error instanceof Error ? error.message : String(error)));
    return;
  }
  try {
    for (const [name, path] of [["home", "/"], ["article", `/articles/${newest.slug}`]] as const) {
      for (const width of WIDTHS) await checkPage(browser.context, origin, name, path, width);
    }
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The run

/** Ends the run early: stops the server, prints the summary, exits non-zero. */
async function abort(reason: string, code: number): Promise<never> {
  tally.failed++;
  console.log(`not ok - ${reason}`);
  await stopServer();
  console.log(`e2e: ${tally.passed} passed, ${tally.failed} failed`);
  process.exit(code);
}

/** Starts the server as one check; null when it did not come up (the check says why). */
async function checkServerStarts(): Promise<string | null> {
  let origin = null as string | null;
  await check(`npm start serves the site (log: ${SERVER_LOG})`, async () => {
    origin = await startServer();
  });
  return origin;
}

async function main(): Promise<number> {
  const started = Date.now();
  await checkContentBuildErrors();
  try {
    const origin = await checkServerStarts();
    if (origin !== null) {
      const articles = await loadArticles();
      await checkFeeds(origin, articles);
      if (articles[0]) await checkPages(origin, articles[0]);
      else await check("pages in Chromium", () => fail("src/generated/content.ts has no articles"));
    }
  } finally {
    await stopServer();
    console.log(`# took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return tally.failed === 0 ? 0 : 1;
}

// Whatever hangs, the run ends well inside CI's patience and never leaves a server behind.
const watchdog = setTimeout(() => void abort(`e2e run exceeded ${RUN_TIMEOUT_MS / 1000} s`, 1), RUN_TIMEOUT_MS);
process.once("SIGINT", () => void abort("interrupted (SIGINT)", 130));
process.once("SIGTERM", () => void abort("terminated (SIGTERM)", 143));

const code = await main().catch((error: unknown) => {
  tally.failed++;
  console.log(`not ok - e2e run crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
});
clearTimeout(watchdog);
console.log(`e2e: ${tally.passed} passed, ${tally.failed} failed`);
process.exit(code);
