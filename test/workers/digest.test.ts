/**
 * The weekly digest: the extractive summary, building and storing a week's digest, and the digest
 * routes. Fixture articles and the fixture watch list only (test/helpers/fixtures.ts), so editing
 * content/ cannot break these. Storage is shared by a file's tests: each test uses its own weeks.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { buildDigest, runWeeklyDigest } from "../../src/digest/service.ts";
import { getDigest } from "../../src/digest/store.ts";
import { SUMMARY_WORD_LIMIT, type DigestSummary } from "../../src/digest/summary/model.ts";
import { summarizeWeek } from "../../src/digest/summary/summarize-week.ts";
import { pairLine } from "../../src/digest/summary/pairs.ts";
import { ExtractiveSummarizer } from "../../src/digest/summary/summarizer.ts";
import { countWords, htmlToBlocks } from "../../src/digest/summary/text.ts";
import type { Article } from "../../src/model/article.ts";
import { makeActors, makeApp, makeArticle, makeDigestDeps } from "../helpers/fixtures.ts";
import { parseXml } from "../helpers/xml.ts";

const BASE = "http://localhost:8787";

function plainText(a: Article): string {
  return htmlToBlocks(a.html)
    .map((b) => b.text)
    .join("\n");
}

function summarize(week: string, list: readonly Article[], timeZone = "UTC") {
  return summarizeWeek({
    week,
    timeZone,
    articles: list,
    actors: makeActors(),
    summarizer: new ExtractiveSummarizer(),
  });
}

/** Every sentence of the summary is in the article it names, verbatim, and the word count adds up. */
function expectTraceable(s: DigestSummary, articles: readonly Article[]) {
  for (const d of s.developments) {
    const source = articles.find((a) => a.id === d.articleId);
    expect(source, d.text).toBeDefined();
    expect(d.articleSlug).toBe(source!.slug);
    expect(d.articleTitle).toBe(source!.title);
    expect(plainText(source!), d.text).toContain(d.text);
  }
  for (const f of s.figures)
    expect(plainText(articles.find((a) => a.id === f.articleId)!), f.text).toContain(f.text);
  const words = [
    ...s.developments.map((d) => d.text),
    ...s.pairs.map(pairLine),
    ...s.figures.map((f) => f.text),
  ].reduce((n, t) => n + countWords(t), 0);
  expect(s.summaryWords).toBe(words);
  expect(s.summaryWords).toBeLessThanOrEqual(SUMMARY_WORD_LIMIT);
}

const DEPLOYMENT =
  "South Korea's National Intelligence Service reported on Friday that 1,500 North Korean special forces had been sent to Russia's Far East.";

/** A week shaped like a real one: a lead report under commentary, a caption, a heading and a list. */
function busyWeek(): Article[] {
  return [
    makeArticle({
      slug: "deployment",
      title: "Deployment reported",
      published: "2024-10-23T08:00:00Z",
      html: [
        "<h2>Russia, North Korea and China: what next?</h2>",
        '<blockquote><p>"Russia, North Korea and China are forming an unholy alliance against Ukraine and South Korea," one analyst said.</p></blockquote>',
        `<p>${DEPLOYMENT}</p>`,
        "<p><em>North Korean troops at a parade in Pyongyang in 2023.</em></p>",
        "<p>Some observers think the Kremlin may perhaps want many more soldiers from Pyongyang.</p>",
      ].join(""),
    }),
    makeArticle({
      slug: "drills",
      title: "Joint drills",
      published: "2024-10-22T10:00:00Z",
      html: "<p>China and Russia held joint naval drills in the Sea of Okhotsk on 22 October, with 12 warships taking part.</p><ul><li>Beijing sent four destroyers to the drills on Tuesday.</li></ul>",
    }),
    makeArticle({
      slug: "ukraine",
      title: "Ukraine says",
      published: "2024-10-24T12:00:00Z",
      html: "<p>Ukraine's defence intelligence confirmed on Thursday that North Korean officers arrived in Russia's Kursk region in October.</p>",
    }),
  ];
}

