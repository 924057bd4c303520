/**
 * The weekly digest: its feeds (read like the article feeds), its pages in Chromium, and each
 * week's email: HTML through html-validate and caniemail, rendered at 600 px, and the plain-text
 * part against the week's web version.
 */
import { listArticlesByWeek } from "../../src/digest/summary/summarize-week.ts";
import type { Article } from "../../src/model/article.ts";
import { type Browser, checkPage, WIDTHS } from "./browser.ts";
import {
  clientSupport,
  EMAIL_CLIENTS,
  htmlValidateProblems,
  staleExceptions,
} from "./email-lint.ts";
import {
  check,
  decodeEntities,
  digestTimeZone,
  fail,
  failIfAny,
  feedItemLimit,
  note,
  squash,
} from "./harness.ts";
import {
  checkFeedHttp,
  FORMATS,
  type Format,
  type ReadEntry,
  readerName,
  readerProblems,
  readWithFeedparser,
  readWithSfeed,
  sfeedUnavailable,
} from "./readers.ts";
import { fetchOk } from "./server.ts";

/** A week that has articles, and so a digest. */
export interface DigestWeek {
  readonly week: string;
  /** Its articles, newest first. */
  readonly articles: readonly Article[];
}

/** Every week with articles in the digest's time zone, newest first (as the backfill builds them). */
export function digestWeeks(articles: readonly Article[]): DigestWeek[] {
  return [...listArticlesByWeek(articles, digestTimeZone())].map(([week, list]) => ({
    week,
    articles: list,
  }));
}

// ---------------------------------------------------------------------------------------------
// Feeds

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One entry per week, newest first, each linking to its web version with a urn:uuid id. */
function digestEntryProblems(
  origin: string,
  weeks: readonly DigestWeek[],
  entries: readonly ReadEntry[],
): string[] {
  const problems: string[] = [];
  if (entries.length !== weeks.length) {
    const links = new Set(entries.map((e) => e.link));
    const missing = weeks
      .filter((w) => !links.has(`${origin}/digests/${w.week}`))
      .map((w) => w.week);
    const known = new Set(weeks.map((w) => `${origin}/digests/${w.week}`));
    const unexpected = entries
      .filter((e) => !known.has(e.link ?? ""))
      .map((e) => e.link ?? "(no link)");
    const detail = [
      missing.length ? `missing: ${missing.join(", ")}` : "",
      unexpected.length ? `unexpected: ${unexpected.join(", ")}` : "",
    ].filter(Boolean);
    problems.push(
      `${entries.length} entries, expected ${weeks.length}, one per week with articles${detail.length ? ` (${detail.join("; ")})` : ""}`,
    );
  }
  weeks.forEach(({ week }, i) => {
    const entry = entries[i];
    if (!entry) return;
    const where = `entry ${i + 1} (${week})`;
    const link = `${origin}/digests/${week}`;
    if (entry.link !== link) problems.push(`${where} link ${entry.link} ≠ ${link}`);
    if (!entry.id) problems.push(`${where} has no id`);
    else if (!UUID_URN.test(entry.id))
      problems.push(`${where} id ${entry.id} is not urn:uuid:<UUID>`);
    if (entry.published === null) problems.push(`${where} has no publication date`);
  });
  const ids = entries.map((e) => e.id).filter((id) => id !== null);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length > 0)
    problems.push(`ids used by more than one entry: ${[...new Set(repeated)].join(", ")}`);
  return problems;
}

