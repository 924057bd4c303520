/**
 * `npm start -- --port 8870` (issue 11): while BASE_URL is left at its local default, pages
 * reached on a loopback host at another port link and post to that port; a BASE_URL someone set
 * is never overridden.
 */
import { describe, expect, it } from "vitest";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlLinks } from "../helpers/html.ts";

/** Every absolute URL a page points at: links, and form actions. */
async function targets(html: string): Promise<string[]> {
  const links = await htmlLinks(html);
  const others: string[] = [];
  await new HTMLRewriter()
    .on("link[href]", {
      element(el) {
        others.push(el.getAttribute("href")!);
      },
    })
    .on("form[action]", {
      element(el) {
        others.push(el.getAttribute("action")!);
      },
    })
    .transform(new Response(html))
    .text();
  return [...links.map((l) => l.href), ...others].filter((u) => /^https?:/.test(u));
}

function origins(urls: readonly string[]): Set<string> {
  return new Set(urls.map((u) => new URL(u).origin));
}

describe("local port", () => {
  it("serves links and forms for the port a loopback request came to", async () => {
    const { request } = makeApp([makeArticle({ slug: "port-a" })]);
    for (const origin of ["http://localhost:8870", "http://127.0.0.1:8870"]) {
      const home = await request(`${origin}/`);
      expect(home.status).toBe(200);
      const urls = await targets(await home.text());
      expect(urls.length).toBeGreaterThan(3);
      expect(origins(urls)).toEqual(new Set([origin]));
      const feed = await request(`${origin}/feed.json`);
      const json = (await feed.json()) as { feed_url: string; items: { url: string }[] };
      expect(new URL(json.feed_url).origin).toBe(origin);
      expect(new URL(json.items[0]!.url).origin).toBe(origin);
    }
    // The default port, and a request without a port, keep BASE_URL as it is.
    for (const path of ["http://localhost:8787/", "/"]) {
      const urls = await targets(await (await request(path)).text());
      expect(origins(urls)).toEqual(new Set(["http://localhost:8787"]));
    }
  });

  it("the sign-up form on the other port posts to that port", async () => {
    const { request } = makeApp([]);
    const res = await request("http://localhost:8870/subscribe");
    const urls = await targets(await res.text());
    expect(urls).toContain("http://localhost:8870/subscribe");
    // …and the page's policy lets the browser submit it there (CSP3 form-action).
    const formAction = (res.headers.get("Content-Security-Policy") ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .find(([name]) => name === "form-action");
    expect(formAction).toBeDefined();
    expect(formAction!.includes("'self'") || formAction!.includes("http://localhost:8870")).toBe(
      true,
    );
    expect(formAction).not.toContain("http://localhost:8787");
  });

  // `npm start -- --port 8871` sets BASE_URL to http://localhost:8871 (issue 17, so the queue's
  // mail links there). Regression: a page opened at 127.0.0.1:8871 then linked and posted to
  // localhost:8871, another origin for the browser (its admin forms refused as cross-site).
  it("with npm start's BASE_URL, a page on another loopback name for that port stays on it", async () => {
    const { request } = makeApp([makeArticle({ slug: "port-d" })], {
      BASE_URL: "http://localhost:8871",
    });
    for (const origin of ["http://127.0.0.1:8871", "http://localhost:8871"]) {
      const urls = await targets(await (await request(`${origin}/`)).text());
      expect(urls.length).toBeGreaterThan(3);
      expect(origins(urls), origin).toEqual(new Set([origin]));
    }
    // Another port is another server: its BASE_URL stands.
    const elsewhere = await targets(await (await request("http://127.0.0.1:9000/")).text());
    expect(origins(elsewhere)).toEqual(new Set(["http://localhost:8871"]));
  });

  it("never overrides a BASE_URL that was set", async () => {
    const { request } = makeApp([makeArticle({ slug: "port-b" })], {
      BASE_URL: "https://dispatch.example.org",
    });
    const urls = await targets(await (await request("http://localhost:8870/")).text());
    expect(origins(urls)).toEqual(new Set(["https://dispatch.example.org"]));
    // Nor a non-loopback host with the default BASE_URL.
    const { request: other } = makeApp([makeArticle({ slug: "port-c" })]);
    const remote = await targets(await (await other("http://dispatch.example:8870/")).text());
    expect(origins(remote)).toEqual(new Set(["http://localhost:8787"]));
  });
});
