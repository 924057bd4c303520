/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) written straight from the FeedDocument
 * (src/feeds/json.ts), read back with JSON.parse.
 *
 * Issue 17: it used to be the `feed` package's version 1 output, parsed and remapped, which
 * brought two of that path's quirks into JSON: content_html had every `]]>` rewritten as
 * `]]&gt;` (a workaround for XML CDATA sections, meaningless in JSON), and an item whose
 * content was empty lost its summary (the package writes a summary only beside content).
 */
import { describe, expect, it } from "vitest";
import type { FeedDocument, FeedItem } from "../../src/feeds/model.ts";
import { renderFeed } from "../../src/feeds/render.ts";

const urls = (path: string) => ({
  rss: `https://news.example/${path}feed.xml`,
  atom: `https://news.example/${path}atom.xml`,
  json: `https://news.example/${path}feed.json`,
});

function item(n: number, fields: Partial<FeedItem> = {}): FeedItem {
  return {
    id: `urn:uuid:00000000-0000-4000-8000-00000000000${n}`,
    title: `Item ${n}: Q&A <b>`,
    url: `https://news.example/articles/item-${n}`,
    summary: `Summary ${n} & more`,
    contentHtml: `<p>Body ${n}</p>`,
    published: new Date(Date.UTC(2024, 9, 20 + n, 8)),
    updated: new Date(Date.UTC(2024, 9, 21 + n, 9)),
    authors: [`Writer ${n}`, "Desk"],
    categories: [
      { term: "north-korea", url: "https://news.example/tags/north-korea" },
      { term: "russia", url: "https://news.example/tags/russia" },
    ],
    ...fields,
  };
}

function document(items: FeedItem[], fields: Partial<FeedDocument> = {}): FeedDocument {
  return {
    id: "tag:news.example,2024:feed",
    title: "Axis & Co",
    description: "Dated reporting",
    homeUrl: "https://news.example/",
    links: urls(""),
    stylesheet: "/feed.xsl",
    language: "en",
    iconUrl: "https://news.example/icon.png",
    author: { name: "Axis Desk", email: "desk@news.example", url: "https://news.example/" },
    hubUrl: "https://hub.example/",
    archive: { isArchive: false, current: urls(""), prev: urls("archive/3/"), next: null },
    updated: new Date(Date.UTC(2024, 9, 25)),
    items,
    ...fields,
  };
}

interface JsonFeed {
  version: string;
  title: string;
  items: Record<string, unknown>[];
  [field: string]: unknown;
}

const parse = (doc: FeedDocument) => JSON.parse(renderFeed("json", doc)) as JsonFeed;

describe("JSON Feed 1.1", () => {
  it("has the spec's required fields, and every field the document gives", () => {
    const feed = parse(document([item(1), item(2)]));
    expect(feed).toEqual({
      version: "https://jsonfeed.org/version/1.1",
      title: "Axis & Co",
      home_page_url: "https://news.example/",
      feed_url: "https://news.example/feed.json",
      description: "Dated reporting",
      icon: "https://news.example/icon.png",
      favicon: "https://news.example/icon.png",
      language: "en",
      authors: [{ name: "Axis Desk", url: "https://news.example/" }],
      hubs: [{ type: "WebSub", url: "https://hub.example/" }],
      next_url: "https://news.example/archive/3/feed.json",
      items: [1, 2].map((n) => ({
        id: `urn:uuid:00000000-0000-4000-8000-00000000000${n}`,
        url: `https://news.example/articles/item-${n}`,
        title: `Item ${n}: Q&A <b>`,
        summary: `Summary ${n} & more`,
        content_html: `<p>Body ${n}</p>`,
        date_published: new Date(Date.UTC(2024, 9, 20 + n, 8)).toISOString(),
        date_modified: new Date(Date.UTC(2024, 9, 21 + n, 9)).toISOString(),
        authors: [{ name: `Writer ${n}` }, { name: "Desk" }],
        tags: ["north-korea", "russia"],
      })),
    });
    // Required of every item: an id, and content_html or content_text.
    for (const i of feed.items) {
      expect(typeof i["id"]).toBe("string");
      expect(typeof i["content_html"]).toBe("string");
    }
  });

  it("an empty feed, without hub or archive, is still valid", () => {
    const feed = parse(document([], { hubUrl: null, archive: null }));
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.title).toBe("Axis & Co");
    expect(feed.items).toEqual([]);
    expect("hubs" in feed || "next_url" in feed).toBe(false);
  });

  it("content_html is the item's HTML as it is: `]]>` is not rewritten (that is XML's CDATA)", () => {
    const html = "<p>a ]]> b</p><pre><code>x[1]]>y</code></pre>";
    const [got] = parse(document([item(1, { contentHtml: html })])).items;
    expect(got!["content_html"]).toBe(html);
  });

  it("an item with empty content keeps its summary; an empty title or summary is left out", () => {
    const items = parse(
      document([item(1, { contentHtml: "" }), item(2, { title: "", summary: "" })]),
    ).items;
    expect(items[0]!["summary"]).toBe("Summary 1 & more");
    expect(items[0]!["content_html"]).toBe("");
    expect("title" in items[1]! || "summary" in items[1]!).toBe(false);
  });
});
