/** The deployed Worker itself (src/index.ts) with the real content from content/. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { articles } from "../../src/generated/content.ts";

const BASE = "http://localhost:8787";
const get = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`${BASE}${path}`, init));

describe("the Worker with the published content", () => {
  it("carries every article in the JSON Feed, newest first, with its permanent id", async () => {
    const res = await get("/feed.json");
    expect(res.status).toBe(200);
    const feed = (await res.json()) as { items: { id: string; url: string; date_published: string }[] };
    expect(feed.items.map((i) => i.id)).toEqual(articles.slice(0, 50).map((a) => a.id));
    for (const [i, item] of feed.items.entries()) {
      expect(item.url).toBe(`${BASE}/articles/${articles[i]!.slug}`);
      expect(Date.parse(item.date_published)).toBe(Date.parse(articles[i]!.published));
    }
  });

  it("serves a page for every article and every tag", async () => {
    for (const a of articles.slice(0, 50)) {
      const res = await get(`/articles/${a.slug}`);
      expect(res.status, a.slug).toBe(200);
      for (const tag of a.tags) expect((await get(`/tags/${tag}`)).status, tag).toBe(200);
    }
  });

  it("the seed articles carry no page chrome from their source sites", () => {
    const chrome = [/Post navigation/i, /Check Out Our Other Content/i, /Most Popular Articles/i, /KISSY|KISS OF LIFE/, /Post a Comment/i, /Legal Disclaimer/i, /MENAFN\d/, /Labels:/, /&lt;&lt; Home/];
    for (const a of articles) {
      for (const pattern of chrome) expect(a.html, `${a.slug} ${pattern}`).not.toMatch(pattern);
      expect(Date.parse(a.published)).toBeLessThanOrEqual(Date.now());
    }
  });
});
