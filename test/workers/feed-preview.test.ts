/**
 * A feed URL opened in a browser gets a readable page; every other client gets the feed, byte
 * for byte. The header sets below are what each client really sends (written down from the
 * client's source or a capture), so the test decides on real requests, not on idealised ones.
 */
import { describe, expect, it } from "vitest";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlLinks, htmlText, htmlTexts } from "../helpers/html.ts";

const BASE = "http://localhost:8787"; // wrangler.toml's BASE_URL
const VARY = "Sec-Fetch-Dest, Sec-Fetch-Mode, Accept";

/** Browsers' own top-level navigation (typing the URL or clicking a link): preview. */
const BROWSERS: Record<string, Record<string, string>> = {
  // Chromium 131 on Linux, address bar navigation (DevTools capture).
  chromium: {
    Accept:
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Accept-Language": "en-US,en;q=0.9",
    "Sec-Ch-Ua": '"Chromium";v="131", "Not_A Brand";v="24"',
    "Sec-Ch-Ua-Mobile": "?0",
    "Sec-Ch-Ua-Platform": '"Linux"',
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "none",
    "Sec-Fetch-User": "?1",
    "Upgrade-Insecure-Requests": "1",
    "User-Agent":
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  },
  // Firefox 132 on Linux, following a link from the site's page (Network panel capture).
  firefox: {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-US,en;q=0.5",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Upgrade-Insecure-Requests": "1",
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "same-origin",
    "Sec-Fetch-User": "?1",
    Priority: "u=0, i",
  },
};

/** Everything else: the feed's bytes. */
const READERS: Record<string, Record<string, string>> = {
  // curl 8 with no options.
  curl: { "User-Agent": "curl/8.5.0", Accept: "*/*" },
  // Python feedparser 6 (feedparser/http.py ACCEPT_HEADER, __init__.py USER_AGENT).
  feedparser: {
    "User-Agent": "feedparser/6.0.11 +https://github.com/kurtmckee/feedparser/",
    Accept:
      "application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1",
    "Accept-Encoding": "gzip, deflate",
    "A-IM": "feed",
  },
  // Miniflux 2.2 (internal/reader/fetcher/request_builder.go): text/html as welcome as feeds.
  miniflux: {
    "User-Agent": "Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)",
    Accept:
      "application/xml, application/atom+xml, application/rss+xml, application/rdf+xml, application/feed+json, text/html, */*;q=0.9",
    "Accept-Encoding": "gzip",
    Connection: "close",
  },
  // FreshRSS 1.24 through SimplePie's File class.
  freshrss: {
    "User-Agent": "FreshRSS/1.24.3 (Linux; https://freshrss.org)",
    Accept:
      "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.7, unknown/unknown;q=0.1, application/unknown;q=0.1, */*;q=0.1",
    "Accept-Encoding": "deflate, gzip, br, zstd",
  },
  // A FreshRSS feed set to a browser's User-Agent and Accept (its per-feed "user agent"
  // setting, used against bot walls): still not a browser navigation, no Sec-Fetch-*.
  "freshrss as a browser": {
    "User-Agent": BROWSERS.chromium!["User-Agent"]!,
    Accept: BROWSERS.chromium!.Accept!,
    "Accept-Language": "en-US,en;q=0.9",
  },
  // A page's script fetching the feed (a web reader's client side): Chromium marks it
  // `empty`/`cors`, not a navigation.
  "chromium fetch()": {
    ...BROWSERS.chromium,
    Accept: "*/*",
    "Sec-Fetch-Dest": "empty",
    "Sec-Fetch-Mode": "cors",
    "Sec-Fetch-Site": "cross-site",
  },
  // The feed in an <iframe>: a navigation, but not the browser's own top-level one.
  "chromium iframe": { ...BROWSERS.chromium, "Sec-Fetch-Dest": "iframe" },
};

