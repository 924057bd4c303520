/**
 * RFC 5005 archived feeds, JSON Feed pagination, sitemaps and robots.txt, read the way a feed
 * reader or crawler reads them: start at the subscription feed, follow the links.
 */
import { describe, expect, it } from "vitest";
import { type Article, compareNewestFirst } from "../../src/model/article.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { parseXml } from "../helpers/xml.ts";

const BASE = "http://localhost:8787";
const LIMIT = "3";

/** `n` articles a day apart, newest first, tagged russia (and every other one china). */
function articles(n: number, from = 0): Article[] {
  return Array.from({ length: n }, (_, i) => {
    const k = from + n - 1 - i;
    return makeArticle({
      slug: `a-${k}`,
      id: `urn:uuid:00000000-0000-4000-8000-${String(900000 + k).padStart(12, "0")}`,
      title: `Article ${k}`,
      summary: `Summary of article ${k}.`,
      html: `<p>Body of article ${k}.</p>`,
      published: new Date(Date.UTC(2024, 0, 1 + k, 12)).toISOString().replace(".000Z", "Z"),
      tags: k % 2 === 0 ? ["russia", "china"] : ["russia"],
    });
  });
}

const path = (url: string) => url.slice(BASE.length);

function atomLinks(doc: Record<string, any>): Record<string, string> {
  return Object.fromEntries((doc.feed.link as any[]).map((l) => [l["@rel"], l["@href"]]));
}

/** Follows prev-archive from an Atom feed; returns every entry id seen, and each document. */
async function walkAtom(request: (p: string) => Promise<Response>, start: string) {
  const ids: string[] = [];
  const docs: { path: string; links: Record<string, string>; archive: boolean; res: Response }[] =
    [];
  let next: string | undefined = start;
  while (next) {
    const res = await request(next);
    expect(res.status, next).toBe(200);
    const doc = parseXml(await res.clone().text());
    for (const e of (doc.feed.entry ?? []) as any[]) ids.push(e.id);
    const links = atomLinks(doc);
    docs.push({ path: next, links, archive: "fh:archive" in doc.feed, res });
    next = links["prev-archive"] ? path(links["prev-archive"]) : undefined;
  }
  return { ids, docs };
}

