import { describe, expect, it } from "vitest";
import { PAGE_SIZE } from "../../src/routes/site.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";

const BASE = "http://localhost:8787";

describe("home page", () => {
  it("lists the latest articles with title, date, source, summary and tags, and advertises the feeds", async () => {
    const { request } = makeApp([
      makeArticle({
        slug: "a",
        title: "Troops arrive",
        published: "2024-10-22T12:00:00Z",
        source: "Asia Times",
        summary: "They arrived.",
        tags: ["north-korea"],
      }),
      makeArticle({ slug: "b", title: "Drills planned", published: "2015-02-03T12:00:00Z" }),
    ]);
    const res = await request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const body = await res.text();
    expect(body).toContain(
      `<link rel="alternate" type="application/rss+xml" title="Axis Dispatch (RSS)" href="${BASE}/feed.xml">`,
    );
    expect(body).toContain(
      `<link rel="alternate" type="application/atom+xml" title="Axis Dispatch (Atom)" href="${BASE}/atom.xml">`,
    );
    expect(body).toContain(
      `<link rel="alternate" type="application/feed+json" title="Axis Dispatch (JSON Feed)" href="${BASE}/feed.json">`,
    );
    expect(body).toContain(`<a href="${BASE}/feed.xml" type="application/rss+xml">RSS feed</a>`);
    expect(body).toContain(`<a href="${BASE}/articles/a">Troops arrive</a>`);
    expect(body).toContain(
      '<time datetime="2024-10-22T12:00:00Z">22 October 2024</time> · Asia Times',
    );
    expect(body).toContain("They arrived.");
    expect(body).toContain(`<a href="${BASE}/tags/north-korea">north-korea</a>`);
    expect(body.indexOf("Troops arrive")).toBeLessThan(body.indexOf("Drills planned"));
    expect(body).not.toContain("<script");
  });

  it("paginates with rel=next/prev links", async () => {
    const articles = Array.from({ length: PAGE_SIZE + 1 }, (_, i) =>
      makeArticle({ published: new Date(Date.UTC(2024, 0, i + 1)).toISOString() }),
    );
    const { request } = makeApp(articles);
    const first = await (await request("/")).text();
    expect(first).toContain(`<a rel="next" href="${BASE}/?page=2">Older →</a>`);
    const second = await (await request("/?page=2")).text();
    expect(second).toContain(articles[0]!.title);
    expect(second).toContain(`<a rel="prev" href="${BASE}/">← Newer</a>`);
  });
});

describe("article page", () => {
  it("shows the article's html, byline, tags, source link and date note", async () => {
    const article = makeArticle({
      slug: "axis",
      title: "The axis",
      html: "<p>Body <em>text</em>.</p>",
      sourceUrl: "https://asiatimes.com/x",
      source: "Asia Times",
      authors: ["A. Writer"],
      dateNote: "Dated from the MENAFN id.",
    });
    const res = await makeApp([article]).request("/articles/axis");
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<h1 dir="auto">The axis</h1>');
    expect(body).toContain("<p>Body <em>text</em>.</p>");
    expect(body).toContain("Asia Times · A. Writer");
    expect(body).toContain('<a href="https://asiatimes.com/x" rel="noopener">Asia Times</a>');
    expect(body).toContain("About the date:</strong> Dated from the MENAFN id.");
    expect(body).toContain(`<link rel="canonical" href="${BASE}/articles/axis">`);
  });

  it("escapes every piece of article text outside the sanitized body", async () => {
    const article = makeArticle({
      slug: "hostile",
      title: `<script>alert("t")</script>`,
      summary: `"><img src=x onerror=alert(1)>`,
      source: "<b>Src</b>",
      authors: ["<i>me</i>"],
      tags: ["russia"],
    });
    const { request } = makeApp([article]);
    for (const path of ["/", "/articles/hostile", "/tags/russia"]) {
      const body = await (await request(path)).text();
      expect(body, path).not.toMatch(/<script>alert|<img src=x|<b>Src|<i>me/);
      expect(body, path).toContain("&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;");
    }
  });
});

describe("tag pages", () => {
  it("lists the tag's articles and its feeds", async () => {
    const { request } = makeApp([
      makeArticle({ slug: "r", title: "Russian news", tags: ["russia"] }),
      makeArticle({ slug: "c", title: "Chinese news", tags: ["china"] }),
    ]);
    const body = await (await request("/tags/russia")).text();
    expect(body).toContain("Tagged “russia”");
    expect(body).toContain("Russian news");
    expect(body).not.toContain("Chinese news");
    expect(body).toContain(
      `<link rel="alternate" type="application/rss+xml" title="Axis Dispatch: russia (RSS)" href="${BASE}/tags/russia/feed.xml">`,
    );
    expect(body).toContain(
      `<a href="${BASE}/tags/russia/feed.json" type="application/feed+json">JSON Feed</a>`,
    );
    const index = await (await request("/tags")).text();
    expect(index).toContain(`<a href="${BASE}/tags/china">china</a> (1)`);
  });
});

describe("static assets", () => {
  it("serves the feed stylesheet and the PNG icon", async () => {
    const { request } = makeApp([makeArticle()]);
    const xsl = await request("/feed.xsl");
    expect(xsl.headers.get("Content-Type")).toBe("text/xsl; charset=utf-8");
    expect(await xsl.text()).toContain('<xsl:stylesheet version="1.0"');
    const icon = await request("/icon.png");
    expect(icon.headers.get("Content-Type")).toBe("image/png");
    const bytes = new Uint8Array(await icon.arrayBuffer());
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});
