import { createScheduledController } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createLibrary } from "../../src/content/library.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { ExtractiveSummarizer, pairLine } from "../../src/digest/summary/summarizer.ts";
import { htmlToBlocks } from "../../src/digest/summary/text.ts";
import { getDigest } from "../../src/digest/store.ts";
import { listArticlesByWeek, summarizeWeek } from "../../src/digest/summary/summarize-week.ts";
import { actors, articles } from "../../src/generated/content.ts";
import worker from "../../src/index.ts";
import type { Article } from "../../src/model/article.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { parseXml } from "../helpers/xml.ts";

const summarizer = new ExtractiveSummarizer();
const BASE = "http://localhost:8787";

function plainText(a: Article): string {
  return htmlToBlocks(a.html).map((b) => b.text).join("\n");
}

function summarize(week: string, list: readonly Article[] = articles, timeZone = "UTC") {
  return summarizeWeek({ week, timeZone, articles: list, actors, summarizer });
}

describe("the axis developments summary on the seed articles", () => {
  it("gives each seed week a summary whose every sentence is in its article, within 250 words", async () => {
    const weeks = [...listArticlesByWeek(articles, "UTC").keys()];
    expect(weeks.length).toBeGreaterThan(0);
    for (const week of weeks) {
      const s = (await summarize(week))!;
      expect(s.developments.length, week).toBeGreaterThan(0);
      expect(s.summaryWords, week).toBeLessThanOrEqual(250);
      for (const d of s.developments) {
        const source = articles.find((a) => a.id === d.articleId)!;
        expect(plainText(source), `${week}: ${d.text}`).toContain(d.text);
      }
      for (const f of s.figures) expect(plainText(articles.find((a) => a.id === f.articleId)!)).toContain(f.text);
    }
  });

  it("leads 2024-W43 with the NIS report of 1,500 special forces and counts Russia–North Korea", async () => {
    const s = (await summarize("2024-W43"))!;
    expect(s.developments[0]!.text).toContain("1,500 North Korean special forces");
    expect(s.pairs.map(pairLine)).toContain("North Korea – Russia: 1 article");
    expect(s.figures.map((f) => f.text)).toContain("1,500 North Korean special forces");
    expect(s.start).toBe("2024-10-21T00:00:00.000Z");
    expect(s.end).toBe("2024-10-28T00:00:00.000Z");
  });

  it("prefers reported facts over quoted commentary (2024-W42 is mostly pull quotes)", async () => {
    const s = (await summarize("2024-W42"))!;
    const quotes = htmlToBlocks(articles.find((a) => a.slug === "a-truly-unholy-alliance")!.html).filter((b) => b.kind === "quote").map((b) => b.text);
    for (const d of s.developments.slice(0, 3)) expect(quotes.some((q) => q.includes(d.text))).toBe(false);
  });

  it("is deterministic", async () => {
    expect(JSON.stringify(await summarize("2024-W43"))).toBe(JSON.stringify(await summarize("2024-W43")));
  });

  it("drops near-duplicate sentences across articles and counts pairs per article", async () => {
    const sentence = "Russia and North Korea signed a mutual defence treaty in Pyongyang on 19 June, pledging military aid if either is attacked.";
    const list = [
      makeArticle({ slug: "a", published: "2024-06-20T10:00:00Z", html: `<p>${sentence}</p><p>China held naval drills with Russia near Vladivostok on 21 June.</p>` }),
      makeArticle({ slug: "b", published: "2024-06-21T10:00:00Z", html: `<p>${sentence.replace("pledging", "promising")}</p><p>Seoul said it would review its own sanctions on Moscow.</p>` }),
    ];
    const s = (await summarize("2024-W25", list))!;
    const treaty = s.developments.filter((d) => d.text.includes("mutual defence treaty"));
    expect(treaty).toHaveLength(1);
    expect(s.pairs.map(pairLine)).toContain("North Korea – Russia: 2 articles");
    expect(s.pairs.map(pairLine)).toContain("China – Russia: 1 article");
  });

  it("gives a week without articles no summary", async () => {
    expect(await summarize("2024-W44")).toBeNull();
  });
});

describe("the weekly cron trigger", () => {
  async function fire(scheduledTime: string) {
    const controller = createScheduledController({ scheduledTime: Date.parse(scheduledTime), cron: "0 6 * * 1" });
    await worker.scheduled(controller, env);
  }

  it("builds the week that just ended once; a second run changes nothing; empty weeks are skipped", async () => {
    await fire("2024-10-28T06:00:00Z");
    const first = await getDigest(env.DB, "2024-W43");
    expect(first).not.toBeNull();
    expect(first!.status).toBe("built");
    expect(first!.articleCount).toBe(1);
    expect(first!.html).toContain('lang="en"');

    await fire("2024-10-28T06:00:00Z");
    const second = await getDigest(env.DB, "2024-W43");
    expect(second).toEqual(first);
    const { results } = await env.DB.prepare("SELECT week FROM digests WHERE week = '2024-W43'").all();
    expect(results).toHaveLength(1);

    await fire("2024-11-04T06:00:00Z"); // 2024-W44 has no articles
    expect(await getDigest(env.DB, "2024-W44")).toBeNull();
  });
});

