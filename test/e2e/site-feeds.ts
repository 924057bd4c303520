/**
 * The article feeds, site-wide and for one tag, in every format: HTTP, then feedparser and sfeed,
 * compared with content/ (as scripts/build-content.ts loads it, which is what publish wrote).
 */
import type { Article } from "../../src/model/article.ts";
import { check, fail, failIfAny, feedItemLimit, note } from "./harness.ts";
import {
  checkFeedHttp,
  FORMATS,
  type Format,
  type ReadEntry,
  readerName,
  readerProblems,
  type ReaderResult,
  readWithFeedparser,
  readWithSfeed,
  seconds,
  sfeedUnavailable,
} from "./readers.ts";

export const TAG = "north-korea";

const modifiedSeconds = (a: Article) => seconds(a.updated ?? a.published);

export interface FeedCase {
  readonly path: string;
  readonly format: Format;
  readonly expected: readonly Article[];
}

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

/** Compares a reader's entries with the articles position by position (both newest first). */
export function entryProblems(
  origin: string,
  expected: readonly Article[],
  entries: readonly ReadEntry[],
): string[] {
  const problems: string[] = [];
  if (entries.length !== expected.length) {
    const seen = new Set(entries.map((e) => e.id));
    const known = new Set(expected.map((a) => a.id));
    const missing = expected.filter((a) => !seen.has(a.id)).map((a) => a.slug);
    const unexpected = entries.filter((e) => !known.has(e.id ?? "")).map((e) => e.id ?? "(no id)");
    const detail = [
      missing.length ? `missing: ${missing.join(", ")}` : "",
      unexpected.length ? `unexpected: ${unexpected.join(", ")}` : "",
    ].filter(Boolean);
    problems.push(
      `${entries.length} entries, expected ${expected.length}${detail.length ? ` (${detail.join("; ")})` : ""}`,
    );
  }
  expected.forEach((article, i) => {
    const entry = entries[i];
    if (!entry) return;
    const where = `entry ${i + 1} (${article.slug})`;
    if (!entry.id) problems.push(`${where} has no id`);
    else if (entry.id !== article.id)
      problems.push(`${where} id ${entry.id} ≠ article id ${article.id}`);
    const link = `${origin}/articles/${article.slug}`;
    if (entry.link !== link) problems.push(`${where} link ${entry.link} ≠ ${link}`);
    if (entry.published !== seconds(article.published)) {
      const got =
        entry.published === null ? "none" : new Date(entry.published * 1000).toISOString();
      problems.push(`${where} published ${got} ≠ ${article.published}`);
    }
  });
  return problems;
}

export function checkFeedparserResult(origin: string, feed: FeedCase, result: ReaderResult): void {
  const problems = readerProblems(feed.format, result);
  // JSON Feed has no feed-level date; RSS's lastBuildDate and Atom's <updated> must be the
  // newest change, never the request time (so unchanged feeds keep their bytes and ETag).
  if (feed.format !== "json" && feed.expected.length > 0) {
    const newest = Math.max(...feed.expected.map(modifiedSeconds));
    if (result.updated !== newest) {
      problems.push(
        `feed updated ${result.updated === null ? "missing" : new Date(result.updated * 1000).toISOString()} ≠ newest change ${new Date(newest * 1000).toISOString()}`,
      );
    }
  }
  problems.push(...entryProblems(origin, feed.expected, result.entries));
  failIfAny(problems);
}

export async function checkSiteFeeds(origin: string, articles: readonly Article[]): Promise<void> {
  const feeds = feedCases(articles);
  await check(`tag "${TAG}" has articles to put in its feeds`, () => {
    if (!articles.some((a) => a.tags.includes(TAG)))
      fail(`no article in content/ is tagged ${TAG}`);
  });
  const bodies = new Map<string, string | null>();
  for (const feed of feeds)
    bodies.set(feed.path, await checkFeedHttp(origin, feed.path, feed.format));

  const read = readWithFeedparser(feeds.map((f) => origin + f.path));
  for (const [i, feed] of feeds.entries()) {
    await check(
      `${feed.path}: ${readerName(feed.format)} reads ${feed.expected.length} entries with the articles' ids, links and dates`,
      () => {
        if ("error" in read) fail(read.error);
        checkFeedparserResult(origin, feed, read.results[i]!);
      },
    );
  }

  const unavailable = sfeedUnavailable();
  if (unavailable?.skip) {
    note(`skip sfeed checks: ${unavailable.reason}`);
    return;
  }
  for (const feed of feeds.filter((f) => f.format !== "json")) {
    await check(
      `${feed.path}: sfeed lists ${feed.expected.length} items with the articles' ids, links and dates`,
      () => {
        if (unavailable) fail(unavailable.reason);
        const body = bodies.get(feed.path);
        if (!body) fail("no feed body to parse (see the HTTP check above)");
        failIfAny(entryProblems(origin, feed.expected, readWithSfeed(body)));
      },
    );
  }
}
