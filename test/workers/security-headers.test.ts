/**
 * Security headers on every response (issue 10, item 7): Content-Security-Policy with
 * `default-src 'none'` and `frame-ancestors 'none'`, X-Frame-Options, nosniff and
 * Referrer-Policy, on pages, feeds, 304s, errors, admin, JSON, the XSL and the icon. And the
 * pages still work under their policy: every inline stylesheet, form, icon and image they have is
 * allowed, by the policy as a browser reads it (hashes computed here, URLs matched here).
 */
import { env } from "cloudflare:workers";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it, vi } from "vitest";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";

const BEARER = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };
/** Where app.request sends requests: the origin a browser would call 'self'. */
const SELF = "http://localhost";

type Policy = Map<string, string[]>;

/** A CSP header as a browser splits it (CSP3 §2.2.1): directives by `;`, sources by spaces. */
function parsePolicy(header: string | null): Policy {
  const policy: Policy = new Map();
  for (const directive of (header ?? "").split(";")) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name && !policy.has(name.toLowerCase())) policy.set(name.toLowerCase(), sources);
  }
  return policy;
}

/** The sources that govern `directive` (CSP3 §6.8.3: a missing one falls back to default-src). */
function sourcesFor(policy: Policy, directive: string): string[] {
  const fallback = directive === "script-src-elem" ? ["script-src", "default-src"] : [];
  for (const name of [directive, ...fallback, "default-src"])
    if (policy.has(name)) return policy.get(name)!;
  return ["*"];
}

