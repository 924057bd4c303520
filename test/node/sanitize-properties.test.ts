/**
 * Property-based tests of the sanitizers: stripUnsafeChars (src/model/safe-text.ts), against an
 * independent implementation of what it documents; the content build's Markdown sanitizer
 * (scripts/content/markdown.ts), whose output must be inert for any input, read with parse5 (the
 * parsing algorithm browsers implement, not the htmlparser2 the sanitizer parses with); and the
 * whole way from a content file's body to the feeds, as publish and the Worker run it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../scripts/content/markdown.ts";
import { parseConfig } from "../../src/config.ts";
import { buildFeedDocument } from "../../src/feeds/document.ts";
import { renderFeed } from "../../src/feeds/render.ts";
import { stripUnsafeChars } from "../../src/model/safe-text.ts";
import { type Format, readFeed } from "./feed-reader.ts";
import { hostileArticles } from "./hostile-article.ts";
import {
  documentedStripping,
  hostileText,
  htmlUrls,
  nonXmlChars,
  PROPERTY_RUNS,
  scriptHazards,
} from "./properties.ts";

/** URLs that have got script past sanitizers, obfuscated every way a browser still reads. */
const URL_PAYLOADS = [
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "java\nscript:alert(1)",
  "\u0001javascript:alert(1)",
  "&#106;avascript:alert(1)",
  "&#x6A;avascript:alert(1)",
  "javascript&colon;alert(1)",
  "javascript&#58;alert(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "data:image/svg+xml,<svg onload=alert(1)>",
  "vbscript:msgbox(1)",
  "//evil.example/x",
  "\\\\evil.example/x",
  "https://ok.example/a?b=1&c=2",
  "mailto:desk@ok.example",
  "map.png",
  "../up",
  "#notes",
];
const TAGS = (
  "script style iframe object embed svg math img a form input button base link meta template " +
  "noscript textarea title xmp plaintext noembed select frameset body p b table details video " +
  "audio source marquee h1 blockquote"
).split(" ");
const ATTRIBUTES = (
  "onerror onclick onload onmouseover style href src srcset srcdoc formaction action " +
  "xlink:href title alt class id data poster background width"
).split(" ");

const urlish = fc.oneof(fc.constantFrom(...URL_PAYLOADS), hostileText({ maxLength: 8 }));
const attribute = fc
  .tuple(fc.constantFrom(...ATTRIBUTES), urlish, fc.constantFrom('"', "'", ""))
  .map(([name, value, q]) =>
    q === "" ? ` ${name}=${value.replace(/[\s>]/g, "")}` : ` ${name}=${q}${value}${q}`,
  );
const rawHtml = fc
  .tuple(
    fc.constantFrom(...TAGS),
    fc.array(attribute, { maxLength: 3 }),
    hostileText({ maxLength: 8 }),
    fc.boolean(),
  )
  .map(
    ([tag, attrs, text, close]) => `<${tag}${attrs.join("")}>${text}${close ? `</${tag}>` : ""}`,
  );
const markdownLink = fc
  .tuple(hostileText({ maxLength: 6 }), urlish, fc.constantFrom("[", "!["))
  .map(([text, url, open]) => `${open}${text}](${url})`);
const autolink = urlish.map((url) => `<${url}>`);
const piece = fc.oneof(hostileText(), rawHtml, markdownLink, autolink);
const separator = fc.constantFrom("", " ", "\n", "\n\n", "\n> ", "\n- ", "\n    ", "\n```\n");
/** Hostile Markdown: raw HTML, links and text, in and out of Markdown's blocks. */
const hostileMarkdown = fc
  .array(fc.tuple(piece, separator), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.map(([p, s]) => p + s).join(""));

/** The body as publish renders it: stripped like every field, then Markdown, then sanitized. */
const publishedBody = (markdown: string) => renderMarkdown(stripUnsafeChars(markdown));

describe("stripUnsafeChars (property-based)", () => {
  it("removes exactly what it documents, from any text, and nothing else", () => {
    fc.assert(
      fc.property(hostileText({ maxLength: 40 }), (text) => {
        const stripped = stripUnsafeChars(text);
        expect(stripped).toBe(documentedStripping(text));
        expect(nonXmlChars(stripped)).toEqual([]);
        expect(stripUnsafeChars(stripped)).toBe(stripped);
      }),
      PROPERTY_RUNS,
    );
  });

  it("keeps astral characters, U+2028/2029 and surrogate pairs whole", () => {
    const text = "a\u2028b\u2029c \u{1F600} \u{10FFFD} \u{1D11E}";
    expect(stripUnsafeChars(text)).toBe(text);
    expect(stripUnsafeChars("x\uD800y\uDC00z\uDBFF")).toBe("xyz");
  });
});

describe("the Markdown sanitizer (property-based)", () => {
  it("gives inert HTML for any Markdown and raw HTML", () => {
    fc.assert(
      fc.property(hostileMarkdown, (markdown) => {
        expect(scriptHazards(publishedBody(markdown))).toEqual([]);
      }),
      PROPERTY_RUNS,
    );
  });
});

describe("from a content file's body to the feeds (property-based)", () => {
  const config = parseConfig({ BASE_URL: "https://news.example/dispatch" });
  const formats: Format[] = ["rss", "atom", "json"];
  it("every format parses and carries inert HTML with absolute URLs", () => {
    fc.assert(
      fc.property(hostileArticles(hostileMarkdown.map(publishedBody)), (articles) => {
        const doc = buildFeedDocument(config, {
          tag: null,
          items: articles,
          total: articles.length,
        });
        for (const format of formats) {
          for (const item of readFeed(format, renderFeed(format, doc))) {
            expect(scriptHazards(item.contentHtml)).toEqual([]);
            for (const { url } of htmlUrls(item.contentHtml)) {
              expect(URL.canParse(url), `relative URL ${JSON.stringify(url)} in ${format}`).toBe(
                true,
              );
            }
          }
        }
      }),
      PROPERTY_RUNS,
    );
  });
});
