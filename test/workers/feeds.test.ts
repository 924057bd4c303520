import { describe, expect, it, vi } from "vitest";
import type { Article } from "../../src/model/article.ts";
import { makeApp, makeArticle, makeClaim, makeFullBrief } from "../helpers/fixtures.ts";
import { htmlLinks, htmlTexts } from "../helpers/html.ts";
import { parseXml } from "../helpers/xml.ts";

const BASE = "http://localhost:8787"; // wrangler.toml's BASE_URL

/** What a feed reader shows after the body of a brief with nothing but a source. */
const sourceLine = (a: Article) => `\n<p class="source">Written from a report by ${a.source}.</p>`;

function twoArticles() {
  return [
    makeArticle({
      slug: "older",
      title: "Older",
      published: "2024-10-20T12:00:00Z",
      tags: ["russia"],
    }),
    makeArticle({
      slug: "newer",
      title: "Newer",
      published: "2024-10-22T09:30:00+09:00",
      updated: "2024-10-23T08:00:00Z",
      tags: ["north-korea", "troop-deployment"],
      authors: ["Jane Roe", "John Doe"],
    }),
  ];
}

describe("RSS 2.0 /feed.xml", () => {
  it("lists items newest first with guid, RFC 822 dates, full content and categories", async () => {
    const articles = twoArticles();
    const { request } = makeApp(articles);
    const res = await request("/feed.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/rss+xml; charset=utf-8");
    const text = await res.text();
    expect(text).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?><\?xml-stylesheet href="\/feed.xsl" type="text\/xsl"\?>/,
    );
    const rss = parseXml(text).rss;
    expect(rss["@version"]).toBe("2.0");
    expect(rss["@xmlns:content"]).toBe("http://purl.org/rss/1.0/modules/content/");
    const channel = rss.channel;
    expect(channel.link).toBe(`${BASE}/`);
    expect(channel.language).toBe("en");
    expect(channel.image.url).toBe(`${BASE}/icon.png`);
    expect(channel["atom:link"]).toEqual([
      { "@href": `${BASE}/feed.xml`, "@rel": "self", "@type": "application/rss+xml" },
    ]);
    // The channel's time is the newest item's change, never the request time.
    expect(channel.lastBuildDate).toBe("Wed, 23 Oct 2024 08:00:00 GMT");
    const [first, second] = channel.item;
    expect(first.title).toBe("Newer");
    expect(first.guid).toEqual({ "#text": articles[1]!.id, "@isPermaLink": "false" });
    expect(first.link).toBe(`${BASE}/articles/newer`);
    expect(first.pubDate).toBe("Tue, 22 Oct 2024 00:30:00 GMT");
    expect(first.description).toBe(articles[1]!.summary);
    expect(first["content:encoded"]).toBe(`${articles[1]!.html}${sourceLine(articles[1]!)}`);
    expect(first.category.map((c: any) => c["#text"])).toEqual(["north-korea", "troop-deployment"]);
    expect(first["dc:creator"]).toEqual(["Jane Roe", "John Doe"]);
    expect(second.title).toBe("Older");
    // A brief without named authors is the site's, not the outlet's it was written from.
    expect(second["dc:creator"]).toEqual(["Axis Dispatch"]);
  });

  it("advertises a WebSub hub only when one is configured", async () => {
    const without = await (await makeApp(twoArticles()).request("/feed.xml")).text();
    expect(without).not.toContain('rel="hub"');
    const res = await makeApp(twoArticles(), { WEBSUB_HUB: "https://hub.example.org/" }).request(
      "/feed.xml",
    );
    const links = parseXml(await res.text()).rss.channel["atom:link"];
    expect(links).toContainEqual({ "@href": "https://hub.example.org/", "@rel": "hub" });
    expect(res.headers.get("Link")).toBe(
      `<https://hub.example.org/>; rel="hub", <${BASE}/feed.xml>; rel="self"`,
    );
  });

  it("keeps hostile article text inert: markup escaped, every ]]> split, no broken XML", async () => {
    const hostile = makeArticle({
      title: `<script>alert(1)</script> ]]> & ]]> Q&A &amp;`,
      summary: "a ]]> b ]]> c <img src=x onerror=alert(1)>",
      html: "<p>x ]]&gt; y</p><p>]]></p><p>]]></p>",
    });
    const text = await (await makeApp([hostile]).request("/feed.xml")).text();
    const item = parseXml(text).rss.channel.item[0];
    // An RSS title is plain text: it reads back as written. It used to be HTML-escaped inside
    // CDATA, so readers showed "&lt;script&gt;… &amp; …" (issue 15).
    expect(item.title).toBe(hostile.title);
    expect(item.description).not.toContain("<img");
    expect(item["content:encoded"]).toBe(
      `<p>x ]]&gt; y</p><p>]]&gt;</p><p>]]&gt;</p>${sourceLine(hostile)}`,
    );
  });

  it("same content, same bytes: fresh apps at two request times a year apart serve identical feeds", async () => {
    const fixed = {
      id: "urn:uuid:11111111-1111-4111-8111-111111111111",
      slug: "fixed",
      title: "Fixed",
      summary: "S.",
      html: "<p>B.</p>",
    };
    // Each render builds a new app (a cold isolate's cache) under a clock set to `at`: anything
    // in the output taken from the request time would differ between the two.
    const render = async (at: string) => {
      vi.useFakeTimers({ toFake: ["Date"], now: new Date(at) });
      try {
        expect(new Date().toISOString()).toBe(at);
        const out: Record<
          string,
          { body: string; etag: string | null; lastModified: string | null }
        > = {};
        for (const path of ["/feed.xml", "/atom.xml", "/feed.json"]) {
          const res = await makeApp([makeArticle(fixed)]).request(path);
          out[path] = {
            body: await res.text(),
            etag: res.headers.get("ETag"),
            lastModified: res.headers.get("Last-Modified"),
          };
        }
        return out;
      } finally {
        vi.useRealTimers();
      }
    };
    const first = await render("2030-01-01T00:00:00.000Z");
    expect(await render("2031-06-15T13:45:30.000Z")).toEqual(first);
    expect(first["/feed.xml"]!.body).toContain("<item>");
  });
});

