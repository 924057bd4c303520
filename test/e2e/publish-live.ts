/**
 * Publishing without a redeploy, against the running `npm start` server, which serves the
 * repository's own local D1 (.wrangler/state, where its prestart published content/):
 *
 * (a) a new article, written to a temporary copy of content/ and published from there with
 *     `--content`, appears in the feeds and at /articles/{slug} within CONTENT_REFRESH_SECONDS,
 *     with no restart;
 * (b) publishing the same folder again writes nothing ("nothing to publish");
 * (c) with its file deleted, publish refuses (exit 1, naming the file) and it is still served;
 * (d) with --allow-delete, its page answers 410 Gone and it leaves the feeds;
 * (e) content/ itself is published again (--allow-delete), also when the run is cut short.
 *
 * content/ is never written to. The test article keeps one id and slug across runs, because
 * publish pairs them for good: the local D1 keeps it as one deleted (410) article, and the next
 * run's (a) restores it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadContent } from "../../scripts/build-content.ts";
import type { Article } from "../../src/model/article.ts";
import {
  check,
  decodeEntities,
  fail,
  failIfAny,
  feedItemLimit,
  note,
  ROOT,
  squash,
} from "./harness.ts";
import {
  FORMATS,
  type ReadEntry,
  readerName,
  readWithFeedparser,
  readWithSfeed,
  sfeedUnavailable,
} from "./readers.ts";
import { CONTENT_REFRESH_SECONDS, fetchWithTimeout, stopGroup, WRANGLER_ENV } from "./server.ts";
import { checkFeedparserResult, type FeedCase, TAG } from "./site-feeds.ts";

const SLUG = "e2e-published-without-a-redeploy";
const ID = "urn:uuid:4c816d3d-1bb9-4e1c-982b-7b156004465e";
/**
 * Hostile on purpose, within what the content check allows (no markup or references): `&`,
 * quotes, `]]>`, `<` and `>`, an emoji and right-to-left text, which every reader must show
 * exactly as written. RSS titles used to go out HTML-escaped in CDATA, so feedparser and sfeed
 * showed "Q&amp;A" (issue 15).
 */
const TITLE =
  "End-to-end check: Q&A with AT&T's R&D on \"]]>\" — < 5% > 1, 'é' 😀 שלום, published without a redeploy";
const FILE = `${SLUG}.md`;
const ARTICLE = `---
id: "${ID}"
title: ${JSON.stringify(TITLE)}
date: "2026-01-05T09:00:00Z"
source: "Axis Dispatch end-to-end check"
tags: [${TAG}, russia]
summary: "Exists only while test/e2e/publish-live.ts runs: published, deleted, then gone (410)."
key_points:
  - "The end-to-end check published this article to the local database on 5 January 2026."
  - "The end-to-end check deleted this article again on 5 January 2026, with publish --allow-delete."
---

Written to a temporary copy of content/ by \`npm run e2e\`; never part of content/.
`;

const PUBLISH_TIMEOUT_MS = 60_000;
/**
 * How long after a publish the server may take to show it: its refresh interval and a margin.
 * Short enough to fail if the server kept the default 30 s (the server is kept warm during each
 * publish, so it holds a version read just before the flip).
 */
const SHOW_DEADLINE_MS = CONTENT_REFRESH_SECONDS * 1000 + 5_000;
const POLL_MS = 250;

interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The publish running now (one at a time), so an aborted run can end it. */
let running: { child: ChildProcess; done: Promise<ScriptRun> } | null = null;
/** True while the local D1 may hold something other than content/. */
let dirty = false;
/** Set when the run is cut short: from then on only the restoring publish may start. */
let aborting = false;
/** The temporary copy of content/, removed at the end (also of an aborted run). */
let tmp: string | null = null;

/**
 * `node scripts/publish.ts …` from the repo root, as an operator runs it: asynchronously, so the
 * run's watchdog keeps working, and in its own process group, so ending it (a timeout, an
 * aborted run) also ends the wrangler it runs, which would otherwise keep the database busy.
 */