describe("archived feeds (RFC 5005)", () => {
  it("reach every article exactly once by following prev-archive from /atom.xml", async () => {
    const all = articles(10);
    const { request } = makeApp(all, { FEED_ITEM_LIMIT: LIMIT });
    const { ids, docs } = await walkAtom(request, "/atom.xml");
    expect([...ids].sort()).toEqual(all.map((a) => a.id).sort());
    expect(new Set(ids).size).toBe(ids.length);
    // The feed, then pages 3 (newest archive, partial), 2 and 1 (oldest).
    expect(docs.map((d) => d.path)).toEqual([
      "/atom.xml",
      "/archive/3/atom.xml",
      "/archive/2/atom.xml",
      "/archive/1/atom.xml",
    ]);
    expect(docs[0]!.archive).toBe(false);
    for (const d of docs.slice(1)) {
      expect(d.archive, d.path).toBe(true);
      expect(d.links.current).toBe(`${BASE}/atom.xml`);
      expect(d.links.self).toBe(`${BASE}${d.path}`);
    }
    expect(docs[1]!.links["next-archive"]).toBeUndefined();
    expect(docs[2]!.links["next-archive"]).toBe(`${BASE}/archive/3/atom.xml`);
  });

  it("keep the feed's order across pages read from either end, ties broken by slug", async () => {
    // Pages in the older half are read from the oldest end: the order must still be the feed's.
    const tied = Array.from({ length: 23 }, (_, i) =>
      makeArticle({
        slug: `tie-${String(i).padStart(2, "0")}`,
        id: `urn:uuid:00000000-0000-4000-8000-${String(800000 + i).padStart(12, "0")}`,
        published: i < 11 ? "2024-03-01T12:00:00Z" : "2024-03-02T12:00:00Z",
        tags: ["russia"],
      }),
    );
    const expected = [...tied].sort(compareNewestFirst).map((a) => a.id);
    const { request } = makeApp(tied, { FEED_ITEM_LIMIT: LIMIT });
    for (const start of ["/atom.xml", "/tags/russia/atom.xml"]) {
      const { ids, docs } = await walkAtom(request, start);
      expect(ids, start).toEqual(expected);
      expect(docs, start).toHaveLength(1 + Math.ceil((23 - 3) / 3));
    }
  });

  it("keep full pages as they are when a new article arrives; only the newest page grows", async () => {
    const before = makeApp(articles(10), { FEED_ITEM_LIMIT: LIMIT });
    const after = makeApp([...articles(1, 10), ...articles(10)], { FEED_ITEM_LIMIT: LIMIT });
    // Enough new articles to add pages: the full pages' bytes still do not move.
    const much = makeApp([...articles(9, 10), ...articles(10)], { FEED_ITEM_LIMIT: LIMIT });
    for (const page of [1, 2]) {
      const a = await (await before.request(`/archive/${page}/atom.xml`)).text();
      expect(await (await much.request(`/archive/${page}/atom.xml`)).text(), `page ${page}`).toBe(
        a,
      );
    }
    for (const page of [1, 2]) {
      const a = await before.request(`/archive/${page}/feed.xml`);
      const b = await after.request(`/archive/${page}/feed.xml`);
      expect(await b.text(), `page ${page}`).toBe(await a.text());
      expect(b.headers.get("Cache-Control")).toBe("public, max-age=604800");
    }
    // 7 archived items before (pages of 3: 3, 3, 1), 8 after (3, 3, 2).
    const newest = (await after.request("/archive/3/atom.xml")).headers;
    expect(newest.get("Cache-Control")).toBe("public, max-age=300");
    const entries = parseXml(await (await after.request("/archive/3/atom.xml")).text()).feed
      .entry as any[];
    expect(entries.map((e) => e.title["#text"] ?? e.title)).toEqual(["Article 7", "Article 6"]);
  });

  it("link the same pages in RSS, with atom:link and fh:archive", async () => {
    const { request } = makeApp(articles(7), { FEED_ITEM_LIMIT: LIMIT });
    const feed = parseXml(await (await request("/feed.xml")).text()).rss.channel;
    expect(feed["atom:link"]).toContainEqual({
      "@href": `${BASE}/archive/2/feed.xml`,
      "@rel": "prev-archive",
      "@type": "application/rss+xml",
    });
    const page = parseXml(await (await request("/archive/1/feed.xml")).text()).rss;
    expect(page["@xmlns:fh"]).toBe("http://purl.org/syndication/history/1.0");
    expect("fh:archive" in page.channel).toBe(true);
    expect(page.channel["atom:link"]).toContainEqual({
      "@href": `${BASE}/feed.xml`,
      "@rel": "current",
      "@type": "application/rss+xml",
    });
    expect(page.channel["atom:link"]).toContainEqual({
      "@href": `${BASE}/archive/2/feed.xml`,
      "@rel": "next-archive",
      "@type": "application/rss+xml",
    });
    expect(page.channel.item.map((i: any) => i.title)).toEqual([
      "Article 2",
      "Article 1",
      "Article 0",
    ]);
  });

  it("page JSON Feed with next_url down to the oldest item", async () => {
    const all = articles(8);
    const { request } = makeApp(all, { FEED_ITEM_LIMIT: LIMIT });
    const ids: string[] = [];
    let url: string | undefined = "/feed.json";
    while (url) {
      const feed = (await (await request(url)).json()) as {
        items: { id: string }[];
        next_url?: string;
      };
      ids.push(...feed.items.map((i) => i.id));
      url = feed.next_url ? path(feed.next_url) : undefined;
    }
    expect(ids).toEqual(all.map((a) => a.id));
  });

  it("archive each tag's feed the same way", async () => {
    const all = articles(10);
    const { request } = makeApp(all, { FEED_ITEM_LIMIT: LIMIT });
    const { ids, docs } = await walkAtom(request, "/tags/china/atom.xml");
    expect([...ids].sort()).toEqual(
      all
        .filter((a) => a.tags.includes("china"))
        .map((a) => a.id)
        .sort(),
    );
    expect(docs[1]!.path).toBe("/tags/china/archive/1/atom.xml");
  });

  it("answer 404 for pages that do not exist, and link no archive when everything fits", async () => {
    const { request } = makeApp(articles(7), { FEED_ITEM_LIMIT: LIMIT });
    for (const p of [
      "/archive/0/atom.xml",
      "/archive/3/atom.xml",
      "/archive/x/atom.xml",
      "/tags/nope/archive/1/atom.xml",
    ]) {
      expect((await request(p)).status, p).toBe(404);
    }
    const small = makeApp(articles(3), { FEED_ITEM_LIMIT: LIMIT });
    expect(
      atomLinks(parseXml(await (await small.request("/atom.xml")).text()))["prev-archive"],
    ).toBeUndefined();
    expect((await small.request("/archive/1/feed.xml")).status).toBe(404);
  });
});

describe("sitemaps and robots.txt", () => {
  it("list every article, tag and page in a sitemap the index names", async () => {
    const all = articles(5);
    const { request } = makeApp(all);
    const index = await request("/sitemap.xml");
    expect(index.status).toBe(200);
    expect(index.headers.get("Content-Type")).toBe("application/xml; charset=utf-8");
    const files = parseXml(await index.text()).sitemapindex.sitemap;
    const locs = (Array.isArray(files) ? files : [files]).map((f: any) => f.loc);
    expect(locs).toEqual([`${BASE}/sitemaps/1.xml`]);
    const urls = parseXml(await (await request("/sitemaps/1.xml")).text()).urlset.url.map(
      (u: any) => u.loc,
    );
    for (const a of all) expect(urls).toContain(`${BASE}/articles/${a.slug}`);
    expect(urls).toEqual(
      expect.arrayContaining([
        `${BASE}/`,
        `${BASE}/tags`,
        `${BASE}/tags/russia`,
        `${BASE}/digests`,
      ]),
    );
    expect((await request("/sitemaps/2.xml")).status).toBe(404);
  });

  it("robots.txt names the sitemap and keeps crawlers out of the admin", async () => {
    const res = await makeApp(articles(1)).request("/robots.txt");
    expect(res.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    const lines = (await res.text()).split("\n");
    expect(lines).toContain("Disallow: /admin");
    expect(lines).toContain(`Sitemap: ${BASE}/sitemap.xml`);
  });
});