const articles = [
  makeArticle({
    slug: "preview-older",
    title: "Older <preview> item",
    published: "2024-10-20T12:00:00Z",
    tags: ["preview-tag"],
  }),
  makeArticle({
    slug: "preview-newer",
    title: "Newer preview item",
    published: "2024-10-22T09:30:00Z",
    tags: ["preview-tag"],
  }),
];

/** Every kind of feed URL: site and tag in each format, an archive page, the digest feed. */
const FEEDS: readonly (readonly [path: string, type: string])[] = [
  ["/feed.xml", "application/rss+xml; charset=utf-8"],
  ["/atom.xml", "application/atom+xml; charset=utf-8"],
  ["/feed.json", "application/feed+json; charset=utf-8"],
  ["/tags/preview-tag/atom.xml", "application/atom+xml; charset=utf-8"],
  ["/archive/1/feed.xml", "application/rss+xml; charset=utf-8"],
  ["/tags/preview-tag/archive/1/feed.json", "application/feed+json; charset=utf-8"],
  ["/digests/feed.xml", "application/rss+xml; charset=utf-8"],
];

// One item per page, so archive page 1 exists.
const app = () => makeApp(articles, { FEED_ITEM_LIMIT: "1" });

describe("a feed URL, by who asks", () => {
  for (const [path, type] of FEEDS) {
    it(`${path}: browsers get the preview, every reader the same feed bytes`, async () => {
      const { request } = app();
      const plain = await request(path);
      expect(plain.status).toBe(200);
      expect(plain.headers.get("Content-Type")).toBe(type);
      expect(plain.headers.get("Vary")).toBe(VARY);
      const feedBytes = new Uint8Array(await plain.arrayBuffer());
      const feedTag = plain.headers.get("ETag");

      for (const [name, headers] of Object.entries(READERS)) {
        const res = await request(path, { headers });
        expect(res.status, name).toBe(200);
        expect(res.headers.get("Content-Type"), name).toBe(type);
        expect(res.headers.get("ETag"), name).toBe(feedTag);
        expect(res.headers.get("Vary"), name).toBe(VARY);
        expect(new Uint8Array(await res.arrayBuffer()), name).toEqual(feedBytes);
      }

      for (const [name, headers] of Object.entries(BROWSERS)) {
        const res = await request(path, { headers });
        expect(res.status, name).toBe(200);
        expect(res.headers.get("Content-Type"), name).toBe("text/html; charset=utf-8");
        expect(res.headers.get("Vary"), name).toBe(VARY);
        // Private: a shared cache that ignores Vary must not give the page to readers.
        expect(res.headers.get("Cache-Control"), name).toMatch(/^private\b/);
        expect(res.headers.get("ETag"), name).not.toBe(feedTag);
        const page = await res.text();
        // The address to copy is the feed's own, whole.
        expect(await htmlTexts(page, "main code"), name).toEqual([`${BASE}${path}`]);
      }
    });
  }
});