describe("the axis developments summary", () => {
  it("takes every development and figure verbatim from the article it names, within the word limit", async () => {
    const articles = busyWeek();
    const s = (await summarize("2024-W43", articles))!;
    expect(s.developments.length).toBeGreaterThan(0);
    expectTraceable(s, articles);
    // Headings and photo captions are never developments.
    for (const d of s.developments) expect(d.text).not.toMatch(/what next\?|at a parade/);
    expect(s.articles.map((a) => a.slug)).toEqual(["ukraine", "deployment", "drills"]);
    expect(s.start).toBe("2024-10-21T00:00:00.000Z");
    expect(s.end).toBe("2024-10-28T00:00:00.000Z");
  });

  it("leads with the reported deployment, not the commentary around it, and counts its pair and figure", async () => {
    const s = (await summarize("2024-W43", busyWeek()))!;
    expect(s.developments[0]!.text).toBe(DEPLOYMENT);
    expect(s.developments[0]!.articleSlug).toBe("deployment");
    expect(s.figures.map((f) => f.text)).toContain("1,500 North Korean special forces");
    expect(s.pairs.map(pairLine)).toContain("North Korea – Russia: 2 articles");
    expect(s.pairs.map(pairLine)).toContain("China – Russia: 2 articles");
  });

  it("prefers reported facts over quoted commentary, and uses commentary only when facts run out", async () => {
    // The quotes name more actors, numbers and dates, so they outscore every fact on those alone.
    const quotes = [
      '"Russia sent 10,000 North Korean troops and Chinese drones to Ukraine on 3 October," a former minister said.',
      '"Moscow shipped 200 Chinese trucks and North Korean shells to the front in Ukraine on 4 October," one scholar told reporters.',
      "\"Pyongyang delivered 50 launchers to Russia with Beijing's help before Ukraine's counteroffensive in October,\" an official said.",
    ];
    const facts = [
      "North Korean engineers arrived in the Donetsk region on 5 October with heavy equipment.",
      "Russia opened a new rail bridge over the Tumen River on 6 October for freight traffic.",
      "China reopened the Manzhouli border crossing on 7 October after a two-month closure.",
    ];
    const pullQuotes = quotes.map((q) => `<blockquote><p>${q}</p></blockquote>`).join("");
    const mostlyQuotes = makeArticle({
      slug: "pull-quotes",
      published: "2024-10-08T09:00:00Z",
      html: `${pullQuotes}${facts.map((f) => `<p>${f}</p>`).join("")}`,
    });
    const s = (await summarize("2024-W41", [mostlyQuotes]))!;
    expect(s.developments.map((d) => d.text)).toEqual(facts);

    // One fact among the quotes: it leads, and commentary fills in only up to three items.
    const oneFact = makeArticle({
      slug: "one-fact",
      published: "2024-10-08T09:00:00Z",
      html: `${pullQuotes}<p>${facts[0]}</p>`,
    });
    const sparse = (await summarize("2024-W41", [oneFact]))!;
    expect(sparse.developments[0]!.text).toBe(facts[0]);
    expect(sparse.developments).toHaveLength(3);
    for (const d of sparse.developments.slice(1)) expect(quotes).toContain(d.text);
  });

  it("drops near-duplicate sentences across articles and counts pairs once per article", async () => {
    const sentence =
      "Russia and North Korea signed a mutual defence treaty in Pyongyang on 19 June, pledging military aid if either is attacked.";
    const list = [
      makeArticle({
        slug: "a",
        published: "2024-06-20T10:00:00Z",
        html: `<p>${sentence}</p><p>China held naval drills with Russia near Vladivostok on 21 June.</p>`,
      }),
      makeArticle({
        slug: "b",
        published: "2024-06-21T10:00:00Z",
        html: `<p>${sentence.replace("pledging", "promising")}</p><p>Seoul said it would review its own sanctions on Moscow.</p>`,
      }),
    ];
    const s = (await summarize("2024-W25", list))!;
    expect(s.developments.filter((d) => d.text.includes("mutual defence treaty"))).toHaveLength(1);
    expect(s.pairs.map(pairLine)).toContain("North Korea – Russia: 2 articles");
    expect(s.pairs.map(pairLine)).toContain("China – Russia: 1 article");
    expectTraceable(s, list);
  });

  it("rolls a leader up to their country, puts the axis side first, and skips pairs without an axis actor", async () => {
    const list = [
      makeArticle({
        slug: "summit",
        published: "2024-06-18T10:00:00Z",
        html: "<p>Kim Jong Un met Russian officials on 18 June to discuss 12 new projects.</p>",
      }),
      makeArticle({
        slug: "aid",
        published: "2024-06-19T10:00:00Z",
        html: "<p>Japan sent 40 ambulances to Ukraine on 19 June, Kyiv confirmed.</p><p>Tokyo protested to Moscow on Wednesday over a new shipment of shells.</p>",
      }),
    ];
    const s = (await summarize("2024-W25", list))!;
    expect(s.pairs.map(pairLine).sort()).toEqual([
      "North Korea – Russia: 1 article",
      "Russia – Japan: 1 article",
      "Russia – Ukraine: 1 article",
    ]);
  });

  it("fills the summary up to the word limit and no further on a busy week", async () => {
    const sentences = [
      "Russian railway crews finished laying 42 kilometres of new track between Khasan and the North Korean port of Rajin on Monday, completing a project that triples the volume of coal, fertiliser and grain moving across the border every month.",
      "Chinese customs data released on Tuesday showed exports of machine tools, ball bearings and microelectronics to Russia rising by 38 percent in September compared with the same month last year, with most shipments crossing at Manzhouli and Suifenhe.",
      "North Korean workers arrived at 17 construction sites across the Russian Far East during October, filling jobs in Khabarovsk and Nakhodka that had stood empty since labour shortages began, regional employment offices confirmed in written statements.",
      "Pyongyang launched a solid-fuel missile from a site near Sunan airport on Wednesday morning, sending it 950 kilometres into the sea east of the peninsula before Japanese and American radar lost track of the object over open water.",
      "Beijing hosted a delegation of 60 Russian defence industry executives for three days of meetings on drone components, satellite navigation chips and armoured vehicle engines, ending with signed supply contracts worth roughly 400 million dollars.",
      "Ukrainian forces captured two North Korean soldiers near Kursk on Thursday, the first prisoners from Pyongyang's expeditionary corps, and released photographs of identity papers issued by a Russian military unit based in the Primorye region.",
      "Moscow transferred 24 fighter jets and spare engines to the North Korean air force in early October, and ground crews at Wonsan airfield received the aircraft after a long voyage by cargo ship from the Pacific coast.",
      "China and Russia conducted a joint bomber patrol over the Sea of Okhotsk and the western Pacific on Friday, flying 11 aircraft for nine hours while destroyers from both navies escorted a supply convoy through the Tsugaru Strait.",
    ];
    const list = sentences.map((text, i) =>
      makeArticle({
        slug: `busy-${i}`,
        published: `2024-10-0${1 + (i % 6)}T10:00:00Z`,
        html: `<p>${text}</p>`,
      }),
    );
    const s = (await summarize("2024-W40", list))!;
    expectTraceable(s, list);
    expect(s.developments.length).toBeGreaterThan(1);
    const chosen = new Set(s.developments.map((d) => d.text));
    const left = sentences.filter((t) => !chosen.has(t));
    expect(left.length).toBeGreaterThan(0);
    // Every sentence left out would have taken the summary past the limit.
    for (const t of left)
      expect(s.summaryWords + countWords(t), t).toBeGreaterThan(SUMMARY_WORD_LIMIT);
  });

  it("is deterministic, whatever order the articles come in", async () => {
    const list = busyWeek();
    const first = JSON.stringify(await summarize("2024-W43", list));
    expect(JSON.stringify(await summarize("2024-W43", list))).toBe(first);
    expect(JSON.stringify(await summarize("2024-W43", [...list].reverse()))).toBe(first);
    expect(JSON.stringify(await summarize("2024-W43", [list[1]!, list[2]!, list[0]!]))).toBe(first);
  });

  it("gives a week without articles no summary", async () => {
    expect(await summarize("2024-W44", busyWeek())).toBeNull();
  });
});