export async function checkDigestFeeds(
  origin: string,
  allWeeks: readonly DigestWeek[],
): Promise<void> {
  const weeks = allWeeks.slice(0, feedItemLimit());
  const feeds = FORMATS.map(({ file, format }) => ({ path: `/digests/${file}`, format }));
  const bodies = new Map<string, string | null>();
  for (const feed of feeds)
    bodies.set(feed.path, await checkFeedHttp(origin, feed.path, feed.format));

  const read = readWithFeedparser(feeds.map((f) => origin + f.path));
  const idsByFormat = new Map<Format, (string | null)[]>();
  for (const [i, feed] of feeds.entries()) {
    await check(
      `${feed.path}: ${readerName(feed.format)} reads ${weeks.length} entries, one per week with articles, each linking to /digests/{week} with a urn:uuid id`,
      () => {
        if ("error" in read) fail(read.error);
        const result = read.results[i]!;
        idsByFormat.set(
          feed.format,
          result.entries.map((e) => e.id),
        );
        failIfAny([
          ...readerProblems(feed.format, result),
          ...digestEntryProblems(origin, weeks, result.entries),
        ]);
      },
    );
  }
  await check("digest feeds: RSS, Atom and JSON Feed give each week the same id", () => {
    const [first, ...rest] = [...idsByFormat];
    if (!first || rest.length < FORMATS.length - 1)
      fail("not every format could be read (see above)");
    const problems = rest.flatMap(([format, ids]) =>
      first[1].flatMap((id, i) =>
        ids[i] === id
          ? []
          : [`${weeks[i]?.week ?? `entry ${i + 1}`}: ${first[0]} ${id} ≠ ${format} ${ids[i]}`],
      ),
    );
    failIfAny(problems);
  });

  const unavailable = sfeedUnavailable();
  if (unavailable?.skip) {
    note(`skip sfeed checks: ${unavailable.reason}`);
    return;
  }
  for (const feed of feeds.filter((f) => f.format !== "json")) {
    await check(
      `${feed.path}: sfeed lists ${weeks.length} items, one per week with articles, each linking to /digests/{week} with a urn:uuid id`,
      () => {
        if (unavailable) fail(unavailable.reason);
        const body = bodies.get(feed.path);
        if (!body) fail("no feed body to parse (see the HTTP check above)");
        failIfAny(digestEntryProblems(origin, weeks, readWithSfeed(body)));
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Pages

export async function checkDigestPages(
  browser: Browser,
  origin: string,
  newest: DigestWeek,
): Promise<void> {
  for (const [name, path] of [
    ["digests", "/digests"],
    ["digest-week", `/digests/${newest.week}`],
  ] as const) {
    for (const width of WIDTHS) await checkPage(browser.context, origin, { name, path, width });
  }
}

// ---------------------------------------------------------------------------------------------
// Emails

/** What the web version (/digests/{week}) says the week's key developments are. */
async function webDevelopments(origin: string, week: string): Promise<string[]> {
  const { body } = await fetchOk(`${origin}/digests/${week}`, "text/html");
  // The summary fragment (src/digest/summary-html.ts): <section aria-labelledby="developments-…">
  // <ol><li dir="auto">{text} <a href="{article}">({source})</a></li>…
  const section = /<section aria-labelledby="developments-[^"]*">([\s\S]*?)<\/section>/.exec(
    body,
  )?.[1];
  if (section === undefined)
    fail(`/digests/${week} has no key developments section (has the page's markup changed?)`);
  // A developing story is introduced inside its first item (<p class="meta">…</p>): not the item.
  return [...section.matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/g)].map((m) =>
    squash(
      decodeEntities(
        m[1]!
          .replace(/<p class="meta">[\s\S]*?<\/p>/g, "")
          .replace(/<a\s[\s\S]*$/, "")
          .replace(/<[^>]*>/g, ""),
      ),
    ),
  );
}

/** Problems with the plain-text part: HTML left in it, and developments or articles missing. */
function textEmailProblems(
  text: string,
  developments: readonly string[],
  week: DigestWeek,
): string[] {
  const problems: string[] = [];
  const tags = [...new Set(text.match(/<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>|<!--/gi) ?? [])];
  if (tags.length > 0) problems.push(`HTML tags: ${tags.slice(0, 5).join(" ")}`);
  const entities = [...new Set(text.match(/&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi) ?? [])];
  if (entities.length > 0)
    problems.push(
      `HTML character references (escaped for HTML?): ${entities.slice(0, 5).join(" ")}`,
    );
  const flat = squash(text);
  if (developments.length === 0)
    problems.push("the web version lists no key developments to compare with");
  for (const d of developments)
    if (!flat.includes(d))
      problems.push(`key development missing: ${JSON.stringify(d.slice(0, 100))}`);
  // Article URLs by path: which origin they carry is checked separately (foreignLinkProblems).
  for (const a of week.articles) {
    if (!new RegExp(`https?://\\S+/articles/${a.slug}(?=\\s|$)`, "m").test(text))
      problems.push(`no URL of article /articles/${a.slug}`);
  }
  return problems;
}

interface EmailLink {
  readonly where: string;
  readonly url: string;
}

/** Every link of the HTML (href, src) and of the text, with the email part it is in. */
function emailLinks(week: string, html: string, text: string): EmailLink[] {
  return [
    ...[...html.matchAll(/\s(?:href|src)="([^"]*)"/gi)].map((m) => ({
      where: `${week}/email.html`,
      url: decodeEntities(m[1]!),
    })),
    ...[...text.matchAll(/https?:\/\/\S+/g)].map((m) => ({
      where: `${week}/email.txt`,
      url: m[0],
    })),
  ];
}

