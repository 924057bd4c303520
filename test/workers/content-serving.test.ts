/**
 * Serving from D1: warm requests answered from the version this isolate already read (no D1
 * query), a publish seen once CONTENT_REFRESH_SECONDS have passed, the Cache API as a second
 * tier shared by isolates, and 503 with Retry-After when D1 cannot be read.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { ContentRepository } from "../../src/content/view.ts";
import { publishFixtures, resetContent } from "../helpers/content.ts";
import { makeArticle, testEnv } from "../helpers/fixtures.ts";
import { htmlText } from "../helpers/html.ts";
import { gatedDb, serveThroughWorker } from "../helpers/worker-requests.ts";
import { parseXml } from "../helpers/xml.ts";

/** The real D1 binding, counting the statements prepared and batches sent through it. */
function countingDb(db: D1Database) {
  const counter = { queries: 0 };
  const db2 = new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "prepare" || prop === "batch" || prop === "exec") {
        return (...args: unknown[]) => {
          counter.queries++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { db: db2, counter };
}

/** `db`, failing every call as an unreachable D1 does while `down(true)`. */
function flakyDb(db: D1Database): { db: D1Database; down: (down: boolean) => void } {
  let isDown = false;
  const proxy = new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (isDown) throw new Error("D1_ERROR: Network connection lost.");
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { db: proxy, down: (d) => void (isDown = d) };
}

function appOn(db: D1Database, options: { now?: () => number } = {}) {
  const app = createApp({ content: new ContentRepository(options) });
  // One env object per "isolate", as workerd hands the same env to every request.
  const e = testEnv({ DB: db });
  return (path: string, init?: RequestInit) => app.request(path, init, e);
}

const first = makeArticle({
  slug: "first",
  title: "First brief",
  published: "2024-10-21T09:00:00Z",
});
const second = makeArticle({
  slug: "second",
  title: "Second brief",
  published: "2024-10-22T09:00:00Z",
});

beforeEach(() => resetContent(env.DB));

describe("warm requests", () => {
  it("make no D1 query, for a 200 and for a 304", async () => {
    await publishFixtures(env.DB, { articles: [second, first] });
    const { db, counter } = countingDb(env.DB);
    const request = appOn(db);
    const paths = ["/feed.xml", "/atom.xml", "/", "/articles/first", "/tags", "/tags/russia"];
    for (const p of paths) expect((await request(p)).status, p).toBe(200);
    expect(counter.queries).toBeGreaterThan(0);

    counter.queries = 0;
    const etags: string[] = [];
    for (const p of paths) {
      const res = await request(p);
      expect(res.status, p).toBe(200);
      etags.push(res.headers.get("ETag")!);
    }
    for (const [i, p] of paths.entries()) {
      const res = await request(p, { headers: { "If-None-Match": etags[i]! } });
      expect(res.status, p).toBe(304);
    }
    expect(counter.queries).toBe(0);
  });

  it("see a publish once CONTENT_REFRESH_SECONDS have passed, not before", async () => {
    await publishFixtures(env.DB, { articles: [first] });
    let now = Date.parse("2026-11-29T12:00:00Z");
    const request = appOn(env.DB, { now: () => now });
    const titles = async () => {
      const doc = parseXml(await (await request("/atom.xml")).text());
      return ((doc.feed.entry ?? []) as { title: { "#text": string } }[]).map(
        (e) => e.title["#text"],
      );
    };
    expect(await titles()).toEqual(["First brief"]);
    await publishFixtures(env.DB, { articles: [second, first] });
    now += 29_000;
    expect(await titles()).toEqual(["First brief"]);
    now += 2_000; // 31 s after the first read: past the default of 30
    expect(await titles()).toEqual(["Second brief", "First brief"]);
  });

  it("share rendered responses between isolates through the Cache API: a new isolate reads only the version", async () => {
    await publishFixtures(env.DB, { articles: [second, first] });
    const warm = await appOn(env.DB)("/feed.xml");
    const { db, counter } = countingDb(env.DB);
    const cold = await appOn(db)("/feed.xml");
    expect(counter.queries).toBe(1);
    expect(cold.headers.get("ETag")).toBe(warm.headers.get("ETag"));
    expect(await cold.text()).toBe(await warm.text());
  });
});

/** The strong ETag this project gives a body: the first 128 bits of its SHA-256, quoted. */
async function etagOf(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  return `"${[...digest]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, 32)}"`;
}

describe("concurrent requests across a content refresh", () => {
  // Regression (issue 15): the refresh of the content version and each render in flight were
  // shared promises, so requests awaited I/O another request had started. On Workers that is
  // "Cannot perform I/O on behalf of a different request" (500s under load at every refresh),
  // and when the request that started it was cancelled (a client giving up), every request
  // waiting on it hung: these requests never answered and the test timed out.
  it.each([
    ["a page's articles", /FROM articles WHERE/],
    ["the content version", /FROM content_state/],
  ])(
    "all answer, with the new version, when the request that started reading %s is cancelled",
    async (_what, pattern) => {
      await publishFixtures(env.DB, { articles: [second, first] });
      let now = Date.parse("2026-11-29T12:00:00Z");
      const gate = gatedDb(env.DB);
      const app = createApp({ content: new ContentRepository({ now: () => now }) });
      // One env for every request, as workerd hands one to an isolate's requests.
      const e = testEnv({ DB: gate.db });
      await serveThroughWorker(
        (request, _env, ctx) => {
          const answer = Promise.resolve(app.fetch(request, e, ctx));
          if (!request.headers.has("X-Test-Leave")) return answer;
          // The client gives up once the read is under way: its request ends, and Workers
          // cancel the I/O it started.
          answer.catch(() => {});
          return gate.started.then(() => new Response(null, { status: 499 }));
        },
        async (fetch) => {
          expect((await fetch("/feed.xml")).status).toBe(200);
          await publishFixtures(env.DB, {
            articles: [{ ...second, title: "Second brief, corrected" }, first],
          });
          now += 31_000; // past CONTENT_REFRESH_SECONDS: the next request reads the version
          gate.arm(pattern);
          const left = await fetch("/feed.xml", { headers: { "X-Test-Leave": "1" } });
          expect(left.status).toBe(499);
          const paths = ["/feed.xml", "/atom.xml", "/articles/second"];
          const answers = Array.from({ length: 12 }, (_, i) => {
            const path = paths[i % paths.length]!;
            return fetch(path).then(async (res) => ({ path, res, body: await res.arrayBuffer() }));
          });
          gate.release();
          const all = await Promise.all(answers);
          for (const { path, res, body } of all) {
            expect(res.status, path).toBe(200);
            expect(res.headers.get("ETag"), path).toBe(await etagOf(body));
            const text = new TextDecoder().decode(body);
            if (path === "/feed.xml") {
              const items = parseXml(text).rss.channel.item as { title: string }[];
              expect(items.map((i) => i.title)).toEqual(["Second brief, corrected", "First brief"]);
            } else if (path === "/atom.xml") {
              const entries = parseXml(text).feed.entry as { title: { "#text": string } }[];
              expect(entries[0]!.title["#text"]).toBe("Second brief, corrected");
            } else {
              expect(await htmlText(text, "h1")).toBe("Second brief, corrected");
            }
          }
        },
      );
    },
  );
});

describe("D1 unreachable", () => {
  afterEach(() => vi.restoreAllMocks());

  /** What the binding does when the database cannot be reached. */
  const unreachable = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare" || prop === "batch" || prop === "exec") {
        return () => {
          throw new Error("D1_ERROR: Network connection lost.");
        };
      }
      return Reflect.get(target, prop, target) as unknown;
    },
  });

  it("answers pages and feeds with 503 and Retry-After, and says why in the log", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const request = appOn(unreachable);
    for (const p of [
      "/",
      "/feed.xml",
      "/articles/first",
      "/tags/russia/atom.xml",
      "/sitemap.xml",
    ]) {
      const res = await request(p);
      expect(res.status, p).toBe(503);
      expect(res.headers.get("Retry-After"), p).toBe("30");
      expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
      const body = await res.text();
      expect(body).toContain("cannot be read right now");
      expect(body).not.toContain("D1_ERROR");
    }
    expect(errors).toHaveBeenCalledWith(
      expect.stringMatching(/^D1 unavailable \(answered 503\): .*Network connection lost/),
    );
  });

  it("answers 503 that no cache may keep (Cache-Control: no-store)", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    // Regression (issue 15): the 503 carried no Cache-Control, so an edge could keep the error.
    for (const p of ["/feed.xml", "/articles/first"]) {
      const res = await appOn(unreachable)(p);
      expect(res.status, p).toBe(503);
      expect(res.headers.get("Cache-Control"), p).toBe("no-store");
    }
  });

  it("recovers on the next request once D1 answers again", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    await publishFixtures(env.DB, { articles: [first] });
    const { db: flaky, down } = flakyDb(env.DB);
    down(true);
    const request = appOn(flaky);
    expect((await request("/feed.xml")).status).toBe(503);
    down(false);
    expect((await request("/feed.xml")).status).toBe(200);
  });
});