/** Whether a source list allows loading `url` (CSP3 §6.7.2, the parts this site uses). */
function allowsUrl(sources: readonly string[], url: string, self = SELF): boolean {
  const target = new URL(url, self);
  return sources.some((source) => {
    if (source === "'self'") return target.origin === new URL(self).origin;
    if (/^[a-z][a-z0-9+.-]*:$/i.test(source)) return target.protocol === source.toLowerCase();
    if (!/^[a-z]+:\/\//i.test(source)) return false;
    const allowed = new URL(source);
    if (allowed.origin !== target.origin) return false;
    // A path that does not end in "/" names exactly one resource.
    const path = allowed.pathname;
    return (
      path === "/" ||
      (path.endsWith("/") ? target.pathname.startsWith(path) : target.pathname === path)
    );
  });
}

async function sha256Source(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

/** An attribute's value as a browser reads it: character references decoded (Mustache writes
 * `&#x2F;` for "/"). */
function attribute(el: Element, name: string): string {
  return (el.getAttribute(name) ?? "")
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** What in an HTML page a CSP decides on, read with the runtime's HTML parser. */
async function pageResources(html: string) {
  const found = {
    styles: [] as string[],
    styleAttributes: 0,
    scripts: 0,
    handlers: [] as string[],
    formActions: [] as string[],
    images: [] as string[],
  };
  let style: string[] | null = null;
  await new HTMLRewriter()
    .on("*", {
      element(el) {
        for (const [name = ""] of el.attributes) {
          if (name === "style") found.styleAttributes++;
          if (name.startsWith("on")) found.handlers.push(`${el.tagName} ${name}`);
        }
      },
    })
    .on("style", {
      element(el) {
        const text: string[] = [];
        style = text;
        el.onEndTag(() => {
          found.styles.push(text.join(""));
        });
      },
      text(chunk) {
        style?.push(chunk.text);
      },
    })
    .on("script", { element: () => void found.scripts++ })
    .on("form", { element: (el) => void found.formActions.push(attribute(el, "action")) })
    .on("img[src]", { element: (el) => void found.images.push(attribute(el, "src")) })
    .on('link[rel~="icon"]', { element: (el) => void found.images.push(attribute(el, "href")) })
    .transform(new Response(html))
    .text();
  return found;
}

/** Asserts that nothing the page uses is blocked by the response's policy. */
async function expectRendersUnder(res: Response, label: string) {
  const policy = parsePolicy(res.headers.get("Content-Security-Policy"));
  const page = await pageResources(await res.text());
  const styleSources = sourcesFor(policy, "style-src");
  const inline = styleSources.includes("'unsafe-inline'");
  expect(page.styles.length + page.styleAttributes, `${label}: has styles`).toBeGreaterThan(0);
  for (const style of page.styles) {
    if (!inline)
      expect(styleSources, `${label}: its <style> is allowed`).toContain(await sha256Source(style));
  }
  if (!inline) expect(page.styleAttributes, `${label}: style attributes would be blocked`).toBe(0);
  // Nothing to run: no scripts, no handlers (and the policy would block them).
  expect(page.scripts, label).toBe(0);
  expect(page.handlers, label).toEqual([]);
  expect(sourcesFor(policy, "script-src")).not.toContain("'unsafe-inline'");
  for (const action of page.formActions)
    expect(allowsUrl(sourcesFor(policy, "form-action"), action), `${label}: form ${action}`).toBe(
      true,
    );
  for (const image of page.images)
    expect(allowsUrl(sourcesFor(policy, "img-src"), image), `${label}: image ${image}`).toBe(true);
}

function expectSecurityHeaders(res: Response, label: string) {
  const policy = parsePolicy(res.headers.get("Content-Security-Policy"));
  expect(policy.get("default-src"), `${label}: default-src`).toEqual(["'none'"]);
  expect(policy.get("frame-ancestors"), `${label}: frame-ancestors`).toEqual(["'none'"]);
  expect(policy.get("base-uri"), `${label}: base-uri`).toEqual(["'none'"]);
  expect(res.headers.get("X-Frame-Options"), label).toBe("DENY");
  expect(res.headers.get("X-Content-Type-Options"), label).toBe("nosniff");
  expect(res.headers.get("Referrer-Policy"), label).toBe("no-referrer");
}

const STORY = { id: "security-story", title: "A developing story" };

function site(overrides: Partial<Env> = {}) {
  return makeApp(
    [
      makeArticle({
        slug: "deployment",
        title: "Deployment reported",
        published: "2024-09-03T09:00:00Z",
        story: STORY.id,
        html: '<p>Troops were sent.</p><p><img src="https://images.example.org/map.png" alt="Map"></p>',
      }),
      makeArticle({ slug: "drills", title: "Joint drills", published: "2024-09-04T15:00:00Z" }),
    ],
    overrides,
    [STORY],
  );
}

/** The week of the fixture articles, with its digest built through admin. */
const WEEK = "2024-W36";

describe("security headers on every response", () => {
  it("are on pages, feeds, files, JSON, 304s, errors and admin", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const { request } = site();
    expect(
      (await request(`/admin/digests/${WEEK}/rebuild`, { method: "POST", headers: BEARER })).status,
    ).toBe(200);

    const cases: [string, string, RequestInit?][] = [
      ["200", "/"],
      ["200", "/articles/deployment"],
      ["200", `/stories/${STORY.id}`],
      ["200", "/tags"],
      ["200", "/tags/russia"],
      ["200", "/digests"],
      ["200", `/digests/${WEEK}`],
      ["200", `/digests/${WEEK}/email.html`],
      ["200", `/digests/${WEEK}/email.txt`],
      ["200", "/unsubscribe"],
      ["200", "/subscribe"],
      ["200", "/feed.xml"],
      ["200", "/atom.xml"],
      ["200", "/feed.json"],
      ["200", "/tags/russia/feed.xml"],
      ["200", "/digests/feed.xml"],
      ["200", "/feed.xsl"],
      ["200", "/icon.png"],
      ["200", "/sitemap.xml"],
      ["200", "/admin", { headers: BEARER }],
      ["200", "/admin", { headers: { ...BEARER, Accept: "application/json" } }],
      ["200", "/admin/outbox", { headers: BEARER }],
      ["200", "/admin/outbox.json", { headers: BEARER }],
      ["204", "/feed.xml", { method: "OPTIONS" }],
      ["200", "/feed.xml", { method: "HEAD" }],
      ["200", "/", { method: "HEAD" }],
      ["400", "/feed.xml?limit=many"],
      ["404", "/no/such/page"],
      ["404", "/articles/nothing-here"],
      ["405", "/feed.xml", { method: "DELETE" }],
      ["401", "/admin"],
      [
        "413",
        "/subscribe",
        { method: "POST", body: new URLSearchParams({ email: "x".repeat(5000) }) },
      ],
    ];
    for (const [status, path, init] of cases) {
      const res = await request(path, init);
      const label = `${init?.method ?? "GET"} ${path}`;
      expect(String(res.status), label).toBe(status);
      expectSecurityHeaders(res, label);
    }

    // 304s: the same policy as the 200 they revalidate (the browser keeps the 304's headers).
    for (const path of [
      "/",
      "/feed.xml",
      "/feed.json",
      `/digests/${WEEK}/email.html`,
      "/feed.xsl",
    ]) {
      const full = await request(path);
      const res = await request(path, { headers: { "If-None-Match": full.headers.get("ETag")! } });
      expect(res.status, path).toBe(304);
      expectSecurityHeaders(res, `304 ${path}`);
      expect(res.headers.get("Content-Security-Policy"), path).toBe(
        full.headers.get("Content-Security-Policy"),
      );
    }

    // Errors from outside the routes: admin off, broken configuration, D1 down.
    const off = await site({ ADMIN_TOKEN: "" }).request("/admin", { headers: BEARER });
    expect(off.status).toBe(503);
    expectSecurityHeaders(off, "admin off");
    const misconfigured = await site({ BASE_URL: "not a url" }).request("/");
    expect(misconfigured.status).toBe(500);
    expectSecurityHeaders(misconfigured, "broken BASE_URL");
    const down = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare" || prop === "batch")
          return () => {
            throw new Error("D1_ERROR: Network connection lost.");
          };
        return Reflect.get(target, prop, target) as unknown;
      },
    });
    const unavailable = await site({ DB: down }).request("/digests");
    expect(unavailable.status).toBe(503);
    expectSecurityHeaders(unavailable, "D1 down");
  });

  it("let every page render: its stylesheet, forms, icon and images are allowed, and nothing runs", async () => {
    const { request } = site();
    expect(
      (await request(`/admin/digests/${WEEK}/rebuild`, { method: "POST", headers: BEARER })).status,
    ).toBe(200);
    for (const [path, init] of [
      ["/"],
      ["/articles/deployment"],
      [`/stories/${STORY.id}`],
      ["/tags/russia"],
      ["/digests"],
      [`/digests/${WEEK}`],
      ["/subscribe"],
      ["/no/such/page"],
      ["/admin", { headers: BEARER }],
      [`/digests/${WEEK}/email.html`],
    ] as [string, RequestInit?][]) {
      const res = await request(path, init);
      await expectRendersUnder(res, path);
    }
    // The article's image from its source's site (https) is allowed; scripts are not.
    const policy = parsePolicy(
      (await request("/articles/deployment")).headers.get("Content-Security-Policy"),
    );
    expect(allowsUrl(sourcesFor(policy, "img-src"), "https://images.example.org/map.png")).toBe(
      true,
    );
    expect(allowsUrl(sourcesFor(policy, "script-src-elem"), "https://evil.example/x.js")).toBe(
      false,
    );
    expect(allowsUrl(sourcesFor(policy, "script-src-elem"), `${SELF}/x.js`)).toBe(false);
    expect(allowsUrl(sourcesFor(policy, "connect-src"), `${SELF}/feed.json`)).toBe(false);
    expect(allowsUrl(sourcesFor(policy, "frame-src"), `${SELF}/`)).toBe(false);
  });

  it("let a feed opened in a browser load its XSL and style the page the XSL makes", async () => {
    const { request } = site();
    const xmlParser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@",
      trimValues: false,
    });
    for (const path of ["/feed.xml", "/atom.xml", "/tags/russia/feed.xml", "/digests/atom.xml"]) {
      const res = await request(path);
      expect(res.status, path).toBe(200);
      const policy = parsePolicy(res.headers.get("Content-Security-Policy"));
      const doc = xmlParser.parse(await res.text());
      const href = doc["?xml-stylesheet"]?.["@href"] as string;
      expect(href, path).toBeTruthy();
      // CSP3 §6.8.1: an XSLT is fetched with destination "xslt", governed by script-src-elem.
      const xslUrl = new URL(href, `${SELF}${path}`).href;
      expect(allowsUrl(sourcesFor(policy, "script-src-elem"), xslUrl), `${path}: ${xslUrl}`).toBe(
        true,
      );
      const xsl = xmlParser.parse(await (await request(new URL(xslUrl).pathname)).text());
      const style = xsl["xsl:stylesheet"]["xsl:template"].html.head.style as string;
      expect(style).toContain("body{");
      expect(sourcesFor(policy, "style-src"), path).toContain(await sha256Source(style));
    }
  });
});