function publish(args: readonly string[], { restoring = false } = {}): Promise<ScriptRun> {
  if (aborting && !restoring)
    return Promise.resolve({ status: null, stdout: "", stderr: "not started: the run is ending" });
  const child = spawn(join(ROOT, "node_modules/.bin/node"), ["scripts/publish.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...WRANGLER_ENV },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const timer = setTimeout(() => {
    stderr += `\n(still running after ${PUBLISH_TIMEOUT_MS / 1000} s: ended)`;
    void stopGroup(child);
  }, PUBLISH_TIMEOUT_MS);
  const done = new Promise<ScriptRun>((resolve) => {
    child.once("error", (error) => {
      stderr += `\ncould not run scripts/publish.ts: ${error.message}`;
      resolve({ status: null, stdout, stderr });
    });
    child.once("close", (status, signal) => {
      if (signal) stderr += `\n(ended by ${signal})`;
      resolve({ status, stdout, stderr });
    });
  }).finally(() => {
    clearTimeout(timer);
    if (running?.child === child) running = null;
  });
  running = { child, done };
  return done;
}

const output = (run: ScriptRun) =>
  `stdout: ${JSON.stringify(run.stdout.trim())}; stderr: ${JSON.stringify(run.stderr.trim())}`;

function expectStatus(run: ScriptRun, status: number): void {
  if (run.status !== status) fail(`exit code ${run.status}, expected ${status}; ${output(run)}`);
}

/**
 * Requests /feed.xml every POLL_MS until stopped, as readers would while a publish runs: the
 * server then holds a content version read moments before the flip, and the time it takes to
 * show the publish measures its refresh interval, not how long ago it last had a request.
 */