describe("building the week that just ended (the cron trigger's job)", () => {
  it("builds the week once; a second run changes nothing; an empty week is skipped", async () => {
    const config = parseConfig(env);
    const articles = [
      makeArticle({
        slug: "w38-a",
        published: "2024-09-17T10:00:00Z",
        html: `<p>${DEPLOYMENT}</p>`,
      }),
      makeArticle({
        slug: "w38-b",
        published: "2024-09-19T10:00:00Z",
        html: "<p>China and Russia held joint naval drills in the Sea of Okhotsk on 19 September.</p>",
      }),
    ];
    const run = (iso: string) =>
      runWeeklyDigest(env.DB, config, makeDigestDeps(articles), Date.parse(iso));

    expect(await run("2024-09-23T06:00:00Z")).toEqual({ week: "2024-W38", outcome: "created" });
    const first = (await getDigest(env.DB, "2024-W38"))!;
    expect(first.status).toBe("built");
    expect(first.articleCount).toBe(2);
    expect(first.summary.developments[0]!.text).toBe(DEPLOYMENT);
    expect(first.html).toContain('lang="en"');

    expect(await run("2024-09-23T06:00:00Z")).toEqual({ week: "2024-W38", outcome: "unchanged" });
    expect(await getDigest(env.DB, "2024-W38")).toEqual(first);
    const { results } = await env.DB.prepare(
      "SELECT week FROM digests WHERE week = '2024-W38'",
    ).all();
    expect(results).toHaveLength(1);

    expect(await run("2024-09-30T06:00:00Z")).toEqual({ week: "2024-W39", outcome: "empty" });
    expect(await getDigest(env.DB, "2024-W39")).toBeNull();
  });
});

