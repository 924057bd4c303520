/**
 * End-to-end check: the product as a user and an aggregator meet it.
 *
 *   npm run e2e        (= node test/e2e/run.ts)
 *
 * 1. The content check's and publish's error path, as an operator sees it on a bad content
 *    folder: `file:line` errors, exit 1, nothing written to D1 (content-build.ts).
 * 2. `npm start` on a free loopback port, exactly as a user starts it (server.ts); its prestart
 *    publishes content/ to the local D1 it serves.
 * 3. Every article feed format, site-wide and for one tag, read by independent readers from
 *    Debian (python3-feedparser, sfeed) and compared with content/ as scripts/build-content.ts
 *    loads it; HTTP headers and conditional GET (site-feeds.ts, readers.ts).
 * 4. The digest feeds the same way: one entry per week that has articles (digests.ts).
 * 5. Pages in Debian's headless Chromium at phone and desktop widths: the home page, the newest
 *    article, an approximately dated article, a story timeline, the digest archive and the newest
 *    digest; no console or page errors, no horizontal
 *    overflow, full-page screenshots in e2e-artifacts/ (browser.ts).
 * 6. Every week's digest email: the HTML through html-validate and caniemail (Gmail, Outlook for
 *    Windows, Outlook.com) with the documented exceptions of email-lint.ts, the newest rendered
 *    at 600 px (e2e-artifacts/digest-email-600.png); the plain text against the web version.
 * 7. Feeds in a browser: /feed.xml, /atom.xml and the digest feed opened in Chromium are the
 *    HTML preview, a reader's request gets the same feed bytes; /feeds at both widths,
 *    /feeds.opml, and /feed redirecting to /feed.xml (feed-preview.ts).
 * 8. Publishing without a redeploy, against the running server: a new article appears in the
 *    feeds and at /articles/{slug}, an unchanged publish writes nothing, a deleted file is
 *    refused without --allow-delete and answers 410 with it; content/ is published again at the
 *    end (publish-live.ts).
 *
 * Prints one `ok - …` / `not ok - …: reason` line per check, then `e2e: N passed, M failed`;
 * exits 0 only when nothing failed. Needs (Debian): python3-feedparser, chromium, sfeed.
 */
import { join } from "node:path";
import { loadContent } from "../../scripts/build-content.ts";
import type { Article } from "../../src/model/article.ts";
import { checkAdmin } from "./admin.ts";
import { checkPage, openBrowser, WIDTHS } from "./browser.ts";
import { checkContentBuildErrors } from "./content-build.ts";
import { checkDigestEmails, checkDigestFeeds, checkDigestPages, digestWeeks } from "./digests.ts";
import { checkFeedPreview } from "./feed-preview.ts";
import { checkSubscribeFlow } from "./subscribe-flow.ts";
import { check, fail, ROOT, tally } from "./harness.ts";
import { checkPublishLive, restoreAfterAbort } from "./publish-live.ts";
import { SERVER_LOG, startServer, stopServer } from "./server.ts";
import { checkSiteFeeds } from "./site-feeds.ts";

const RUN_TIMEOUT_MS = 150_000;

/**
 * content/ as publish reads it: `npm start`'s prestart published exactly this to the local D1
 * the server reads, so it is what the server serves.
 */
async function loadArticles(): Promise<readonly Article[]> {
  const { articles, errors } = await loadContent(join(ROOT, "content"));
  if (errors.length > 0)
    fail(`content/ is not valid (npm run build:content): ${errors.slice(0, 3).join("; ")}`);
  return articles;
}

/**
 * Ends the run early: ends a publish in flight and publishes content/ again if the publish
 * checks had changed the local D1, stops the server, prints the summary, exits non-zero.
 */
async function abort(reason: string, code: number): Promise<never> {
  tally.failed++;
  console.log(`not ok - ${reason}`);
  await restoreAfterAbort();
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

async function checkAgainst(origin: string): Promise<void> {
  let articles: readonly Article[] = [];
  await check("content/ is valid content (scripts/build-content.ts loadContent)", async () => {
    articles = await loadArticles();
  });
  const weeks = digestWeeks(articles);
  await checkSiteFeeds(origin, articles);
  await check(
    `content/ has articles, in ${weeks.length} weeks (${weeks.map((w) => w.week).join(", ")})`,
    () => {
      if (articles.length === 0 || weeks.length === 0)
        fail("no articles: nothing for the pages, feeds and digests to show");
    },
  );
  await checkDigestFeeds(origin, weeks);

  const browser = await openBrowser();
  try {
    if (browser && articles[0]) {
      // The newest article, an approximately dated one (its label and notes), a story timeline.
      const approximate = articles.find((a) => a.dateApproximate);
      const story = articles.find((a) => a.story !== null)?.story;
      const pages: [string, string][] = [
        ["home", "/"],
        ["article", `/articles/${articles[0].slug}`],
        ...(approximate
          ? [["article-approximate", `/articles/${approximate.slug}`] as [string, string]]
          : []),
        ...(story ? [["story", `/stories/${story}`] as [string, string]] : []),
      ];
      for (const [name, path] of pages) {
        for (const width of WIDTHS) await checkPage(browser.context, origin, { name, path, width });
      }
    }
    if (browser && weeks[0]) await checkDigestPages(browser, origin, weeks[0]);
    await checkFeedPreview(browser, origin);
    if (browser) await checkSubscribeFlow(browser, origin);
    await checkDigestEmails(origin, weeks, browser);
  } finally {
    await browser?.close();
  }
  // The admin's login challenge and its pages at both widths, in a Chromium of its own (admin.ts).
  await checkAdmin(origin);
  // Last: it publishes to the database the server reads (and puts content/ back at the end).
  await checkPublishLive(origin);
}

async function main(): Promise<number> {
  const started = Date.now();
  await checkContentBuildErrors();
  try {
    const origin = await checkServerStarts();
    if (origin !== null) await checkAgainst(origin);
  } finally {
    await stopServer();
    console.log(`# took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return tally.failed === 0 ? 0 : 1;
}

// Whatever hangs, the run ends well inside CI's patience and never leaves a server behind.
const watchdog = setTimeout(
  () => void abort(`e2e run exceeded ${RUN_TIMEOUT_MS / 1000} s`, 1),
  RUN_TIMEOUT_MS,
);
process.once("SIGINT", () => void abort("interrupted (SIGINT)", 130));
process.once("SIGTERM", () => void abort("terminated (SIGTERM)", 143));

const code = await main().catch((error: unknown) => {
  tally.failed++;
  console.log(
    `not ok - e2e run crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return 1;
});
clearTimeout(watchdog);
console.log(`e2e: ${tally.passed} passed, ${tally.failed} failed`);
process.exit(code);
