/**
 * Every text field, every format, checked by readers (property-based): titles, summaries,
 * sources, authors and bodies full of `&`, `<`, `>`, quotes, `]]>`, references typed literally
 * (`&amp;`), emoji, combining marks and right-to-left text go through the RSS, Atom and JSON
 * feeds (the site's, and any FeedDocument, which is what the digest feeds are), the article page
 * and both parts of the digest email, and each output is read back with parsers independent of
 * the code that wrote it: fast-xml-parser and JSON.parse (./feed-reader.ts), parse5 for HTML,
 * test/helpers/mime.ts for the email. The reader must see exactly the original text, after the
 * white-space collapsing HTML rendering defines (and the email's cleanText does).
 *
 * What broke (issue 15): RSS titles were written HTML-escaped inside CDATA, so a title
 * "Q&A: AT&T" reached readers as "Q&amp;A: AT&amp;T".
 */
import fc from "fast-check";
import { type DefaultTreeAdapterMap, parse } from "parse5";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { digestLinks } from "../../src/digest/email/links.ts";
import { renderDigestEmail } from "../../src/digest/email/render.ts";
import { fillRecipientSlots } from "../../src/digest/email/slots.ts";
import type { DigestSummary } from "../../src/digest/summary/model.ts";
import { buildFeedDocument } from "../../src/feeds/document.ts";
import type { FeedDocument } from "../../src/feeds/model.ts";
import { renderFeed } from "../../src/feeds/render.ts";
import { siteUrls } from "../../src/lib/urls.ts";
import { toMime } from "../../src/mail/mime.ts";
import type { Article } from "../../src/model/article.ts";
import { renderArticlePage } from "../../src/site/pages.ts";
import { type MimePart, parseMime } from "../helpers/mime.ts";
import { type Format, readFeed, readFeedMeta } from "../node/feed-reader.ts";
import { htmlToText, PROPERTY_RUNS, readerText, shownAsHtml } from "../node/properties.ts";

const CONFIG = parseConfig({
  BASE_URL: "https://news.example/dispatch",
  AUTHOR_EMAIL: "desk@news.example",
});
const FORMATS: readonly Format[] = ["rss", "atom", "json"];
/** Fewer runs than the other properties: each one renders eight documents. */
const RUNS = { ...PROPERTY_RUNS, numRuns: 100 };
/** Generous: the 2-core machines these run on are shared. */
const TIMEOUT_MS = 120_000;

/** Body text as the content build's sanitizer writes it into a paragraph. */
const bodyHtml = (t: string) => `<p>${t.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p>`;

const kebab = fc.stringMatching(/^[a-z0-9]{1,6}(?:-[a-z0-9]{1,6}){0,2}$/);

/** An article with reader-hostile text in every free-text field (tags are kebab case by rule). */
const article: fc.Arbitrary<Article & { bodyText: string }> = fc
  .record({
    title: readerText({ maxLength: 24 }),
    summary: readerText({ maxLength: 40 }),
    source: readerText(),
    authors: fc.array(readerText(), { maxLength: 2 }),
    tags: fc.uniqueArray(kebab, { minLength: 1, maxLength: 2 }),
    bodyText: readerText({ maxLength: 40 }),
    editorNote: fc.option(readerText(), { nil: null }),
  })
  .map((f) => ({
    id: "urn:uuid:6f0e1c52-0d1e-4c55-9d53-3f0c2a9f5e21",
    slug: "hostile",
    published: "2024-10-22T09:30:00+09:00",
    updated: null,
    dateNote: null,
    dateApproximate: false,
    sourceUrl: null,
    sourceAuthor: null,
    keyPoints: [],
    claims: [],
    story: null,
    html: bodyHtml(f.bodyText),
    ...f,
  }));

type Node = DefaultTreeAdapterMap["childNode"];
type Element = DefaultTreeAdapterMap["element"];

/** Every element of a whole HTML document, as a browser's parser (parse5) builds it. */
function elements(html: string): Element[] {
  const out: Element[] = [];
  const walk = (nodes: readonly Node[]) => {
    for (const n of nodes) {
      if (!("tagName" in n)) continue;
      out.push(n);
      walk(n.childNodes);
    }
  };
  walk(parse(html).childNodes as Node[]);
  return out;
}

