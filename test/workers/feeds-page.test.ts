/** `/feeds` lists every feed; `/feeds.opml` is the same list as OPML 2.0 for readers. */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { tagTitle } from "../../src/site/feeds-page.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlLinks, htmlTexts } from "../helpers/html.ts";

const BASE = "http://localhost:8787"; // wrangler.toml's BASE_URL

const articles = [
  makeArticle({ slug: "feeds-a", tags: ["alpha", "beta & gamma"] }),
  makeArticle({ slug: "feeds-b", tags: ["alpha"] }),
];

const FORMATS = ["feed.xml", "atom.xml", "feed.json"];

/** Every feed's address prefix: the site, the digest, each tag. */
const PREFIXES = [BASE, `${BASE}/digests`, `${BASE}/tags/alpha`, `${BASE}/tags/beta%20%26%20gamma`];

describe("/feeds", () => {
  it("lists the site's, the digest's and every tag's feed in three formats, as links and as text to copy", async () => {
    const { request } = makeApp(articles);
    const res = await request("/feeds");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const page = await res.text();
    const expected = PREFIXES.flatMap((p) => FORMATS.map((f) => `${p}/${f}`));
    expect(await htmlTexts(page, "main section code")).toEqual(expected);
    const links = (await htmlLinks(page, "main section li a")).map((l) => l.href);
    expect(links).toEqual(expected);
    const opml = await htmlLinks(page, "main a[type='text/x-opml']");
    expect(opml.map((l) => l.href)).toEqual([`${BASE}/feeds.opml`]);
  });

  it("runs no script: the page's policy allows none, and the page has none", async () => {
    const { request } = makeApp(articles);
    const res = await request("/feeds");
    expect(res.headers.get("Content-Security-Policy")).not.toMatch(
      /script-src[^;]*'unsafe-inline'/,
    );
    expect(await htmlTexts(await res.text(), "script")).toEqual([]);
  });
});

describe("/feeds.opml", () => {
  it("is well-formed OPML 2.0, its RSS outlines grouped (site, digest, tags) and titled for people", async () => {
    const { request } = makeApp(articles);
    const res = await request("/feeds.opml");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/x-opml; charset=utf-8");
    expect(res.headers.get("ETag")).toMatch(/^"[0-9a-f]{32}"$/);
    const text = await res.text();
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@",
      isArray: (name) => name === "outline",
    }).parse(text);
    expect(doc.opml["@version"]).toBe("2.0");
    expect(doc.opml.head.title).toBe("Axis Dispatch: every feed");
    type Outline = Record<string, string> & { outline?: Outline[] };
    const groups = doc.opml.body.outline as Outline[];
    // Regression: the eight feeds were one flat list, the tag feeds (the site's articles again)
    // indistinguishable from the rest; tags were listed by slug.
    expect(groups.map((g) => g["@text"])).toEqual([
      "The site: every article",
      "The weekly digest",
      "Tags: the same articles, by subject",
    ]);
    const feeds = groups.flatMap((g) => g.outline ?? []);
    expect(feeds.map((o) => o["@xmlUrl"])).toEqual(PREFIXES.map((p) => `${p}/feed.xml`));
    for (const o of feeds) {
      // OPML 2.0: `text` is required on every outline; subscription lists use type="rss".
      expect(o["@type"]).toBe("rss");
      expect(o["@text"]).toBeTruthy();
      expect(o["@htmlUrl"]).toMatch(/^http:\/\/localhost:8787\//);
    }
    // Markup in a tag is escaped, not injected: the parser reads the tag back whole.
    expect(feeds.map((o) => o["@text"])).toEqual([
      "Axis Dispatch",
      "Axis Dispatch: weekly digest",
      "Axis Dispatch: Alpha",
      "Axis Dispatch: Beta & gamma",
    ]);
    // One name for the digest: the OPML says what the digest feed itself says (it said
    // "weekly axis developments" there).
    const feed = new XMLParser().parse(await (await request("/digests/feed.xml")).text());
    expect(feed.rss.channel.title).toBe(feeds[1]!["@text"]);
  });

  it("names a tag that is on the watch list by the actor's name", () => {
    const actors = [{ id: "north-korea", name: "North Korea" }];
    expect(tagTitle("north-korea", actors)).toBe("North Korea");
    expect(tagTitle("arms-trade", actors)).toBe("Arms trade");
  });

  it("answers a conditional request 304", async () => {
    const { request } = makeApp(articles);
    const first = await request("/feeds.opml");
    const again = await request("/feeds.opml", {
      headers: { "If-None-Match": first.headers.get("ETag")! },
    });
    expect(again.status).toBe(304);
  });
});