describe("Atom 1.0 /atom.xml", () => {
  it("has feed id, self and alternate links, RFC 3339 dates, author and escaped html content", async () => {
    const articles = twoArticles();
    const res = await makeApp(articles).request("/atom.xml");
    expect(res.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    const feed = parseXml(await res.text()).feed;
    expect(feed["@xmlns"]).toBe("http://www.w3.org/2005/Atom");
    expect(feed.id).toBe("tag:localhost,2024:feed");
    expect(feed.updated).toBe("2024-10-23T08:00:00.000Z");
    expect(feed.author).toEqual([{ name: "Axis Dispatch", uri: `${BASE}/` }]);
    expect(feed.icon).toBe(`${BASE}/icon.png`);
    expect(feed.link).toEqual([
      { "@rel": "alternate", "@href": `${BASE}/` },
      { "@rel": "self", "@href": `${BASE}/atom.xml` },
    ]);
    const entry = feed.entry[0];
    expect(entry.id).toBe(articles[1]!.id);
    expect(entry.published).toBe("2024-10-22T00:30:00.000Z");
    expect(entry.updated).toBe("2024-10-23T08:00:00.000Z");
    expect(entry.link).toEqual([{ "@href": `${BASE}/articles/newer` }]);
    expect(entry.content["#text"]).toBe(`${articles[1]!.html}${sourceLine(articles[1]!)}`);
    expect(entry.content["@type"]).toBe("html");
    expect(entry.author.map((a: any) => a.name)).toEqual(["Jane Roe", "John Doe"]);
    expect(feed.entry[1].author.map((a: any) => a.name)).toEqual(["Axis Dispatch"]);
    expect(entry.category.map((c: any) => c["@term"])).toEqual(["north-korea", "troop-deployment"]);
  });

  it('writes titles and summaries as type="text", so every reader shows exactly what was written', async () => {
    // They were type="html" with the text HTML-escaped: right by RFC 4287, but sfeed and many
    // readers show an Atom title as text, so "Q&A" reached them as "Q&amp;A" (issue 15).
    const hostile = makeArticle({
      title: `Q&A: AT&T and ]]> — <b>R&D</b> &amp; "x" < 5%`,
      summary: `R&D ]]> ]]> <i>&lt;</i> 'y'`,
    });
    const entry = parseXml(await (await makeApp([hostile]).request("/atom.xml")).text()).feed
      .entry[0];
    expect(entry.title).toEqual({ "#text": hostile.title, "@type": "text" });
    expect(entry.summary).toEqual({ "#text": hostile.summary, "@type": "text" });
  });
});

describe("JSON Feed 1.1 /feed.json", () => {
  it("is version 1.1 with authors arrays, language, full content_html and RFC 3339 dates", async () => {
    const articles = twoArticles();
    const res = await makeApp(articles).request("/feed.json");
    expect(res.headers.get("Content-Type")).toBe("application/feed+json; charset=utf-8");
    const feed = (await res.json()) as any;
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.feed_url).toBe(`${BASE}/feed.json`);
    expect(feed.home_page_url).toBe(`${BASE}/`);
    expect(feed.language).toBe("en");
    expect(feed.authors).toEqual([{ name: "Axis Dispatch", url: `${BASE}/` }]);
    expect(feed.author).toBeUndefined();
    expect(feed.hubs).toBeUndefined();
    expect(feed.items.map((i: any) => i.id)).toEqual([articles[1]!.id, articles[0]!.id]);
    const item = feed.items[0];
    expect(item).toMatchObject({
      url: `${BASE}/articles/newer`,
      title: "Newer",
      content_html: `${articles[1]!.html}${sourceLine(articles[1]!)}`,
      summary: articles[1]!.summary,
      date_published: "2024-10-22T00:30:00.000Z",
      date_modified: "2024-10-23T08:00:00.000Z",
      authors: [{ name: "Jane Roe" }, { name: "John Doe" }],
      tags: ["north-korea", "troop-deployment"],
    });
    expect(feed.items[1].authors).toEqual([{ name: "Axis Dispatch" }]);
    // Plain text stays plain in JSON: no HTML escaping of titles.
    const amp = (await (
      await makeApp([makeArticle({ title: "AT&T <b>" })]).request("/feed.json")
    ).json()) as any;
    expect(amp.items[0].title).toBe("AT&T <b>");
  });
});

