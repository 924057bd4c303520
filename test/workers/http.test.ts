import { describe, expect, it } from "vitest";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";

function app() {
  return makeApp([
    makeArticle({
      slug: "one",
      published: "2024-10-22T12:00:00Z",
      updated: "2024-10-23T06:00:00Z",
    }),
  ]);
}

describe("conditional GET", () => {
  it("sends a strong ETag, Last-Modified of the newest item and Cache-Control with max-age", async () => {
    const res = await app().request("/feed.xml");
    expect(res.headers.get("ETag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(res.headers.get("Last-Modified")).toBe("Wed, 23 Oct 2024 06:00:00 GMT");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
  });

  it("answers 304 with no body for a matching If-None-Match: exact, in a list, *, and W/ from the edge", async () => {
    const { request } = app();
    for (const path of [
      "/feed.xml",
      "/atom.xml",
      "/feed.json",
      "/",
      "/articles/one",
      "/tags/russia",
    ]) {
      const etag = (await request(path)).headers.get("ETag")!;
      for (const header of [etag, `"nope", ${etag}`, "*", `W/${etag}`]) {
        const res = await request(path, { headers: { "If-None-Match": header } });
        expect(res.status, `${path} with ${header}`).toBe(304);
        expect(await res.text()).toBe("");
        expect(res.headers.get("ETag")).toBe(etag);
      }
      expect((await request(path, { headers: { "If-None-Match": '"other"' } })).status).toBe(200);
    }
  });

  it("answers If-Modified-Since by the newest item's time, and lets If-None-Match win", async () => {
    const { request } = app();
    const at = (h: Record<string, string>) =>
      request("/feed.xml", { headers: h }).then((r) => r.status);
    expect(await at({ "If-Modified-Since": "Wed, 23 Oct 2024 06:00:00 GMT" })).toBe(304);
    expect(await at({ "If-Modified-Since": "Thu, 24 Oct 2024 00:00:00 GMT" })).toBe(304);
    expect(await at({ "If-Modified-Since": "Wed, 23 Oct 2024 05:59:59 GMT" })).toBe(200);
    expect(await at({ "If-Modified-Since": "not a date" })).toBe(200);
    expect(
      await at({
        "If-Modified-Since": "Thu, 24 Oct 2024 00:00:00 GMT",
        "If-None-Match": '"stale"',
      }),
    ).toBe(200);
  });

  it("changes the ETag when the content changes", async () => {
    const a = (
      await makeApp([makeArticle({ slug: "x", title: "One" })]).request("/feed.json")
    ).headers.get("ETag");
    const b = (
      await makeApp([makeArticle({ slug: "x", title: "Two" })]).request("/feed.json")
    ).headers.get("ETag");
    expect(a).not.toBe(b);
  });
});

describe("methods", () => {
  it("answers HEAD wherever GET works, with GET's headers and no body", async () => {
    const { request } = app();
    for (const path of [
      "/",
      "/feed.xml",
      "/atom.xml",
      "/feed.json",
      "/articles/one",
      "/tags",
      "/tags/russia",
      "/tags/russia/feed.json",
      "/feed.xsl",
      "/icon.png",
    ]) {
      const get = await request(path);
      const head = await request(path, { method: "HEAD" });
      expect(head.status, path).toBe(200);
      expect(head.headers.get("Content-Type")).toBe(get.headers.get("Content-Type"));
      expect(head.headers.get("ETag")).toBe(get.headers.get("ETag"));
      expect(await head.text()).toBe("");
    }
  });

  it("answers other methods with 405 and Allow", async () => {
    const { request } = app();
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const res = await request("/feed.xml", { method });
      expect(res.status).toBe(405);
      expect(res.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
    }
    expect((await request("/articles/one", { method: "POST" })).status).toBe(405);
    const options = await request("/feed.xml", { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
  });
});

describe("errors", () => {
  it("answers an unknown slug, tag or path with a helpful 404 page", async () => {
    const { request } = app();
    for (const [path, words] of [
      ["/articles/nope", "There is no article at “nope”"],
      ["/tags/nope", "There is no tag “nope”"],
      ["/tags/nope/atom.xml", "There is no tag “nope”"],
      ["/no/such/page", "Nothing is published at /no/such/page"],
    ] as const) {
      const res = await request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
      const body = await res.text();
      expect(body).toContain(words);
      expect(body).toContain('href="http://localhost:8787/tags"');
    }
  });

  it("answers a bad query parameter with 400 naming it", async () => {
    const { request } = app();
    for (const [path, message] of [
      ["/?page=0", "Query parameter &quot;page&quot; is &quot;0&quot;"],
      ["/?page=abc", "Query parameter &quot;page&quot; is &quot;abc&quot;"],
      ["/feed.xml?limit=-1", "Query parameter &quot;limit&quot; is &quot;-1&quot;"],
      ["/feed.json?limit=1&limit=2", "Query parameter &quot;limit&quot; is &quot;1,2&quot;"],
    ] as const) {
      const res = await request(path);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toContain(message);
    }
    // Unknown parameters (cache-busters) are ignored.
    expect((await request("/feed.xml?_=1700000000")).status).toBe(200);
  });

  it("answers a page past the end with 404", async () => {
    const res = await app().request("/?page=2");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("There is no page 2");
  });

  it("fails closed, naming the variable, when a [vars] value is invalid", async () => {
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(" "));
    try {
      const res = await makeApp([makeArticle()], { BASE_URL: "not a url" }).request("/feed.xml");
      expect(res.status).toBe(500);
      expect(await res.text()).not.toContain("not a url");
    } finally {
      console.error = original;
    }
    expect(logged.join("\n")).toContain(
      'BASE_URL is "not a url": expected an absolute http(s) URL',
    );
  });
});