describe("the digest archive when D1 fails for a moment", () => {
  afterEach(() => vi.restoreAllMocks());

  // Regression (issue 15, the soak): /digests read D1 on every request, so while a publish held
  // the database every poll of the archive answered 503 although its bytes were cached.
  it("serves the archive and the digest feeds as last read, same bytes and ETag, instead of 503", async () => {
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { db: flaky, down } = flakyDb(env.DB);
    const request = appOn(flaky);
    const paths = ["/digests", "/digests/feed.xml", "/digests/atom.xml", "/digests/feed.json"];
    const before = new Map<string, { etag: string | null; body: string }>();
    for (const p of paths) {
      const res = await request(p);
      expect(res.status, p).toBe(200);
      before.set(p, { etag: res.headers.get("ETag"), body: await res.text() });
    }
    down(true);
    for (const p of paths) {
      const res = await request(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get("ETag"), p).toBe(before.get(p)!.etag);
      expect(await res.text(), p).toBe(before.get(p)!.body);
    }
    expect(warnings).toHaveBeenCalledWith(
      expect.stringMatching(/^digest archive: D1 read failed, serving the archive as last read/),
    );
  });

  it("answers 503 when this isolate never read the archive", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const down = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare" || prop === "batch") {
          return () => {
            throw new Error("D1_ERROR: Network connection lost.");
          };
        }
        return Reflect.get(target, prop, target) as unknown;
      },
    });
    const res = await appOn(down)("/digests");
    expect(res.status).toBe(503);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("reads that fail quietly", () => {
  afterEach(() => vi.restoreAllMocks());
  // Regression (issue 15): with pages of the database damaged, an existing article answered
  // 404. A read that comes back empty where the schema guarantees a row is a failed read:
  // readers and crawlers must be told to come back (503), never that the page does not exist.

  it("a missing content state row is 503, not 'nothing published' (404 for every article)", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    await publishFixtures(env.DB, { articles: [first] });
    await env.DB.prepare("DELETE FROM content_state").run();
    try {
      const request = appOn(env.DB);
      for (const p of ["/articles/first", "/feed.xml"]) {
        const res = await request(p);
        expect(res.status, p).toBe(503);
        expect(res.headers.get("Retry-After"), p).toBe("30");
        expect(res.headers.get("Cache-Control"), p).toBe("no-store");
      }
    } finally {
      // As the migration left it, for the tests after this one.
      await env.DB.prepare("INSERT INTO content_state (id, version) VALUES (1, 0)").run();
    }
  });

  it("an article whose row cannot be found although its id was published is 503, not 404", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    // Content of its own: no earlier test's page of it is in the Cache API.
    const damaged = makeArticle({ slug: "damaged", published: "2024-10-23T09:00:00Z" });
    await publishFixtures(env.DB, { articles: [damaged, first] });
    const request = appOn(env.DB);
    // What a damaged index does to a lookup: the row is not there, and no error is raised.
    await env.DB.prepare("DELETE FROM articles WHERE slug = 'damaged'").run();
    const res = await request("/articles/damaged");
    expect(res.status).toBe(503);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/"damaged" was published/));
    // A slug that was never published is still a plain 404.
    expect((await request("/articles/never-published")).status).toBe(404);
  });
});