describe("digest routes", () => {
  function w43(): Article[] {
    return [
      makeArticle({
        slug: "nis-report",
        title: "Deployment reported",
        published: "2024-10-23T08:00:00Z",
        html: `<p>${DEPLOYMENT}</p>`,
      }),
      makeArticle({
        slug: "naval-drills",
        title: "Joint drills",
        published: "2024-10-22T10:00:00Z",
        html: "<p>China and Russia held joint naval drills in the Sea of Okhotsk on 22 October, with 12 warships taking part.</p>",
      }),
    ];
  }

  it("serve the archive, the web version, the emails and the digest feeds", async () => {
    const articles = w43();
    const { request, env: appEnv } = makeApp(articles);
    expect(
      await buildDigest(appEnv.DB, parseConfig(appEnv), makeDigestDeps(articles), "2024-W43"),
    ).toBe("created");

    const archive = await request("/digests");
    expect(archive.status).toBe(200);
    const archiveHtml = await archive.text();
    expect(archiveHtml).toMatch(
      new RegExp(`<a href="${BASE}/digests/2024-W43">21\\s–\\s27 October 2024</a>`, "u"),
    );
    expect(archiveHtml).toContain(
      `type="application/rss+xml" title="Axis Dispatch: weekly digest (RSS)" href="${BASE}/digests/feed.xml"`,
    );

    const page = await request("/digests/2024-W43");
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain("Key developments");
    expect(pageHtml).toContain("1,500 North Korean special forces");
    expect(pageHtml).toContain(`href="${BASE}/articles/nis-report"`);
    expect(pageHtml).toContain(`href="${BASE}/articles/naval-drills"`);

    const email = await request("/digests/2024-W43/email.html");
    expect(email.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const emailHtml = await email.text();
    expect(emailHtml).toContain('<html lang="en"');
    expect(emailHtml).toContain(`${BASE}/unsubscribe`);
    expect(emailHtml).not.toContain("\u001a");
    const text = await request("/digests/2024-W43/email.txt");
    expect(text.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(await text.text()).toContain("1,500 North Korean special forces");

    const rss = parseXml(await (await request("/digests/feed.xml")).text()).rss.channel;
    const item = rss.item.find((i: any) => i.link === `${BASE}/digests/2024-W43`);
    expect(item.guid["#text"]).toMatch(/^urn:uuid:/);
    expect(item["content:encoded"]).toContain("Key developments");
    const json = (await (await request("/digests/feed.json")).json()) as any;
    expect(json.items.find((i: any) => i.url === `${BASE}/digests/2024-W43`).title).toContain(
      "2024-W43",
    );
  });

  it("answer conditional requests and HEAD like the article feeds", async () => {
    const articles = [
      makeArticle({ slug: "w42", published: "2024-10-15T08:00:00Z", html: `<p>${DEPLOYMENT}</p>` }),
    ];
    const { request, env: appEnv } = makeApp(articles);
    await buildDigest(appEnv.DB, parseConfig(appEnv), makeDigestDeps(articles), "2024-W42");
    for (const path of [
      "/digests",
      "/digests/feed.xml",
      "/digests/2024-W42",
      "/digests/2024-W42/email.html",
    ]) {
      const res = await request(path);
      const etag = res.headers.get("ETag")!;
      expect(etag, path).toMatch(/^"[0-9a-f]{32}"$/);
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
      const again = await request(path, { headers: { "If-None-Match": etag } });
      expect(again.status, path).toBe(304);
      const head = await request(path, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
    }
  });

  it("answer an empty or unknown week with 404 and a malformed one with 400", async () => {
    const { request } = makeApp(w43());
    const empty = await request("/digests/2024-W44");
    expect(empty.status).toBe(404);
    expect(await empty.text()).toContain("There is no digest for 2024-W44");
    for (const bad of ["2024-W99", "2024-W53", "last-week"]) {
      const res = await request(`/digests/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(await res.text()).toContain("is not an ISO week: expected YYYY-Www");
      expect((await request(`/digests/${bad}/email.html`)).status).toBe(400);
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
    await buildDigest(appEnv.DB, parseConfig(appEnv), makeDigestDeps([hostile]), "2023-W09");
    for (const path of ["/digests/2023-W09", "/digests/2023-W09/email.html"]) {
      const body = await (await request(path)).text();
      expect(body, path).not.toMatch(/<script>alert|<img src=x|\u202E|\u0007/);
      expect(body, path).toContain("&lt;script&gt;");
    }
    const text = await (await request("/digests/2023-W09/email.txt")).text();
    expect(text).not.toMatch(/[\u202E\u0007]/);
    const rss = await (await request("/digests/feed.xml")).text();
    const item = parseXml(rss).rss.channel.item.find((i: any) =>
      i.link.endsWith("/digests/2023-W09"),
    );
    // The item's content is HTML: the markup must arrive as text, not as elements.
    expect(item["content:encoded"]).not.toMatch(/<script|<img/);
    expect(item["content:encoded"]).toContain("&lt;script&gt;");
  });
});
