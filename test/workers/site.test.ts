import { describe, expect, it } from "vitest";
import { PAGE_SIZE } from "../../src/routes/site.ts";
import { makeApp, makeArticle, makeClaim, makeFullBrief } from "../helpers/fixtures.ts";
import { htmlLinks, htmlText, htmlTexts } from "../helpers/html.ts";

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
      '<time datetime="2024-10-22T12:00:00Z">22 October 2024</time> · from Asia Times',
    );
    expect(body).toContain("They arrived.");
    expect(body).toContain(`<a href="${BASE}/tags/north-korea">north-korea</a>`);
    expect(body.indexOf("Troops arrive")).toBeLessThan(body.indexOf("Drills planned"));
    expect(body).not.toContain("<script");
  });

  it("links older articles on stable pages, numbered from the oldest, and keeps ?page=N working", async () => {
    const articles = Array.from({ length: 2 * PAGE_SIZE + 5 }, (_, i) =>
      makeArticle({
        title: `Story ${i}`,
        summary: `About story ${i}.`,
        published: new Date(Date.UTC(2024, 0, i + 1)).toISOString(),
      }),
    );
    const { request } = makeApp(articles);
    const first = await (await request("/")).text();
    // 45 articles: the newest 20 on the home page, 25 older on stable pages of 20 (20, 5).
    expect(first).toContain(`<a rel="next" href="${BASE}/page/2">Older →</a>`);
    expect(first).not.toContain('rel="prev"');
    const newest = await request("/page/2");
    const newestBody = await newest.text();
    expect(newestBody).toContain(`<a rel="prev" href="${BASE}/">← Newer</a>`);
    expect(newestBody).toContain(`<a rel="next" href="${BASE}/page/1">Older →</a>`);
    expect(newestBody).toContain(">Story 24<");
    expect(newestBody).toContain(">Story 20<");
    expect(newestBody).not.toContain(">Story 25<");
    expect(newest.headers.get("Cache-Control")).toBe("public, max-age=300");
    const oldest = await request("/page/1");
    expect(oldest.headers.get("Cache-Control")).toBe("public, max-age=604800");
    const oldestBody = await oldest.text();
    expect(oldestBody).toContain(">Story 0<");
    expect(oldestBody).toContain(`<link rel="canonical" href="${BASE}/page/1">`);
    expect(oldestBody).not.toContain('rel="next"');
    expect((await request("/page/3")).status).toBe(404);
    expect((await request("/page/0")).status).toBe(404);
    // Old links: ?page=2 still answers, newest first.
    const legacy = await (await request("/?page=2")).text();
    expect(legacy).toContain(">Story 24<");
    expect(legacy).toContain(`<a rel="prev" href="${BASE}/">← Newer</a>`);
  });

  it("keeps a full stable page the same when new articles arrive", async () => {
    const make = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        makeArticle({
          slug: `s-${i}`,
          id: `urn:uuid:00000000-0000-4000-8000-${String(700000 + i).padStart(12, "0")}`,
          title: `Story ${i}`,
          summary: `About story ${i}.`,
          published: new Date(Date.UTC(2024, 0, i + 1)).toISOString(),
        }),
      );
    // 41 articles: page 1 full, page 2 holds one; 67 add a page 3: page 1's bytes stay.
    const before = await (await makeApp(make(PAGE_SIZE * 2 + 1)).request("/page/1")).text();
    const after = await (await makeApp(make(PAGE_SIZE * 3 + 7)).request("/page/1")).text();
    expect(after).toBe(before);
    const tagPage = await makeApp(make(PAGE_SIZE + 3)).request("/tags/russia/page/1");
    expect(tagPage.status).toBe(200);
    expect(await tagPage.text()).toContain(`<a rel="prev" href="${BASE}/tags/russia">← Newer</a>`);
  });
});