function keepWarm(origin: string): () => Promise<void> {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await fetchWithTimeout(`${origin}/feed.xml`)
        .then((res) => res.arrayBuffer())
        .catch(() => {});
      await sleep(POLL_MS);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

/** publish(), with the server kept warm while it runs. */
async function publishWarm(origin: string, args: readonly string[]): Promise<ScriptRun> {
  const stop = keepWarm(origin);
  try {
    return await publish(args);
  } finally {
    await stop();
  }
}

/** The articles a content folder holds, as publish reads it. */
async function articlesOf(dir: string): Promise<Article[]> {
  const { articles, errors } = await loadContent(dir);
  if (errors.length > 0) fail(`${dir} is not valid: ${errors.slice(0, 3).join("; ")}`);
  return articles;
}

/** The article's page: its status, and its <h1> as text when it has one. */
async function articlePage(origin: string): Promise<{ status: number; heading: string | null }> {
  const res = await fetchWithTimeout(`${origin}/articles/${SLUG}`);
  const body = await res.text();
  const h1 = /<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(body)?.[1];
  return {
    status: res.status,
    heading: h1 === undefined ? null : squash(decodeEntities(h1.replace(/<[^>]*>/g, ""))),
  };
}

/** The ids feedparser reads in /feed.xml, or why it could not read them. */
function rssIds(origin: string): string[] | string {
  const read = readWithFeedparser([`${origin}/feed.xml`]);
  if ("error" in read) return read.error;
  const [result] = read.results;
  if (!result) return "check_feeds.py read no feed";
  if (result.bozo) return `malformed (bozo): ${result.bozo_exception}`;
  return result.entries.map((e) => e.id ?? "(no id)");
}

/**
 * Asks `probe` every POLL_MS until it answers null (the server shows what is expected), then
 * returns the seconds that took; fails with its last answer after SHOW_DEADLINE_MS.
 */
async function until(probe: () => Promise<string | null>): Promise<number> {
  const started = Date.now();
  let last = "not asked yet";
  while (Date.now() - started < SHOW_DEADLINE_MS) {
    try {
      const problem = await probe();
      if (problem === null) return (Date.now() - started) / 1000;
      last = problem;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(POLL_MS);
  }
  fail(`still not after ${SHOW_DEADLINE_MS / 1000} s: ${last}`);
}

/** Every site-wide feed, and the tag's RSS, read by feedparser and compared with `articles`. */
async function checkFeedsShow(
  origin: string,
  articles: readonly Article[],
  label: string,
): Promise<void> {
  const limit = feedItemLimit();
  const feeds: FeedCase[] = [
    ...FORMATS.map(({ file, format }) => ({
      path: `/${file}`,
      format,
      expected: articles.slice(0, limit),
    })),
    {
      path: `/tags/${TAG}/feed.xml`,
      format: "rss",
      expected: articles.filter((a) => a.tags.includes(TAG)).slice(0, limit),
    },
  ];
  const read = readWithFeedparser(feeds.map((f) => origin + f.path));
  for (const [i, feed] of feeds.entries()) {
    await check(
      `${label}: ${feed.path} (${readerName(feed.format)}) lists ${feed.expected.length} entries with the ids, links and dates of the published folder`,
      () => {
        if ("error" in read) fail(read.error);
        checkFeedparserResult(origin, feed, read.results[i]!);
      },
    );
  }
}

/**
 * The new article's hostile title, as feedparser (RSS, Atom; check_feeds.py reads JSON Feed by
 * its spec) and sfeed (RSS, Atom) hand it to their readers: as plain text, exactly as written.
 */
async function checkTitlesRead(origin: string): Promise<void> {
  const titleProblem = (entries: readonly ReadEntry[]): string | null => {
    const entry = entries.find((e) => e.id === ID);
    if (!entry) return `no entry with id ${ID}`;
    if (entry.title_type !== "text/plain")
      return `the title is ${entry.title_type}, not text: ${JSON.stringify(entry.title)}`;
    return entry.title === TITLE
      ? null
      : `the title reads ${JSON.stringify(entry.title)}, written ${JSON.stringify(TITLE)}`;
  };
  const read = readWithFeedparser(FORMATS.map(({ file }) => `${origin}/${file}`));
  for (const [i, { file, format }] of FORMATS.entries()) {
    await check(
      `(a) /${file} (${readerName(format)}) shows the new article's title exactly as written`,
      () => {
        if ("error" in read) fail(read.error);
        const problem = titleProblem(read.results[i]!.entries);
        if (problem !== null) fail(problem);
      },
    );
  }
  const unavailable = sfeedUnavailable();
  if (unavailable?.skip) return note(`skip sfeed title checks: ${unavailable.reason}`);
  for (const { file } of FORMATS.filter((f) => f.format !== "json")) {
    await check(
      `(a) /${file} (sfeed) shows the new article's title exactly as written`,
      async () => {
        if (unavailable) fail(unavailable.reason);
        const res = await fetchWithTimeout(`${origin}/${file}`);
        const problem = titleProblem(readWithSfeed(await res.text()));
        if (problem !== null) fail(problem);
      },
    );
  }
}

/** (e): content/ as it is, published again over whatever the run left. */
export async function restoreContent(origin: string | null): Promise<void> {
  if (!dirty) return;
  await check(
    "(e) publish --allow-delete of content/ itself puts the local D1 back to content/",
    async () => {
      const run = await publish(["--allow-delete"], { restoring: true });
      expectStatus(run, 0);
      if (!/^(nothing to publish|published version \d+ to local D1)/m.test(run.stdout))
        fail(`no "nothing to publish" or "published version" line; ${output(run)}`);
      dirty = false;
      if (origin === null) return;
      const expected = (await articlesOf(join(ROOT, "content"))).map((a) => a.id);
      await until(async () => {
        const ids = rssIds(origin);
        if (typeof ids === "string") return ids;
        return ids.join() === expected.slice(0, feedItemLimit()).join()
          ? null
          : `/feed.xml lists ${ids.length} entries (${ids.join(", ")}), content/ has ${expected.length}`;
      });
    },
  );
}

/**
 * For an aborted run (watchdog, Ctrl-C): ends a publish in flight and publishes content/ again,
 * so the next `npm start` (whose publish has no --allow-delete) does not find the test article.
 */
export async function restoreAfterAbort(): Promise<void> {
  aborting = true;
  const current = running;
  if (current) {
    await stopGroup(current.child);
    await current.done;
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (dirty) await restoreContent(null).catch(() => {});
}

export async function checkPublishLive(origin: string): Promise<void> {
  tmp = mkdtempSync(join(tmpdir(), "e2e-publish-"));
  const dir = join(tmp, "content");
  cpSync(join(ROOT, "content"), dir, { recursive: true });
  writeFileSync(join(dir, FILE), ARTICLE);
  const wait = `within CONTENT_REFRESH_SECONDS (${CONTENT_REFRESH_SECONDS} s, npm start -- --var) + ${SHOW_DEADLINE_MS / 1000 - CONTENT_REFRESH_SECONDS} s`;
  try {
    let withArticle: Article[] = [];
    await check(`(a) a copy of content/ with a new article ${FILE} is valid content`, async () => {
      withArticle = await articlesOf(dir);
      if (!withArticle.some((a) => a.id === ID)) fail(`${FILE} did not load`);
    });
    if (withArticle.length === 0) return;

    let published = false;
    await check(
      `(a) publish --content TMP/content: a new article ${FILE} is published`,
      async () => {
        dirty = true;
        const run = await publishWarm(origin, ["--content", dir]);
        expectStatus(run, 0);
        // "new" the first time; later runs find it deleted by the last run, and restore it.
        if (!/^published version \d+ to local D1: .*\b(1 new|1 restored)\b/m.test(run.stdout))
          fail(
            `no "published version N to local D1: 1 new" (or "1 restored") line; ${output(run)}`,
          );
        if (!run.stdout.includes(`new ${SLUG}`))
          fail(`it does not list "new ${SLUG}"; ${output(run)}`);
        published = true;
      },
    );
    if (!published) return;

    await check(
      `(a) without a restart, /articles/${SLUG} answers 200 and /feed.xml lists it ${wait}`,
      async () => {
        const took = await until(async () => {
          const page = await articlePage(origin);
          if (page.status !== 200) return `/articles/${SLUG} answers ${page.status}`;
          const ids = rssIds(origin);
          if (typeof ids === "string") return ids;
          return ids.includes(ID) ? null : `/feed.xml does not list ${ID}`;
        });
        note(`the new article was served ${took.toFixed(1)} s after publish returned`);
        const page = await articlePage(origin);
        if (page.heading !== TITLE) fail(`the page's <h1> is ${JSON.stringify(page.heading)}`);
      },
    );
    await checkFeedsShow(origin, withArticle, "(a) after the publish");
    await checkTitlesRead(origin);

    await check("(b) publishing the same folder again says nothing to publish", async () => {
      const run = await publish(["--content", dir]);
      expectStatus(run, 0);
      if (!/^nothing to publish: local D1 already has this content\b/m.test(run.stdout))
        fail(`no "nothing to publish" line; ${output(run)}`);
    });

    unlinkSync(join(dir, FILE));
    await check(
      `(c) with ${FILE} deleted, publish without --allow-delete is refused with exit 1, naming the file`,
      async () => {
        const run = await publish(["--content", dir]);
        expectStatus(run, 1);
        const problems: string[] = [];
        // By its name: publish calls a deleted file content/<slug>.md, whatever --content says.
        const line = run.stderr.split("\n").find((l) => l.includes(FILE));
        if (!line) problems.push(`no stderr line names ${FILE}`);
        else if (!line.includes("--allow-delete"))
          problems.push(`the line naming the file does not mention --allow-delete: ${line}`);
        if (!run.stderr.includes("publish refused")) problems.push(`no "publish refused" line`);
        // Its last line is what to run: the command, with this folder, and what it deletes.
        const last = run.stderr.trimEnd().split("\n").at(-1) ?? "";
        const command = `run: npm run publish -- --allow-delete --content `;
        if (!last.startsWith(`To delete the published article whose file is gone (${SLUG}), `))
          problems.push(`the last line does not say what it deletes: ${last}`);
        else if (!last.includes(command))
          problems.push(`the last line does not name "${command}…": ${last}`);
        if (problems.length > 0) problems.push(output(run));
        failIfAny(problems);
      },
    );
    await check(
      `(c) after the refused publish and ${CONTENT_REFRESH_SECONDS + 1} s, /articles/${SLUG} and /feed.xml still serve it`,
      async () => {
        // Longer than the refresh interval: the server has re-read the content version.
        await sleep((CONTENT_REFRESH_SECONDS + 1) * 1000);
        const page = await articlePage(origin);
        if (page.status !== 200) fail(`/articles/${SLUG} answers ${page.status}`);
        const ids = rssIds(origin);
        if (typeof ids === "string") fail(ids);
        if (!ids.includes(ID)) fail(`/feed.xml no longer lists ${ID}`);
      },
    );

    let deleted = false;
    await check("(d) publish --allow-delete deletes it", async () => {
      const run = await publishWarm(origin, ["--content", dir, "--allow-delete"]);
      expectStatus(run, 0);
      if (!/^published version \d+ to local D1: 0 new, 0 changed, 1 deleted\b/m.test(run.stdout))
        fail(
          `no "published version N to local D1: 0 new, 0 changed, 1 deleted" line; ${output(run)}`,
        );
      if (!run.stdout.includes(`deleted ${SLUG}`))
        fail(`it does not list "deleted ${SLUG}"; ${output(run)}`);
      deleted = true;
    });
    if (deleted) {
      await check(
        `(d) without a restart, /articles/${SLUG} answers 410 Gone and /feed.xml no longer lists it ${wait}`,
        async () => {
          const took = await until(async () => {
            const page = await articlePage(origin);
            if (page.status !== 410) return `/articles/${SLUG} answers ${page.status}`;
            const ids = rssIds(origin);
            if (typeof ids === "string") return ids;
            return ids.includes(ID) ? `/feed.xml still lists ${ID}` : null;
          });
          note(`the deletion was served ${took.toFixed(1)} s after publish returned`);
        },
      );
      await checkFeedsShow(origin, await articlesOf(dir), "(d) after the deletion");
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    tmp = null;
    await restoreContent(origin);
  }
}