describe("digest routes", () => {
  const get = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`${BASE}${path}`, init));

  it("serve the archive, the web version, the emails and the digest feeds", async () => {
    const config = parseConfig(env);
    await buildDigest(env.DB, config, { library: createLibrary(articles), actors, summarizer }, "2024-W43");

    const archive = await get("/digests");
    expect(archive.status).toBe(200);
    const archiveHtml = await archive.text();
    expect(archiveHtml).toMatch(new RegExp(`<a href="${BASE}/digests/2024-W43">21\\s–\\s27 October 2024</a>`, "u"));
    expect(archiveHtml).toContain(`type="application/rss+xml" title="Axis Dispatch: weekly digest (RSS)" href="${BASE}/digests/feed.xml"`);

    const page = await get("/digests/2024-W43");
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain("Key developments");
    expect(pageHtml).toContain("1,500 North Korean special forces");
    expect(pageHtml).toContain(`href="${BASE}/articles/the-danger-of-the-pyongyang-moscow-axis-is-becoming-clearer"`);

    const email = await get("/digests/2024-W43/email.html");
    expect(email.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const emailHtml = await email.text();
    expect(emailHtml).toContain('<html lang="en"');
    expect(emailHtml).toContain(`${BASE}/unsubscribe`);
    expect(emailHtml).not.toContain("\u001a");
    const text = await get("/digests/2024-W43/email.txt");
    expect(text.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(await text.text()).toContain("1,500 North Korean special forces");

    const rss = parseXml(await (await get("/digests/feed.xml")).text()).rss.channel;
    const item = rss.item.find((i: any) => i.link === `${BASE}/digests/2024-W43`);
    expect(item.guid["#text"]).toMatch(/^urn:uuid:/);
    expect(item["content:encoded"]).toContain("Key developments");
    const json = (await (await get("/digests/feed.json")).json()) as any;
    expect(json.items.find((i: any) => i.url === `${BASE}/digests/2024-W43`).title).toContain("2024-W43");
  });

  it("answer conditional requests and HEAD like the article feeds", async () => {
    const config = parseConfig(env);
    await buildDigest(env.DB, config, { library: createLibrary(articles), actors, summarizer }, "2024-W43");
    for (const path of ["/digests", "/digests/feed.xml", "/digests/2024-W43", "/digests/2024-W43/email.html"]) {
      const res = await get(path);
      const etag = res.headers.get("ETag")!;
      expect(etag, path).toMatch(/^"[0-9a-f]{32}"$/);
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
      const again = await get(path, { headers: { "If-None-Match": etag } });
      expect(again.status, path).toBe(304);
      const head = await get(path, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
    }
  });

  it("answer an empty or unknown week with 404 and a malformed one with 400", async () => {
    const empty = await get("/digests/2024-W44");
    expect(empty.status).toBe(404);
    expect(await empty.text()).toContain("There is no digest for 2024-W44");
    for (const bad of ["2024-W99", "2024-W53", "last-week"]) {
      const res = await get(`/digests/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(await res.text()).toContain("is not an ISO week: expected YYYY-Www");
      expect((await get(`/digests/${bad}/email.html`)).status).toBe(400);
    }
  });

  it("keep hostile article text inert in the page, the emails and the feed", async () => {
    const hostile = makeArticle({
      slug: "hostile",
      published: "2023-03-01T10:00:00Z",
      title: `<script>alert("t")</script> ]]> \u202Egnp.exe`,
      summary: `"><img src=x onerror=alert(1)>`,
      html: `<p>Russia sent &lt;script&gt;alert(1)&lt;/script&gt; 500 troops ]]&gt; to North Korea on Monday \u0007 after talks.</p>`,
    });
    const { request, env: appEnv } = makeApp([hostile]);
    await buildDigest(appEnv.DB, parseConfig(appEnv), { library: createLibrary([hostile]), actors, summarizer }, "2023-W09");
    for (const path of ["/digests/2023-W09", "/digests/2023-W09/email.html"]) {
      const body = await (await request(path)).text();
      expect(body, path).not.toMatch(/<script>alert|<img src=x|\u202E|\u0007/);
      expect(body, path).toContain("&lt;script&gt;");
    }
    const text = await (await request("/digests/2023-W09/email.txt")).text();
    expect(text).not.toMatch(/[\u202E\u0007]/);
    const rss = await (await request("/digests/feed.xml")).text();
    const item = parseXml(rss).rss.channel.item.find((i: any) => i.link.endsWith("/digests/2023-W09"));
    // The item's content is HTML: the markup must arrive as text, not as elements.
    expect(item["content:encoded"]).not.toMatch(/<script|<img/);
    expect(item["content:encoded"]).toContain("&lt;script&gt;");
  });
});
