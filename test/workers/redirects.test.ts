/** Old and conventional addresses move permanently (301) to the canonical ones, query kept. */
import { describe, expect, it } from "vitest";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";

const BASE = "http://localhost:8787"; // wrangler.toml's BASE_URL

const articles = [makeArticle({ slug: "moved-article", tags: ["moved-tag"] })];

/** Each old address and where a reader (or browser) must end up. */
const MOVES: readonly (readonly [from: string, to: string])[] = [
  // WordPress, Ghost, Hugo and other feed addresses.
  ["/feed", "/feed.xml"],
  ["/feed/", "/feed.xml"],
  ["/rss", "/feed.xml"],
  ["/rss/", "/feed.xml"],
  ["/rss.xml", "/feed.xml"],
  ["/index.xml", "/feed.xml"],
  ["/atom", "/atom.xml"],
  ["/atom/", "/atom.xml"],
  ["/feed.xml/", "/feed.xml"],
  ["/atom.xml/", "/atom.xml"],
  ["/feed.json/", "/feed.json"],
  ["/tags/moved-tag/feed", "/tags/moved-tag/feed.xml"],
  ["/tags/moved-tag/feed/", "/tags/moved-tag/feed.xml"],
  ["/tags/moved-tag/rss.xml", "/tags/moved-tag/feed.xml"],
  ["/tags/moved-tag/index.xml", "/tags/moved-tag/feed.xml"],
  ["/tags/moved-tag/atom", "/tags/moved-tag/atom.xml"],
  ["/digests/feed", "/digests/feed.xml"],
  ["/digests/rss", "/digests/feed.xml"],
  ["/digests/atom", "/digests/atom.xml"],
  // Pages with a trailing slash.
  ["/articles/moved-article/", "/articles/moved-article"],
  ["/tags/", "/tags"],
  ["/tags/moved-tag/", "/tags/moved-tag"],
  ["/digests/", "/digests"],
  ["/digests/2024-W43/", "/digests/2024-W43"],
  ["/stories/some-story/", "/stories/some-story"],
  ["/feeds/", "/feeds"],
];

describe("permanent redirects", () => {
  for (const [from, to] of MOVES) {
    it(`${from} → ${to}`, async () => {
      const { request } = makeApp(articles);
      const res = await request(from);
      expect(res.status).toBe(301);
      expect(res.headers.get("Location")).toBe(`${BASE}${to}`);
      const head = await request(from, { method: "HEAD" });
      expect(head.status).toBe(301);
      expect(head.headers.get("Location")).toBe(`${BASE}${to}`);
    });
  }

  it("keeps the query string", async () => {
    const { request } = makeApp(articles);
    const feed = await request("/rss?limit=5&utm_source=x");
    expect(feed.headers.get("Location")).toBe(`${BASE}/feed.xml?limit=5&utm_source=x`);
    const page = await request("/articles/moved-article/?ref=mail");
    expect(page.headers.get("Location")).toBe(`${BASE}/articles/moved-article?ref=mail`);
  });

  it("keeps a tag's encoding in the target", async () => {
    const { request } = makeApp(articles);
    const res = await request("/tags/caf%C3%A9%20bar/");
    expect(res.status).toBe(301);
    expect(res.headers.get("Location")).toBe(`${BASE}/tags/caf%C3%A9%20bar`);
  });

  it("answers other methods 405 with Allow, not a redirect a form could follow", async () => {
    const { request } = makeApp(articles);
    const res = await request("/feed", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("leaves the canonical feeds and pages answering themselves", async () => {
    const { request } = makeApp(articles);
    for (const path of ["/feed.xml", "/tags/moved-tag", "/articles/moved-article", "/digests"]) {
      expect((await request(path)).status, path).toBe(200);
    }
  });
});
