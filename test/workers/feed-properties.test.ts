/**
 * Property-based: whatever text is in an article's fields (markup, `]]>`, control characters,
 * lone surrogates, astral characters, U+2028/2029), every feed format stays readable and says
 * what the article says. RSS and Atom are well-formed XML with only characters XML allows; JSON
 * Feed parses; each field reads back (with independent parsers, test/node/feed-reader.ts) as
 * the input minus the documented stripping; the HTML content is inert and its URLs absolute.
 *
 * Bodies are random HTML of the shape the content build's sanitizer writes (allowlisted
 * elements, double-quoted attributes, http(s), mailto or relative URLs) with hostile text in
 * every text and attribute; test/node/sanitize-properties.test.ts runs the real sanitizer
 * into the feeds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { briefFeedHtml } from "../../src/content/brief-html.ts";
import { buildFeedDocument } from "../../src/feeds/document.ts";
import { renderFeed } from "../../src/feeds/render.ts";
import { siteUrls } from "../../src/lib/urls.ts";
import type { Article } from "../../src/model/article.ts";
import { type Format, readFeed } from "../node/feed-reader.ts";
import { hostileArticles } from "../node/hostile-article.ts";
import {
  asParsed,
  documentedStripping,
  htmlElements,
  htmlToText,
  htmlUrls,
  hostileText,
  PROPERTY_RUNS,
  scriptHazards,
} from "../node/properties.ts";

const CONFIG = parseConfig({
  BASE_URL: "https://news.example/dispatch",
  AUTHOR_EMAIL: "desk@news.example",
});
const FORMATS: readonly Format[] = ["rss", "atom", "json"];

/** Text as the content build's sanitizer writes it: `&` and `<` escaped (a raw `>` is valid). */
const textHtml = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const attrHtml = (t: string) =>
  t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * URLs the sanitizer lets through: relative ones (no scheme: a `/`, `#` or `?` comes first),
 * http(s) and mailto; not protocol-relative ones (`//host`), which it drops.
 */
const url = fc
  .oneof(
    hostileText().map((t) => `x/${t}`),
    hostileText().map((t) => `../${t}`),
    hostileText().map((t) => `#${t}`),
    hostileText().map((t) => `?${t}`),
    fc.webPath(),
    fc.webUrl(),
    fc.constant("mailto:desk@news.example"),
  )
  .filter((u) => !/^[/\\]{2}/.test(u));
/** srcset URLs hold no whitespace or comma, which would split the candidate. */
const srcsetUrl = fc
  .oneof(
    fc.webSegment().map((s) => `img/${s}`),
    fc.webUrl(),
  )
  .filter((u) => !/[\s,]/.test(u));

const element: fc.Arbitrary<string> = fc.oneof(
  hostileText().map((t) => `<p>${textHtml(t)}</p>`),
  fc
    .tuple(url, hostileText(), hostileText())
    .map(
      ([u, title, t]) => `<a href="${attrHtml(u)}" title="${attrHtml(title)}">${textHtml(t)}</a>`,
    ),
  fc
    .tuple(url, hostileText())
    .map(([u, alt]) => `<img src="${attrHtml(u)}" alt="${attrHtml(alt)}" />`),
  fc
    .tuple(srcsetUrl, srcsetUrl, url)
    .map(
      ([a, b, src]) =>
        `<img srcset="${attrHtml(a)} 1x, ${attrHtml(b)} 2x" src="${attrHtml(src)}" />`,
    ),
  fc
    .array(hostileText(), { maxLength: 3 })
    .map((items) => `<ul>${items.map((i) => `<li>${textHtml(i)}</li>`).join("")}</ul>`),
  hostileText().map((t) => `<blockquote><p><em>${textHtml(t)}</em></p></blockquote>`),
  hostileText().map((t) => `<pre><code>${textHtml(t)}</code></pre>`),
);
const body = fc.array(element, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("\n"));

/** What a reader gets back for a field: the documented stripping, and line breaks as parsed. */
function readBack(format: Format, text: string): string {
  const stripped = documentedStripping(text);
  return format === "json" ? stripped : asParsed(stripped);
}

function render(articles: Article[], format: Format): string {
  const doc = buildFeedDocument(CONFIG, { tag: null, items: articles, total: articles.length });
  return renderFeed(format, doc);
}

describe("feeds with hostile text in every field (property-based)", () => {
  for (const format of FORMATS) {
    it(`${format}: parses, reads back every field, and carries inert HTML with absolute URLs`, () => {
      fc.assert(
        fc.property(hostileArticles(body), (articles) => {
          const items = readFeed(format, render(articles, format));
          expect(items).toHaveLength(articles.length);
          const byId = new Map(items.map((i) => [i.id, i]));
          for (const a of articles) {
            const item = byId.get(a.id)!;
            const back = (text: string) => readBack(format, text);
            expect(item.link).toBe(siteUrls(CONFIG).article(a.slug));
            expect(item.title).toBe(back(a.title));
            expect(item.summary).toBe(back(a.summary));
            expect(item.authors).toEqual(
              a.authors.length > 0 ? a.authors.map(back) : [CONFIG.author.name],
            );
            expect(item.categories).toEqual(a.tags);

            const html = item.contentHtml;
            // The brief's HTML arrives whole: `]]>`, references and all, only URLs rewritten.
            expect(htmlToText(html)).toBe(htmlToText(documentedStripping(briefFeedHtml(a))));
            expect(scriptHazards(html)).toEqual([]);
            for (const { url: u } of htmlUrls(html)) {
              expect(URL.canParse(u), `relative URL ${JSON.stringify(u)}`).toBe(true);
            }
            const elements = htmlElements(html);
            const keyPoints = elements.find((e) => e.attrs.get("class") === "key-points");
            if (a.keyPoints.length > 0) {
              expect(keyPoints?.text).toBe(asParsed(a.keyPoints.map(documentedStripping).join("")));
            } else {
              expect(keyPoints).toBeUndefined();
            }
            const editorNote = elements.find((e) => e.attrs.get("class") === "note editor");
            expect(editorNote?.text).toBe(
              a.editorNote === null
                ? undefined
                : asParsed(`Editor’s note: ${documentedStripping(a.editorNote)}`),
            );
          }
        }),
        PROPERTY_RUNS,
      );
    });
  }
});
