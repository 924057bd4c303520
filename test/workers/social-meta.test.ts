/**
 * Shared links show a title, a summary and an image (issue 11): Open Graph (https://ogp.me/) and
 * Twitter card tags on articles, digests and the home page, and the apple-touch-icon iOS puts on
 * a home screen. Pages are read with parse5 (the WHATWG parsing algorithm browsers implement),
 * the icons by their PNG header.
 */
import fc from "fast-check";
import { type DefaultTreeAdapterMap, parse } from "parse5";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { shareDescription } from "../../src/site/layout.ts";
import { makeApp, makeArticle, makeDigestDeps } from "../helpers/fixtures.ts";

const BASE = "http://localhost:8787";

type Element = DefaultTreeAdapterMap["element"];
type Node = DefaultTreeAdapterMap["node"];

function elements(node: Node, tag: string, found: Element[] = []): Element[] {
  if ("tagName" in node && node.tagName === tag) found.push(node);
  if ("childNodes" in node) for (const child of node.childNodes) elements(child, tag, found);
  if ("content" in node) elements(node.content, tag, found);
  return found;
}

const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;

/** Every `<meta property|name content>` in the head, by key; a key given twice is an error. */
function metaTags(page: string): Map<string, string> {
  const tags = new Map<string, string>();
  const document = parse(page);
  const head = elements(document, "head")[0]!;
  for (const meta of elements(head, "meta")) {
    const key = attr(meta, "property") ?? attr(meta, "name");
    const content = attr(meta, "content");
    if (key === undefined || content === undefined) continue;
    expect(tags.has(key), `${key} appears once`).toBe(false);
    tags.set(key, content);
  }
  return tags;
}

function links(page: string, rel: string): string[] {
  return elements(parse(page), "link")
    .filter((l) => attr(l, "rel") === rel)
    .map((l) => attr(l, "href")!);
}