describe("feed limits and tags", () => {
  it("carries the newest FEED_ITEM_LIMIT items, and ?limit= lowers it", async () => {
    const articles = Array.from({ length: 5 }, (_, i) =>
      makeArticle({ published: `2024-01-0${i + 1}T00:00:00Z` }),
    );
    const { request } = makeApp(articles, { FEED_ITEM_LIMIT: "3" });
    const feed = (await (await request("/feed.json")).json()) as any;
    expect(feed.items.map((i: any) => i.id)).toEqual([
      articles[4]!.id,
      articles[3]!.id,
      articles[2]!.id,
    ]);
    const one = (await (await request("/feed.json?limit=1")).json()) as any;
    expect(one.items).toHaveLength(1);
    const tooMany = await request("/feed.json?limit=4");
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain(
      "Query parameter &quot;limit&quot; is &quot;4&quot;: expected a whole number from 1 to 3.",
    );
  });

  it("serves a feed per tag in every format, with its own self link and id", async () => {
    const { request } = makeApp(twoArticles());
    const json = (await (await request("/tags/russia/feed.json")).json()) as any;
    expect(json.items.map((i: any) => i.title)).toEqual(["Older"]);
    expect(json.feed_url).toBe(`${BASE}/tags/russia/feed.json`);
    const atom = parseXml(await (await request("/tags/russia/atom.xml")).text()).feed;
    expect(atom.id).toBe("tag:localhost,2024:tags/russia");
    expect(atom.link).toContainEqual({ "@rel": "self", "@href": `${BASE}/tags/russia/atom.xml` });
    const rss = parseXml(await (await request("/tags/north-korea/feed.xml")).text()).rss.channel;
    expect(rss.item.map((i: any) => i.title)).toEqual(["Newer"]);
    expect((await request("/tags/no-such-tag/feed.xml")).status).toBe(404);
  });

  it("builds every absolute link from BASE_URL", async () => {
    const { request } = makeApp(twoArticles(), { BASE_URL: "https://dispatch.example.org/news/" });
    const feed = (await (await request("/feed.json")).json()) as any;
    expect(feed.feed_url).toBe("https://dispatch.example.org/news/feed.json");
    expect(feed.items[0].url).toBe("https://dispatch.example.org/news/articles/newer");
  });
});