const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value ?? null;

function textOf(nodes: readonly Node[]): string {
  return nodes
    .map((n) =>
      n.nodeName === "#text"
        ? (n as DefaultTreeAdapterMap["textNode"]).value
        : "tagName" in n
          ? textOf(n.childNodes)
          : "",
    )
    .join("");
}

/** The part of a multipart/alternative message with media type `type`. */
function partOf(message: MimePart, type: string): string {
  const part = message.parts.find((p) => p.contentType.mediaType === type);
  if (!part) throw new Error(`the message has no ${type} part`);
  return part.body;
}

/** A week with `a` as its one article, as the digest email shows it. */
function week(a: Article): DigestSummary {
  return {
    week: "2024-W43",
    timeZone: "UTC",
    start: "2024-10-21T00:00:00.000Z",
    end: "2024-10-28T00:00:00.000Z",
    developments: [],
    pairs: [],
    actors: [],
    figures: [],
    articles: [
      {
        id: a.id,
        slug: a.slug,
        title: a.title,
        source: a.source,
        published: "2024-10-22T12:00:00Z",
        summary: a.summary,
        sourceUrl: null,
        dateApproximate: false,
        editorNote: a.editorNote,
      },
    ],
    summaryWords: 0,
  };
}

describe("every text field, every format, as readers read it (property-based)", () => {
  it(
    "feeds: RSS, Atom and JSON Feed items read back exactly as written",
    () => {
      fc.assert(
        fc.property(article, (a) => {
          const doc = buildFeedDocument(CONFIG, { tag: null, items: [a], total: 1 });
          for (const format of FORMATS) {
            const [item] = readFeed(format, renderFeed(format, doc));
            expect(item!.title, `${format} title`).toBe(a.title);
            expect(item!.summary, `${format} summary`).toBe(a.summary);
            expect(item!.authors, `${format} authors`).toEqual(
              a.authors.length > 0 ? a.authors : [CONFIG.author.name],
            );
            expect(item!.categories, `${format} categories`).toEqual(a.tags);
            // The content is HTML in every format: its first paragraph is the body.
            const body = htmlToText(item!.contentHtml.split("\n")[0]!);
            expect(body, `${format} body`).toBe(a.bodyText);
            expect(htmlToText(item!.contentHtml), `${format} source line`).toContain(
              `Written from a report by ${a.source}.`,
            );
          }
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "feeds: a feed's own title, description and author (the digest feeds' too) read back exactly",
    () => {
      const base = buildFeedDocument(CONFIG, { tag: null, items: [], total: 0 });
      fc.assert(
        fc.property(
          readerText({ maxLength: 24 }),
          readerText({ maxLength: 40 }),
          readerText(),
          readerText({ maxLength: 24 }),
          readerText({ maxLength: 40 }),
          (title, description, authorName, itemTitle, itemSummary) => {
            const doc: FeedDocument = {
              ...base,
              title,
              description,
              author: { ...base.author, name: authorName },
              items: [
                {
                  id: "urn:uuid:00000000-0000-4000-8000-000000000001",
                  title: itemTitle,
                  url: "https://news.example/dispatch/digests/2024-W43",
                  summary: itemSummary,
                  contentHtml: "<p>x</p>",
                  published: new Date("2024-10-28T00:00:00Z"),
                  updated: new Date("2024-10-28T00:00:00Z"),
                  authors: [authorName],
                  categories: [],
                },
              ],
            };
            for (const format of FORMATS) {
              const body = renderFeed(format, doc);
              expect(readFeedMeta(format, body), format).toEqual({
                title,
                description,
                authorName,
              });
              const [item] = readFeed(format, body);
              expect([item!.title, item!.summary, item!.authors], format).toEqual([
                itemTitle,
                itemSummary,
                [authorName],
              ]);
            }
          },
        ),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "the article page: title, heading, description, byline, tags and body read back exactly",
    async () => {
      await fc.assert(
        fc.asyncProperty(article, async (a) => {
          const page = elements(await renderArticlePage(CONFIG, a));
          const meta = (key: string, value: string) =>
            page.find((e) => e.tagName === "meta" && attr(e, key) === value);
          const title = page.find((e) => e.tagName === "title")!;
          expect(textOf(title.childNodes)).toBe(`${a.title} · ${CONFIG.title}`);
          const h1 = page.find((e) => e.tagName === "h1")!;
          expect(shownAsHtml(textOf(h1.childNodes))).toBe(shownAsHtml(a.title));
          expect(attr(meta("property", "og:title")!, "content")).toBe(a.title);
          expect(attr(meta("name", "description")!, "content")).toBe(a.summary);
          const paragraphs = page
            .filter((e) => e.tagName === "p")
            .map((e) => shownAsHtml(textOf(e.childNodes)));
          expect(paragraphs).toContain(shownAsHtml(`Summary: ${a.summary}`));
          expect(paragraphs).toContain(shownAsHtml(a.bodyText));
          const byline = paragraphs.find((p) => p.includes(" · from "))!;
          expect(byline).toContain(
            shownAsHtml(
              `from ${a.source}${a.authors.length > 0 ? ` · by ${a.authors.join(", ")}` : ""}`,
            ),
          );
          const tags = page
            .filter((e) => e.tagName === "a" && attr(e, "href")?.includes("/tags/"))
            .map((e) => textOf(e.childNodes));
          expect(tags).toEqual(a.tags);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "the digest email: both parts, read as MIME, show the article's title, source, summary and note",
    () => {
      const links = digestLinks(CONFIG, "2024-W43");
      const slots = {
        unsubscribeUrl: "https://news.example/dispatch/unsubscribe?token=t",
        baseUrl: CONFIG.baseUrl,
      };
      fc.assert(
        fc.property(article, (a) => {
          const email = renderDigestEmail(week(a), links);
          const message = parseMime(
            toMime({
              from: "Axis Dispatch <digest@news.example>",
              to: "reader@example.org",
              subject: "Weekly digest",
              text: fillRecipientSlots(email.text, "text", slots),
              html: fillRecipientSlots(email.html, "html", slots),
              headers: {},
              messageId: "<digest.2024-W43.test@news.example>",
              date: new Date("2024-10-28T00:00:00Z"),
            }),
          );
          const shown = {
            title: shownAsHtml(a.title),
            source: shownAsHtml(a.source),
            summary: shownAsHtml(a.summary),
            note: a.editorNote === null ? null : shownAsHtml(a.editorNote),
          };

          // HTML: the article's paragraph is its link (the title), a <br>, the source and day,
          // a <br>, the summary, then the editor's note, if any.
          const html = elements(partOf(message, "text/html"));
          const url = siteUrls(CONFIG).article(a.slug);
          const link = html.find((e) => e.tagName === "a" && attr(e, "href") === url)!;
          expect(shownAsHtml(textOf(link.childNodes))).toBe(shown.title);
          const paragraph = html.find((e) => e.tagName === "p" && e.childNodes.includes(link))!;
          const [, , sourceLine, , summary, , note] = paragraph.childNodes;
          expect(shownAsHtml(textOf([sourceLine!]))).toBe(`${shown.source} · Tue, 22 Oct 2024`);
          expect(shownAsHtml(textOf([summary!]))).toBe(shown.summary);
          expect(note === undefined ? null : shownAsHtml(textOf([note]))).toBe(
            shown.note === null ? null : `Editor's note: ${shown.note}`,
          );

          // Plain text: "* title", then indented source and day, URL, summary, note.
          const lines = partOf(message, "text/plain").split(/\r?\n/);
          const at = lines.indexOf(`* ${shown.title}`);
          expect(at, `no line "* ${shown.title}" in the text part`).toBeGreaterThan(-1);
          expect(lines.slice(at + 1, at + 5)).toEqual([
            `  ${shown.source} · Tue, 22 Oct 2024`,
            `  ${url}`,
            `  ${shown.summary}`,
            shown.note === null ? "" : `  Editor's note: ${shown.note}`,
          ]);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );
});