/** Width and height from a PNG's IHDR (PNG spec §5.2–5.3, §11.2.2), after checking the signature. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(8)).toBe(13);
  expect(new TextDecoder().decode(bytes.subarray(12, 16))).toBe("IHDR");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe("Open Graph and Twitter card tags", () => {
  it("describe an article: its title, plain summary, canonical URL, absolute image, times and locale", async () => {
    const title = `"Quoted" & <b>bold</b> claims about Kursk`;
    const { request } = makeApp(
      [
        makeArticle({
          slug: "og-article",
          title,
          summary: "Troops   arrived\nin Kursk & stayed.",
          published: "2024-10-22T14:00:00+02:00",
          updated: "2024-10-23T09:30:00Z",
        }),
      ],
      { LANGUAGE: "en-GB" },
    );
    const page = await (await request("/articles/og-article")).text();
    const meta = metaTags(page);
    expect(Object.fromEntries(meta)).toMatchObject({
      "og:type": "article",
      "og:title": title,
      "og:description": "Troops arrived in Kursk & stayed.",
      "og:url": `${BASE}/articles/og-article`,
      "og:site_name": "Axis Dispatch",
      "og:locale": "en_GB",
      "og:image": `${BASE}/icon.png`,
      "article:published_time": "2024-10-22T12:00:00Z",
      "article:modified_time": "2024-10-23T09:30:00Z",
      "twitter:card": "summary",
      "twitter:title": title,
      "twitter:description": "Troops arrived in Kursk & stayed.",
    });
    // The escaped title stayed text: parse5 found no element the title's markup would make.
    expect(elements(parse(page), "b")).toEqual([]);
    // The image is absolute and served, at the size the tags announce.
    const image = new URL(meta.get("og:image")!);
    const icon = await request(image.pathname);
    expect(icon.headers.get("Content-Type")).toBe("image/png");
    const size = pngSize(new Uint8Array(await icon.arrayBuffer()));
    expect([size.width, size.height]).toEqual([
      Number(meta.get("og:image:width")),
      Number(meta.get("og:image:height")),
    ]);
  });

  it("gives a never-updated article its publication time as modified time, and the bare language as locale", async () => {
    const { request } = makeApp([
      makeArticle({ slug: "og-never-updated", published: "2024-10-22T12:00:00Z", updated: null }),
    ]);
    const meta = metaTags(await (await request("/articles/og-never-updated")).text());
    expect(meta.get("article:published_time")).toBe("2024-10-22T12:00:00Z");
    expect(meta.get("article:modified_time")).toBe("2024-10-22T12:00:00Z");
    expect(meta.get("og:locale")).toBe("en");
  });

  it("cut a long summary at a word, with an ellipsis, short enough for a link preview", async () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`);
    const summary = words.join(" ");
    const { request } = makeApp([makeArticle({ slug: "og-long", summary })]);
    const meta = metaTags(await (await request("/articles/og-long")).text());
    const description = meta.get("og:description")!;
    expect(description.length).toBeLessThanOrEqual(200);
    expect(description.endsWith("…")).toBe(true);
    const kept = description.slice(0, -1).split(" ");
    expect(kept).toEqual(words.slice(0, kept.length));
    expect(meta.get("twitter:description")).toBe(description);
  });

  it("describe the home page as the site", async () => {
    const { request } = makeApp([makeArticle({ slug: "og-home" })]);
    const meta = metaTags(await (await request("/")).text());
    expect(Object.fromEntries(meta)).toMatchObject({
      "og:type": "website",
      "og:title": "Axis Dispatch",
      "og:url": `${BASE}/`,
      "og:site_name": "Axis Dispatch",
      "og:image": `${BASE}/icon.png`,
      "twitter:card": "summary",
      "twitter:title": "Axis Dispatch",
    });
    expect(meta.get("og:description")!.length).toBeGreaterThan(0);
    expect(meta.has("article:published_time")).toBe(false);
  });

  it("describe a digest as an article, published at its week's end", async () => {
    const articles = [
      makeArticle({
        slug: "og-digest-a",
        title: "Drills held near the border",
        published: "2019-10-22T10:00:00Z",
      }),
    ];
    const { request, env } = makeApp(articles);
    expect(await buildDigest(env.DB, parseConfig(env), makeDigestDeps(articles), "2019-W43")).toBe(
      "created",
    );
    const meta = metaTags(await (await request("/digests/2019-W43")).text());
    expect(meta.get("og:type")).toBe("article");
    expect(meta.get("og:url")).toBe(`${BASE}/digests/2019-W43`);
    expect(meta.get("og:title")).toMatch(/2019-W43/);
    expect(meta.get("twitter:title")).toBe(meta.get("og:title"));
    const published = meta.get("article:published_time")!;
    expect(Date.parse(published)).toBe(Date.UTC(2019, 9, 28));
    expect(Date.parse(meta.get("article:modified_time")!)).toBeGreaterThanOrEqual(
      Date.parse(published),
    );
    expect(meta.get("og:description")!.length).toBeGreaterThan(0);
  });

  it("are absent from pages nobody shares (admin)", async () => {
    const { request } = makeApp([]);
    const res = await request("/admin", {
      headers: { Authorization: "Bearer test-admin-token-0123456789abcdefghij" },
    });
    expect(res.status).toBe(200);
    expect([...metaTags(await res.text()).keys()].filter((k) => /^(og|twitter):/.test(k))).toEqual(
      [],
    );
  });
});

describe("share descriptions", () => {
  it("are one line of at most 200 characters, unchanged when short enough", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (text) => {
        const out = shareDescription(text);
        expect(Array.from(out).length).toBeLessThanOrEqual(200);
        expect(out).not.toMatch(/[\n\r\t]/);
        const collapsed = text.replace(/\s+/g, " ").trim();
        if (Array.from(collapsed).length <= 200) expect(out).toBe(collapsed);
        else expect(out.endsWith("…")).toBe(true);
      }),
    );
  });
});

describe("apple-touch-icon", () => {
  it("is a 180×180 PNG at both names iOS requests, linked from every page", async () => {
    const { request } = makeApp([makeArticle({ slug: "touch-icon" })]);
    for (const path of ["/", "/articles/touch-icon"]) {
      const page = await (await request(path)).text();
      expect(links(page, "apple-touch-icon")).toEqual([`${BASE}/apple-touch-icon.png`]);
    }
    for (const path of ["/apple-touch-icon.png", "/apple-touch-icon-precomposed.png"]) {
      const res = await request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("image/png");
      expect(pngSize(new Uint8Array(await res.arrayBuffer()))).toEqual({
        width: 180,
        height: 180,
      });
    }
    const favicon = await request("/icon.png");
    expect(pngSize(new Uint8Array(await favicon.arrayBuffer()))).toEqual({
      width: 256,
      height: 256,
    });
  });
});