describe("article page", () => {
  it("shows the article's html, byline, tags, link to the original and date note", async () => {
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
    expect(await htmlText(body, "article.body > p.meta")).toMatch(
      /^22 October 2024 · from Asia Times · by A\. Writer\n/,
    );
    expect(await htmlTexts(body, "p.source")).toEqual(["Read the original at Asia Times."]);
    expect(await htmlLinks(body, "p.source a")).toEqual([
      { href: "https://asiatimes.com/x", text: "Asia Times" },
    ]);
    expect(await htmlTexts(body, "p.note")).toEqual(["About the date: Dated from the MENAFN id."]);
    // Nothing to show, nothing shown.
    expect(body).not.toMatch(/Key points|Figures and who claims them|Editor’s note|approximate/i);
    expect(body).not.toContain("developing story");
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

const STORY = { id: "nk-troops-russia", title: "North Korean troops in Russia" };

describe("article page: what the brief tells a reader besides its body", () => {
  function fullBrief() {
    return makeFullBrief(
      { slug: "troops", story: STORY.id },
      {
        figure: "3,000",
        counts: "North Korean troops in Russia",
        claimant: "Ukraine's defence intelligence",
        status: "denied",
        by: "Russia's defence ministry",
      },
    );
  }

  it("labels an approximate date, credits the source, and shows key points, figures, notes, the original and the story", async () => {
    const brief = fullBrief();
    const res = await makeApp([brief], {}, [STORY]).request("/articles/troops");
    expect(res.status).toBe(200);
    const body = await res.text();
    const meta = await htmlTexts(body, "article.body > p.meta");
    expect(meta[0]).toBe("about 20 October 2024 (approximate date) · from Asia Times");
    expect(meta).toContain("Part of a developing story: North Korean troops in Russia");
    expect(await htmlLinks(body, "article.body > p.meta a")).toEqual([
      { href: `${BASE}/stories/nk-troops-russia`, text: "North Korean troops in Russia" },
    ]);
    expect(await htmlTexts(body, "article.body h2")).toEqual([
      "Key points",
      "Figures and who claims them",
    ]);
    expect(await htmlTexts(body, "ul.key-points li")).toEqual(brief.keyPoints);
    expect(await htmlTexts(body, "ul.claims li")).toEqual([
      "1,500 North Korean special forces sent to Russia's Far East (claimed by South Korea's National Intelligence Service)",
      "3,000 North Korean troops in Russia (claimed by Ukraine's defence intelligence, denied by Russia's defence ministry)",
    ]);
    expect(await htmlTexts(body, "p.note")).toEqual([
      "Editor’s note: The source calls the port Vladivostok; the ships docked at Nakhodka.",
      "Approximate date: Dated from the MENAFN id; the source prints no date.",
    ]);
    expect(await htmlTexts(body, "p.source")).toEqual([
      "Read the original at Asia Times, by Jane Doe.",
    ]);
    expect(await htmlLinks(body, "p.source a")).toEqual([
      { href: "https://asiatimes.com/2024/10/troops/", text: "Asia Times" },
    ]);
    // The reader meets them in this order: key points, body, figures, notes, original.
    const order = [
      "Key points",
      "The body of the brief.",
      "Figures and who claims them",
      "Editor’s note:",
      "Approximate date:",
      "Read the original at",
    ].map((t) => body.indexOf(t));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("names a story without a title by its id, and links no story when the brief has none", async () => {
    const inStory = makeArticle({ slug: "in-story", story: "untitled-story" });
    const alone = makeArticle({ slug: "alone" });
    const { request } = makeApp([inStory, alone]);
    const body = await (await request("/articles/in-story")).text();
    expect(await htmlLinks(body, "article.body > p.meta a")).toEqual([
      { href: `${BASE}/stories/untitled-story`, text: "untitled-story" },
    ]);
    const none = await (await request("/articles/alone")).text();
    expect(none).not.toContain("developing story");
    expect(none).not.toContain("/stories/");
  });

  it("escapes key points, claims, notes and the story title", async () => {
    const article = makeArticle({
      slug: "hostile-notes",
      story: "s",
      keyPoints: ["<script>kp()</script>"],
      claims: [makeClaim({ claimant: "<img src=x onerror=alert(1)>" })],
      editorNote: "<iframe src=x></iframe>",
      dateNote: "<b>date</b>",
      sourceAuthor: "<i>author</i>",
    });
    const body = await (
      await makeApp([article], {}, [{ id: "s", title: "<script>story()</script>" }]).request(
        "/articles/hostile-notes",
      )
    ).text();
    expect(body).not.toMatch(/<script>|<img src=x|<iframe|<b>date|<i>author/);
    expect(await htmlTexts(body, "ul.key-points li")).toEqual(["<script>kp()</script>"]);
    expect(await htmlTexts(body, "p.note")).toEqual([
      "Editor’s note: <iframe src=x></iframe>",
      "About the date: <b>date</b>",
    ]);
    expect(await htmlLinks(body, "article.body > p.meta a")).toEqual([
      { href: `${BASE}/stories/s`, text: "<script>story()</script>" },
    ]);
  });
});

describe("story pages", () => {
  function storyArticles() {
    return [
      makeArticle({
        slug: "second",
        title: "Troops reach Kursk",
        published: "2024-10-23T08:00:00Z",
        dateApproximate: true,
        source: "Kyiv Independent",
        story: STORY.id,
        summary: "North Korean troops reached Kursk.",
        claims: [
          makeClaim({
            figure: "3,000",
            counts: "North Korean troops in Kursk",
            claimant: "Ukraine's defence intelligence",
          }),
        ],
      }),
      makeArticle({
        slug: "first",
        title: "Special forces sent",
        published: "2024-10-09T08:00:00Z",
        source: "Yonhap",
        story: STORY.id,
        summary: "Seoul says 1,500 special forces were sent.",
        claims: [makeClaim()],
      }),
      makeArticle({
        slug: "third",
        title: "Moscow denies",
        published: "2024-10-30T08:00:00Z",
        source: "TASS",
        story: STORY.id,
        summary: "Moscow denies the reports.",
      }),
      makeArticle({ slug: "elsewhere", title: "Another story", story: "another-story" }),
      makeArticle({ slug: "no-story", title: "No story" }),
    ];
  }

  it("shows the story's briefs oldest first, with dates, sources, claims and links to each brief and its week's digest", async () => {
    const { request } = makeApp(storyArticles(), {}, [STORY]);
    const res = await request("/stories/nk-troops-russia");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const body = await res.text();
    expect(await htmlText(body, "h1")).toBe("North Korean troops in Russia");
    expect(body).toContain(`<link rel="canonical" href="${BASE}/stories/nk-troops-russia">`);
    expect(await htmlTexts(body, "main > p.meta")).toEqual([
      "A developing story: 3 briefs, 9 October 2024 to 30 October 2024. Oldest first.",
    ]);
    expect(await htmlTexts(body, "ol.timeline li h2")).toEqual([
      "Special forces sent",
      "Troops reach Kursk",
      "Moscow denies",
    ]);
    expect(await htmlTexts(body, "ol.timeline li p.meta")).toEqual([
      "9 October 2024 · from Yonhap · weekly digest 2024-W41",
      "about 23 October 2024 (approximate date) · from Kyiv Independent · weekly digest 2024-W43",
      "30 October 2024 · from TASS · weekly digest 2024-W44",
    ]);
    expect(await htmlLinks(body, "ol.timeline a")).toEqual([
      { href: `${BASE}/digests/2024-W41`, text: "weekly digest 2024-W41" },
      { href: `${BASE}/articles/first`, text: "Special forces sent" },
      { href: `${BASE}/digests/2024-W43`, text: "weekly digest 2024-W43" },
      { href: `${BASE}/articles/second`, text: "Troops reach Kursk" },
      { href: `${BASE}/digests/2024-W44`, text: "weekly digest 2024-W44" },
      { href: `${BASE}/articles/third`, text: "Moscow denies" },
    ]);
    expect(await htmlTexts(body, "ol.timeline ul.claims li")).toEqual([
      "1,500 North Korean special forces sent to Russia's Far East (claimed by South Korea's National Intelligence Service)",
      "3,000 North Korean troops in Kursk (claimed by Ukraine's defence intelligence)",
    ]);
    expect(body).toContain("Seoul says 1,500 special forces were sent.");
    expect(body).not.toMatch(/Another story|No story/);
  });

  it("links each brief to the digest of its week in the digest's time zone", async () => {
    // Sunday 20 October 2024, 20:00 UTC, is already Monday in Seoul: week 43 there, 42 in UTC.
    const late = makeArticle({ slug: "late", published: "2024-10-20T20:00:00Z", story: "s" });
    const utc = await (await makeApp([late]).request("/stories/s")).text();
    expect(await htmlLinks(utc, "ol.timeline p.meta a")).toEqual([
      { href: `${BASE}/digests/2024-W42`, text: "weekly digest 2024-W42" },
    ]);
    const seoul = await (
      await makeApp([late], { DIGEST_TIME_ZONE: "Asia/Seoul" }).request("/stories/s")
    ).text();
    expect(await htmlLinks(seoul, "ol.timeline p.meta a")).toEqual([
      { href: `${BASE}/digests/2024-W43`, text: "weekly digest 2024-W43" },
    ]);
  });

  it("answers an unknown story with 404, and conditional requests with 304", async () => {
    const { request } = makeApp(storyArticles(), {}, [STORY]);
    const missing = await request("/stories/no-such-story");
    expect(missing.status).toBe(404);
    expect(await htmlText(await missing.text(), "p")).toContain(
      "There is no story “no-such-story”.",
    );
    // A brief's slug or a story's title is not a story id.
    expect((await request("/stories/first")).status).toBe(404);
    expect((await request("/stories/North%20Korean%20troops%20in%20Russia")).status).toBe(404);

    const res = await request("/stories/nk-troops-russia");
    const etag = res.headers.get("ETag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(res.headers.get("Last-Modified")).toBe("Wed, 30 Oct 2024 08:00:00 GMT");
    const again = await request("/stories/nk-troops-russia", {
      headers: { "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
  });
});