describe("a brief in every feed format", () => {
  /** A brief with everything a reader must see besides its body. */
  function fullBrief() {
    return makeFullBrief(
      { slug: "full" },
      {
        figure: "4",
        counts: "Russian landing ships",
        claimant: "South Korea's National Intelligence Service",
        status: "confirmed",
        by: "Japan's Joint Staff",
      },
    );
  }

  /** The item's content in each format, read from the parsed documents. */
  async function contents(articles: readonly Article[]) {
    const { request } = makeApp(articles);
    const rss = await (await request("/feed.xml")).text();
    const atom = await (await request("/atom.xml")).text();
    const json = (await (await request("/feed.json")).json()) as any;
    return {
      rss: parseXml(rss).rss.channel.item[0]["content:encoded"] as string,
      atom: parseXml(atom).feed.entry[0].content["#text"] as string,
      json: json.items[0].content_html as string,
    };
  }

  it("carries its approximate date, key points, body, figures with their claimants, notes and original link", async () => {
    const brief = fullBrief();
    const { rss, atom, json } = await contents([brief]);
    // The same content, whichever format the reader subscribes to.
    expect(atom).toBe(rss);
    expect(json).toBe(rss);

    expect(await htmlTexts(rss, "p > em")).toEqual(["Approximate date: about 20 October 2024."]);
    expect(await htmlTexts(rss, "h2")).toEqual(["Key points", "Figures and who claims them"]);
    expect(await htmlTexts(rss, "ul.key-points li")).toEqual(brief.keyPoints);
    expect(await htmlTexts(rss, "ul.claims li")).toEqual([
      "1,500 North Korean special forces sent to Russia's Far East (claimed by South Korea's National Intelligence Service)",
      "4 Russian landing ships (claimed by South Korea's National Intelligence Service, confirmed by Japan's Joint Staff)",
    ]);
    expect(await htmlTexts(rss, "p")).toEqual([
      "Approximate date: about 20 October 2024.",
      "The body of the brief.",
      "Editor’s note: The source calls the port Vladivostok; the ships docked at Nakhodka.",
      "Approximate date: Dated from the MENAFN id; the source prints no date.",
      "Read the original at Asia Times, by Jane Doe.",
    ]);
    expect(await htmlLinks(rss)).toEqual([
      { href: "https://asiatimes.com/2024/10/troops/", text: "Asia Times" },
    ]);
    // In reading order: date, key points, body, figures, notes.
    const order = [
      "Approximate date:",
      "Key points",
      "The body of the brief.",
      "Figures and who claims them",
      "Editor’s note:",
      "Read the original at",
    ].map((t) => rss.indexOf(t));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("labels a known date's note 'About the date' and says which report a brief without a link was written from", async () => {
    const brief = makeArticle({
      dateNote: "The source's dateline.",
      source: "Yonhap",
      sourceAuthor: "Kim Min-ji",
    });
    const { rss } = await contents([brief]);
    expect(await htmlTexts(rss, "p")).toEqual([
      "Body of article " + brief.slug.replace("article-", "") + ".",
      "About the date: The source's dateline.",
      "Written from a report by Yonhap, by Kim Min-ji.",
    ]);
    expect(rss).not.toContain("Approximate");
    expect(rss).not.toContain("Key points");
    expect(rss).not.toContain("Editor");
    expect(await htmlLinks(rss)).toEqual([]);
  });

  it("keeps hostile text in key points, claims and notes inert, and the XML well-formed", async () => {
    const brief = makeArticle({
      keyPoints: ["<script>alert(1)</script> ]]> & Russia"],
      claims: [makeClaim({ claimant: '<img src=x onerror="alert(2)">', counts: "]]> troops" })],
      editorNote: "</p><iframe src=javascript:alert(3)>",
      sourceAuthor: "<b>me</b>",
      sourceUrl: 'https://example.com/a"onmouseover="alert(4)',
    });
    const { rss, atom, json } = await contents([brief]);
    for (const html of [rss, atom, json]) {
      expect(html).not.toMatch(/<script|<img|<iframe|<b>/);
      expect(await htmlTexts(html, "ul.key-points li")).toEqual([
        "<script>alert(1)</script> ]]> & Russia",
      ]);
      expect(await htmlTexts(html, "ul.claims li")).toEqual([
        `1,500 ]]> troops (claimed by <img src=x onerror="alert(2)">)`,
      ]);
      expect(await htmlLinks(html)).toEqual([
        { href: 'https://example.com/a"onmouseover="alert(4)', text: "Test Wire" },
      ]);
    }
  });

  it("credits the site's author, from AUTHOR_NAME, for a brief without named authors", async () => {
    const articles = [makeArticle({ source: "Asia Times" })];
    const { request } = makeApp(articles, { AUTHOR_NAME: "The Axis Desk" });
    const rss = parseXml(await (await request("/feed.xml")).text()).rss.channel.item[0];
    expect(rss["dc:creator"]).toEqual(["The Axis Desk"]);
    const atom = parseXml(await (await request("/atom.xml")).text()).feed.entry[0];
    expect(atom.author).toEqual([{ name: "The Axis Desk" }]);
    const json = (await (await request("/feed.json")).json()) as any;
    expect(json.items[0].authors).toEqual([{ name: "The Axis Desk" }]);
  });
});