describe("the Accept test, on navigations", () => {
  it("gives the feed when Accept does not prefer HTML to the feed's type", async () => {
    const { request } = makeApp(articles);
    const navigation = { "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate" };
    for (const accept of [
      "application/rss+xml, text/html;q=0.5",
      "application/rss+xml, text/html",
      "text/html;q=0",
      "text/html;q=abc",
      "*/*",
    ]) {
      const res = await request("/feed.xml", { headers: { ...navigation, Accept: accept } });
      expect(res.headers.get("Content-Type"), accept).toBe("application/rss+xml; charset=utf-8");
    }
    const html = await request("/feed.xml", {
      headers: { ...navigation, Accept: "application/*;q=0.5, text/html" },
    });
    expect(html.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
  });
});

describe("the preview page", () => {
  it("says what the feed is, lists its newest items with dates, and links readers with the address encoded", async () => {
    const { request } = makeApp(articles);
    const res = await request("/tags/preview-tag/feed.xml", { headers: BROWSERS.firefox });
    const page = await res.text();
    const feedUrl = `${BASE}/tags/preview-tag/feed.xml`;
    expect(await htmlText(page, "h1")).toBe("Axis Dispatch: preview-tag");
    expect(await htmlText(page, "main p.note")).toContain("This is a web feed (RSS 2.0)");
    expect(await htmlTexts(page, "main article h3")).toEqual([
      "Newer preview item",
      "Older <preview> item",
    ]);
    expect(await htmlTexts(page, "main article time")).toEqual([
      "22 October 2024",
      "20 October 2024",
    ]);
    const readers = await htmlLinks(page, "ul[aria-label='Subscribe in a reader'] a");
    const byName = Object.fromEntries(readers.map((l) => [l.text, new URL(l.href)]));
    expect(Object.keys(byName)).toEqual([
      "Subscribe in Feedly",
      "Subscribe in Inoreader",
      "Subscribe in NewsBlur",
      "Subscribe in The Old Reader",
    ]);
    // Each reader reads the feed's address back out of its own URL.
    const feedly = byName["Subscribe in Feedly"]!;
    expect(decodeURIComponent(feedly.pathname.replace("/i/subscription/", ""))).toBe(
      `feed/${feedUrl}`,
    );
    expect(byName["Subscribe in Inoreader"]!.searchParams.get("add_feed")).toBe(feedUrl);
    expect(byName["Subscribe in NewsBlur"]!.searchParams.get("url")).toBe(feedUrl);
    expect(byName["Subscribe in The Old Reader"]!.searchParams.get("url")).toBe(feedUrl);
  });

  it("keeps the XSL stylesheet in the feed for browsers that still apply it", async () => {
    const { request } = makeApp(articles);
    const text = await (await request("/feed.xml", { headers: READERS.curl })).text();
    expect(text).toContain('<?xml-stylesheet href="/feed.xsl" type="text/xsl"?>');
  });
});

describe("conditional requests and HEAD, per variant", () => {
  it("answers 304 to each variant's own ETag, and not to the other's", async () => {
    const { request } = makeApp(articles);
    const feed = await request("/atom.xml", { headers: READERS.feedparser });
    const preview = await request("/atom.xml", { headers: BROWSERS.chromium });
    const feedTag = feed.headers.get("ETag")!;
    const previewTag = preview.headers.get("ETag")!;
    expect(feedTag).not.toBe(previewTag);

    const feed304 = await request("/atom.xml", {
      headers: { ...READERS.feedparser, "If-None-Match": feedTag },
    });
    expect(feed304.status).toBe(304);
    expect(feed304.headers.get("Vary")).toBe(VARY);
    expect(await feed304.text()).toBe("");

    const preview304 = await request("/atom.xml", {
      headers: { ...BROWSERS.chromium, "If-None-Match": previewTag },
    });
    expect(preview304.status).toBe(304);
    expect(preview304.headers.get("Vary")).toBe(VARY);

    // A browser holding the feed's tag gets the preview, in full, and the other way round.
    const crossed = await request("/atom.xml", {
      headers: { ...BROWSERS.chromium, "If-None-Match": feedTag },
    });
    expect(crossed.status).toBe(200);
    expect(crossed.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const crossedFeed = await request("/atom.xml", {
      headers: { ...READERS.miniflux, "If-None-Match": previewTag },
    });
    expect(crossedFeed.status).toBe(200);
    expect(crossedFeed.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
  });

  it("answers HEAD with each variant's headers and no body", async () => {
    const { request } = makeApp(articles);
    for (const [headers, type] of [
      [READERS.curl, "application/rss+xml; charset=utf-8"],
      [BROWSERS.firefox, "text/html; charset=utf-8"],
    ] as const) {
      const get = await request("/feed.xml", { headers });
      const head = await request("/feed.xml", { method: "HEAD", headers });
      expect(head.status).toBe(200);
      expect(head.headers.get("Content-Type")).toBe(type);
      expect(head.headers.get("ETag")).toBe(get.headers.get("ETag"));
      expect(head.headers.get("Vary")).toBe(VARY);
      expect(await head.text()).toBe("");
    }
  });
});
