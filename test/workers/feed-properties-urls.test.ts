/**
 * Relative URLs in an article's body reach feed readers absolute, resolved against the
 * article's page (where a browser on the site resolves them), whatever BASE_URL the Worker runs
 * under: a reader resolving `<img src="map.png">` against the feed's URL, or its own, would
 * show a broken image. Feeds are read with independent parsers (test/node/feed-reader.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { buildFeedDocument } from "../../src/feeds/document.ts";
import { renderFeed } from "../../src/feeds/render.ts";
import { siteUrls } from "../../src/lib/urls.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { type Format, readFeed } from "../node/feed-reader.ts";
import {
  documentedStripping,
  htmlElements,
  hostileText,
  PROPERTY_RUNS,
} from "../node/properties.ts";

const BODY = [
  `<p><img src="maps/front.png" alt="Front line" srcset="maps/front-2x.png 2x, /media/front-3x.png 3x" />`,
  `<a href="../stories/north-korea">the story</a>, <a href="#figures">the figures</a>,`,
  `<a href="?page=2&amp;view=full">page 2</a>, <a href="https://example.org/report">the report</a>`,
  `and <a href="mailto:desk@example.org">the desk</a>.</p>`,
].join("\n");

/** Every link and image of an item's HTML: [element, attribute, value] in document order. */
function urlAttributes(html: string): [string, string, string][] {
  return htmlElements(html).flatMap((el) =>
    ["href", "src", "srcset"].flatMap((name) =>
      el.attrs.has(name) ? [[el.name, name, el.attrs.get(name)!] as [string, string, string]] : [],
    ),
  );
}

/** What every feed must say for BODY, for an article at `page`. */
function expectedUrls(origin: string, page: string): [string, string, string][] {
  return [
    ["img", "src", `${origin}/articles/maps/front.png`],
    [
      "img",
      "srcset",
      `${origin}/articles/maps/front-2x.png 2x, ${new URL(origin).origin}/media/front-3x.png 3x`,
    ],
    ["a", "href", `${origin}/stories/north-korea`],
    ["a", "href", `${page}#figures`],
    ["a", "href", `${page}?page=2&view=full`],
    ["a", "href", "https://example.org/report"],
    ["a", "href", "mailto:desk@example.org"],
  ];
}

const FEEDS: [string, Format][] = [
  ["/feed.xml", "rss"],
  ["/atom.xml", "atom"],
  ["/feed.json", "json"],
  ["/tags/russia/feed.xml", "rss"],
  ["/tags/russia/atom.xml", "atom"],
  ["/tags/russia/feed.json", "json"],
];

describe("feeds: relative URLs in a body are made absolute against the article's page", () => {
  for (const base of ["https://dispatch.example/axis", "http://localhost:8787"]) {
    it(`in every format and feed, under BASE_URL ${base}`, async () => {
      const article = makeArticle({ slug: "troops", tags: ["russia"], html: BODY });
      const { request } = makeApp([article], { BASE_URL: base });
      for (const [path, format] of FEEDS) {
        const res = await request(path);
        expect(res.status, path).toBe(200);
        const [item] = readFeed(format, await res.text());
        expect(urlAttributes(item!.contentHtml), path).toEqual(
          expectedUrls(base, `${base}/articles/troops`),
        );
      }
    });
  }

  it("on archive pages too", async () => {
    const older = makeArticle({
      slug: "older",
      published: "2024-10-01T00:00:00Z",
      html: `<p><img src="map.png" alt="" /></p>`,
    });
    const newer = makeArticle({ slug: "newer", published: "2024-10-02T00:00:00Z" });
    const { request } = makeApp([older, newer], { FEED_ITEM_LIMIT: "1" });
    for (const [path, format] of [
      ["/archive/1/feed.xml", "rss"],
      ["/archive/1/atom.xml", "atom"],
      ["/archive/1/feed.json", "json"],
    ] as const) {
      const res = await request(path);
      expect(res.status, path).toBe(200);
      const [item] = readFeed(format, await res.text());
      expect(urlAttributes(item!.contentHtml), path).toEqual([
        ["img", "src", "http://localhost:8787/articles/map.png"],
      ]);
    }
  });

  it("any relative URL resolves where the article's page would resolve it (property-based)", () => {
    const config = parseConfig({ BASE_URL: "https://news.example/a/b" });
    const relative = fc.oneof(
      hostileText().map((t) => `x/${t}`),
      hostileText().map((t) => `../${t}`),
      hostileText().map((t) => `/${t}`),
      hostileText().map((t) => `#${t}`),
      hostileText().map((t) => `?${t}`),
      fc.webPath(),
      fc.webSegment(),
    );
    const attr = (t: string) =>
      t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    fc.assert(
      fc.property(
        // Protocol-relative URLs (`//host`) are dropped by the sanitizer; URLs with a scheme
        // are not relative.
        relative.filter((u) => !/^\s*[/\\]{2}/.test(u) && !URL.canParse(u)),
        fc.constantFrom<Format>("rss", "atom", "json"),
        (url, format) => {
          const article = makeArticle({
            html: `<p><a href="${attr(url)}">x</a><img src="${attr(url)}" alt="" /></p>`,
          });
          const page = siteUrls(config).article(article.slug);
          const doc = buildFeedDocument(config, { tag: null, items: [article], total: 1 });
          const [item] = readFeed(format, renderFeed(format, doc));
          const resolved = new URL(documentedStripping(url), page).href;
          expect(urlAttributes(item!.contentHtml)).toEqual([
            ["a", "href", resolved],
            ["img", "src", resolved],
          ]);
        },
      ),
      PROPERTY_RUNS,
    );
  });
});