/**
 * Links outside the server's own site, summarised by the origin they point at instead. The one
 * kind allowed is a brief's original report ("Read the original at …"), by its exact URL.
 */
function foreignLinkProblems(
  origin: string,
  links: readonly EmailLink[],
  originals: ReadonlySet<string>,
): string[] {
  const byOrigin = new Map<string, EmailLink[]>();
  for (const link of links) {
    if (link.url.startsWith(`${origin}/`) || originals.has(link.url)) continue;
    const other = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(link.url)?.[0] ?? link.url;
    if (!byOrigin.has(other)) byOrigin.set(other, []);
    byOrigin.get(other)!.push(link);
  }
  return [...byOrigin].map(([other, list]) => {
    const parts = new Set(list.map((l) => l.where));
    const examples = [...new Set(list.map((l) => l.url))].slice(0, 4).join(", ");
    return `${list.length} of ${links.length} links, in ${parts.size} email parts (${[...parts].slice(0, 3).join(", ")}${parts.size > 3 ? ", …" : ""}), point at ${other} instead (e.g. ${examples})`;
  });
}

export async function checkDigestEmails(
  origin: string,
  weeks: readonly DigestWeek[],
  browser: Browser | null,
): Promise<void> {
  const htmls: string[] = [];
  const used = new Set<string>();
  const partial = new Map<string, Set<string>>();
  const links: EmailLink[] = [];
  for (const w of weeks) {
    const base = `/digests/${w.week}`;
    let html: string | null = null;
    let text: string | null = null;
    await check(
      `${base}/email.html: 200 text/html; html-validate finds nothing (recommended preset, email exceptions in email-lint.ts)`,
      async () => {
        html = (await fetchOk(origin + `${base}/email.html`, "text/html")).body;
        htmls.push(html);
        failIfAny(await htmlValidateProblems(html), 12);
      },
    );
    await check(
      `${base}/email.html: every feature is supported by ${EMAIL_CLIENTS.join(", ")} (caniemail; documented ignores in email-lint.ts)`,
      () => {
        if (html === null) fail("no email HTML (see the check above)");
        const support = clientSupport(html);
        for (const key of support.used) used.add(key);
        for (const [feature, clients] of support.partial) {
          if (!partial.has(feature)) partial.set(feature, new Set());
          for (const c of clients) partial.get(feature)!.add(c);
        }
        failIfAny(support.problems, 12);
      },
    );
    await check(
      `${base}/email.txt: 200 text/plain, no HTML, every key development and every article URL of the week`,
      async () => {
        text = (await fetchOk(origin + `${base}/email.txt`, "text/plain")).body;
        failIfAny(textEmailProblems(text, await webDevelopments(origin, w.week), w));
      },
    );
    if (html !== null && text !== null) links.push(...emailLinks(w.week, html, text));
  }
  if (partial.size > 0) {
    // Partial support is the norm in email (e.g. Outlook's margin or Gmail's <style> limits): listed, not failed.
    note(
      `caniemail: ${partial.size} features only partly supported by some of those clients (warnings, not failures): ${[...partial.keys()].join(", ")}`,
    );
  }
  await check(
    "email exceptions: every html-validate exception and caniemail ignore is still needed by some email",
    async () => {
      if (htmls.length < weeks.length) fail("not every email could be fetched (see above)");
      failIfAny(await staleExceptions(htmls, used), 20);
    },
  );
  const originals = new Set(
    weeks.flatMap((w) => w.articles.map((a) => a.sourceUrl).filter((u) => u !== null)),
  );
  await check(
    `emails link only to this server and to the briefs' originals: every href and src of email.html and every URL in email.txt starts with BASE_URL ${origin}/ or is a brief's source_url`,
    () => {
      if (links.length === 0) fail("no email could be read (see above)");
      const toOriginals = links.filter((l) => originals.has(l.url));
      if (originals.size > 0 && toOriginals.length === 0) fail("no email links a brief's original");
      failIfAny(foreignLinkProblems(origin, links, originals));
    },
  );

  const newest = weeks[0];
  if (browser && newest)
    await checkPage(browser.context, origin, {
      name: "digest-email",
      path: `/digests/${newest.week}/email.html`,
      width: 600,
      email: true,
    });
}
