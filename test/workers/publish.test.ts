/**
 * `npm run publish` against the real local D1: new, changed, unchanged and deleted articles,
 * the id guard, D1's statement limits, and a publish killed half-way. Each test starts from an
 * empty content store and reads what it published back through the app.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { PublishError, publishContent } from "../../scripts/publish/publish.ts";
import {
  d1Executor,
  MAX_PARAMS,
  type SqlExecutor,
  type Statement,
} from "../../src/lib/sql-batch.ts";
import { ContentRepository } from "../../src/content/view.ts";
import type { Article } from "../../src/model/article.ts";
import { publishFixtures, resetContent } from "../helpers/content.ts";
import { makeArticle, testEnv } from "../helpers/fixtures.ts";
import { parseXml } from "../helpers/xml.ts";

/** `n` articles a day apart with fixed ids, newest first. */
function articles(n: number): Article[] {
  return Array.from({ length: n }, (_, i) => {
    const k = n - 1 - i;
    return makeArticle({
      slug: `brief-${k}`,
      id: `urn:uuid:00000000-0000-4000-8000-${String(k).padStart(12, "0")}`,
      title: `Brief ${k}`,
      published: new Date(Date.UTC(2024, 0, 1 + k, 12)).toISOString().replace(".000Z", "Z"),
      tags: k % 2 === 0 ? ["russia", "china"] : ["russia"],
    });
  });
}

/** A fresh app (its own repository and caches) on the test database. */
function freshApp() {
  const app = createApp({ content: new ContentRepository() });
  const e = testEnv();
  return (path: string, init?: RequestInit) => app.request(path, init, e);
}

async function feedIds(path = "/atom.xml"): Promise<string[]> {
  const res = await freshApp()(path);
  expect(res.status).toBe(200);
  const doc = parseXml(await res.text());
  return ((doc.feed.entry ?? []) as { id: string }[]).map((e) => e.id);
}

async function liveRows(): Promise<{ slug: string; row_id: number }[]> {
  const { results } = await env.DB.prepare(
    "SELECT slug, row_id FROM articles WHERE to_version IS NULL ORDER BY slug",
  ).all<{ slug: string; row_id: number }>();
  return results;
}

async function publishedVersion(): Promise<number> {
  const row = await env.DB.prepare("SELECT version FROM content_state").first<{
    version: number;
  }>();
  return row!.version;
}

beforeEach(() => resetContent(env.DB));

describe("publish", () => {
  it("inserts new articles, and the feeds and pages serve them", async () => {
    const list = articles(3);
    const report = await publishFixtures(env.DB, { articles: list });
    expect(report).toMatchObject({
      status: "published",
      version: 1,
      added: list.map((a) => a.slug),
      changed: [],
      deleted: [],
    });
    expect(await feedIds()).toEqual(list.map((a) => a.id));
    const page = await freshApp()(`/articles/${list[1]!.slug}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Brief 1");
  });

  it("replaces only the articles whose content changed, keeping the others' rows", async () => {
    const list = articles(3);
    await publishFixtures(env.DB, { articles: list });
    const before = await liveRows();
    const edited = list.map((a) =>
      a.slug === "brief-1" ? { ...a, title: "Brief 1, revised" } : a,
    );
    const report = await publishFixtures(env.DB, { articles: edited });
    expect(report).toMatchObject({
      status: "published",
      version: 2,
      added: [],
      changed: ["brief-1"],
    });
    const after = await liveRows();
    expect(after.filter((r) => r.slug !== "brief-1")).toEqual(
      before.filter((r) => r.slug !== "brief-1"),
    );
    expect(after.find((r) => r.slug === "brief-1")!.row_id).not.toBe(
      before.find((r) => r.slug === "brief-1")!.row_id,
    );
    const text = await (await freshApp()("/articles/brief-1")).text();
    expect(text).toContain("Brief 1, revised");
  });

  it("says nothing changed, and writes nothing, when the content is the same", async () => {
    const list = articles(3);
    await publishFixtures(env.DB, { articles: list });
    const versions = await env.DB.prepare("SELECT count(*) AS n FROM content_versions").first();
    const report = await publishFixtures(env.DB, { articles: structuredClone(list) });
    expect(report).toMatchObject({ status: "unchanged", version: 1, statements: 0 });
    expect(await env.DB.prepare("SELECT count(*) AS n FROM content_versions").first()).toEqual(
      versions,
    );
  });

  it("publishes a new story title or watch list as a new version, with no article rewritten", async () => {
    const list = articles(2).map((a) => ({ ...a, story: "talks" }));
    await publishFixtures(env.DB, { articles: list, stories: [{ id: "talks", title: "Talks" }] });
    const report = await publishFixtures(env.DB, {
      articles: list,
      stories: [{ id: "talks", title: "The talks" }],
    });
    expect(report).toMatchObject({ status: "published", version: 2, added: [], changed: [] });
    const text = await (await freshApp()("/stories/talks")).text();
    expect(text).toContain("The talks");
  });

  it("refuses to drop an article whose file is gone unless deletion is allowed; then its page is 410 Gone", async () => {
    const list = articles(3);
    await publishFixtures(env.DB, { articles: list });
    const without = list.filter((a) => a.slug !== "brief-0");

    const refused = await publishFixtures(env.DB, { articles: without }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PublishError);
    expect((refused as PublishError).problems).toEqual([
      "content/brief-0.md: published, but the file is gone: restore it, or publish with --allow-delete to delete the article (its page then answers 410 Gone and it leaves the feeds)",
    ]);
    // The last line says what to run and what it deletes: npm start's pre-start publish stops
    // here after another folder was published, and said only "restore it" before (issue 15).
    expect((refused as PublishError).hint).toBe(
      "To delete the published article whose file is gone (brief-0), run: npm run publish -- --allow-delete",
    );
    expect(await publishedVersion()).toBe(1);
    expect((await freshApp()("/articles/brief-0")).status).toBe(200);

    const report = await publishFixtures(env.DB, { articles: without }, { allowDelete: true });
    expect(report).toMatchObject({ status: "published", version: 2, deleted: ["brief-0"] });
    const gone = await freshApp()("/articles/brief-0");
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("Brief 0");
    expect(await feedIds()).toEqual(without.map((a) => a.id));
    const sitemap = await (await freshApp()("/sitemaps/1.xml")).text();
    expect(sitemap).not.toContain("/articles/brief-0<");
    // A deleted article that comes back is served again, under its old id.
    const back = await publishFixtures(env.DB, { articles: list });
    expect(back).toMatchObject({ restored: ["brief-0"] });
    expect((await freshApp()("/articles/brief-0")).status).toBe(200);
  });

  it("names, in one line, the command that deletes what a publish from another folder left", async () => {
    await publishFixtures(env.DB, { articles: articles(8) });
    const refused = await publishContent(
      d1Executor(env.DB),
      { articles: articles(1), stories: [], actors: [], contentDir: "content" },
      { allowDeleteCommand: "npm run publish -- --allow-delete --persist-to state" },
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PublishError);
    expect((refused as PublishError).problems).toHaveLength(7);
    expect((refused as PublishError).hint).toBe(
      "To delete the 7 published articles whose file is gone (brief-1, brief-2, brief-3, brief-4, brief-5 and 2 more), run: npm run publish -- --allow-delete --persist-to state",
    );
  });

  it("refuses a slug that would get another id, and an id that would move to another slug, naming the files", async () => {
    const list = articles(2);
    await publishFixtures(env.DB, { articles: list });
    const [newest, oldest] = list as [Article, Article];

    const newId = { ...newest, id: "urn:uuid:11111111-1111-4111-8111-111111111111" };
    const err1 = await publishFixtures(env.DB, { articles: [newId, oldest] }).catch((e) => e);
    expect((err1 as PublishError).problems).toEqual([
      `content/brief-1.md: id is ${newId.id}, but this slug was published with id ${newest.id}: readers would see it as a new item; put the published id back`,
    ]);

    const moved = { ...newest, slug: "brief-1-renamed" };
    const err2 = await publishFixtures(
      env.DB,
      { articles: [moved, oldest] },
      {
        allowDelete: true,
      },
    ).catch((e) => e);
    expect((err2 as PublishError).problems).toEqual([
      `content/brief-1-renamed.md: id ${newest.id} was published as the id of "brief-1" (content/brief-1.md); readers know that article by it, so it may not move to another slug: rename the file back, or give this article a fresh id`,
    ]);
    expect(await publishedVersion()).toBe(1);
    expect(await feedIds()).toEqual(list.map((a) => a.id));
  });

  it("keeps every statement within D1's limits, writing a body over 100 KB in pieces", async () => {
    const statements: Statement[] = [];
    const real = d1Executor(env.DB);
    const recording: SqlExecutor = {
      query: (sql, params) => real.query(sql, params),
      execute: async (batch) => {
        statements.push(...batch);
        await real.execute(batch);
      },
    };
    // Quotes and 3-byte characters make the inlined SQL longer than the text.
    const huge = `<p>${"It's “big” — ".repeat(20_000)}</p>`;
    const list = [
      ...articles(40),
      makeArticle({ slug: "huge", html: huge, published: "2025-01-01T00:00:00Z" }),
    ];
    await publishContent(recording, { articles: list, stories: [], actors: [] });
    for (const s of statements) {
      expect(s.params.length).toBeLessThanOrEqual(MAX_PARAMS);
      const inlined =
        s.sql.length +
        s.params.reduce<number>(
          (n, p) =>
            n +
            (typeof p === "string"
              ? new TextEncoder().encode(p.replaceAll("'", "''")).byteLength + 2
              : 8),
          0,
        );
      expect(inlined).toBeLessThan(100_000);
    }
    const page = await (
      await freshApp()("/feed.json")
    ).json<{ items: { id: string; content_html: string }[] }>();
    const item = page.items.find((i) => i.content_html.includes("“big”"))!;
    expect(item.content_html).toContain(huge);
  });
});

describe("bodies near D1's 2 MB row limit (docs/operating.md: Publishing, What it writes)", () => {
  // The README said a body over 2 MB is written in pieces, while publish refuses it. What is
  // true: a body too long for one statement (100 KB) goes in pieces, up to D1's 2 MB per row;
  // an article over that is refused, naming its file, and nothing is written.
  it("writes a 1.5 MB body in pieces and serves it whole", async () => {
    const paragraph = "<p>Troops moved — “again”, it's said.</p>\n";
    const big = paragraph.repeat(Math.ceil(1_500_000 / paragraph.length));
    const report = await publishFixtures(env.DB, {
      articles: [makeArticle({ slug: "big", html: big })],
    });
    expect(report).toMatchObject({ status: "published", added: ["big"] });
    const page = await freshApp()("/articles/big");
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(new TextEncoder().encode(text).byteLength).toBeGreaterThan(1_500_000);
    expect(text).toContain(big);
  }, 60_000); // ~70 statements of 24,000 characters: generous, for a busy machine.

  it("refuses an article over 2 MB once rendered, naming its file, and writes nothing", async () => {
    await publishFixtures(env.DB, { articles: articles(1) });
    const over = makeArticle({ slug: "too-big", html: `<p>${"x".repeat(2_100_000)}</p>` });
    const refused = await publishFixtures(env.DB, { articles: [...articles(1), over] }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(PublishError);
    expect((refused as PublishError).problems).toEqual([
      "content/too-big.md: the article is 2.1 MB once rendered: expected under 2 MB, D1's limit per row; split it",
    ]);
    expect(await publishedVersion()).toBe(1);
    expect((await freshApp()("/articles/too-big")).status).toBe(404);
  });
});

describe("a publish killed half-way", () => {
  /** Runs the real publish but dies after `rounds` round trips, like a killed process. */
  function dyingExecutor(rounds: number): SqlExecutor {
    const real = d1Executor(env.DB);
    let left = rounds;
    return {
      query: (sql, params) => real.query(sql, params),
      execute: async (batch) => {
        if (left-- <= 0) throw new Error("killed");
        await real.execute(batch);
      },
    };
  }

  it("leaves the previous version served in full, and the next publish completes it", async () => {
    const v1 = articles(60);
    await publishFixtures(env.DB, { articles: v1 });
    const before = await (await freshApp()("/atom.xml")).text();
    const v2 = [
      ...articles(80).slice(0, 20),
      ...v1.map((a) => ({ ...a, title: `${a.title} (updated)` })),
    ];

    // Round trip 1 is the clean-up; the rows of version 2 follow in batches of 5 statements.
    const killed = await publishContent(
      dyingExecutor(3),
      { articles: v2, stories: [], actors: [] },
      { batchSize: 5 },
    ).catch((e: unknown) => e);
    expect((killed as Error).message).toBe("killed");
    expect(await publishedVersion()).toBe(1);
    const { n } = (await env.DB.prepare(
      "SELECT count(*) AS n FROM articles WHERE from_version = 2",
    ).first<{ n: number }>())!;
    expect(n).toBeGreaterThan(0);
    expect(await (await freshApp()("/atom.xml")).text()).toBe(before);
    expect((await freshApp()("/articles/brief-70")).status).toBe(404);

    const report = await publishFixtures(env.DB, { articles: v2 });
    expect(report).toMatchObject({ status: "published", version: 2 });
    expect(report.added).toHaveLength(20);
    expect(report.changed).toHaveLength(60);
    expect(await feedIds()).toEqual(v2.slice(0, 50).map((a) => a.id));
    const { rows } = (await env.DB.prepare(
      "SELECT count(*) AS rows FROM articles WHERE to_version IS NULL",
    ).first<{ rows: number }>())!;
    expect(rows).toBe(80);
  });

  /** Rows a publish wrote above the served version: what a killed one leaves behind. */
  async function strayRows(): Promise<number> {
    const version = await publishedVersion();
    const counts = await env.DB.batch<{ n: number }>(
      [
        "SELECT count(*) AS n FROM articles WHERE from_version > ?1 OR to_version > ?1",
        "SELECT count(*) AS n FROM article_tags WHERE from_version > ?1 OR to_version > ?1",
        "SELECT count(*) AS n FROM gone_articles WHERE from_version > ?1 OR to_version > ?1",
        "SELECT count(*) AS n FROM article_ids WHERE from_version > ?1",
        "SELECT count(*) AS n FROM content_versions WHERE version > ?1",
      ].map((sql) => env.DB.prepare(sql).bind(version)),
    );
    return counts.reduce((sum, r) => sum + r.results[0]!.n, 0);
  }

  it("at any round trip: none of what it wrote is ever served, and the next publish removes all of it, even one that changes nothing", async () => {
    // Issue 15: killed publishes left stray rows until the next publish. Proof that readers never
    // see them, wherever the kill falls, and that any next publish takes them away.
    const v1 = articles(6);
    const v2 = [
      ...articles(8).slice(0, 2), // two new
      ...v1.slice(0, 5).map((a) => ({ ...a, title: `${a.title} (updated)`, tags: ["iran"] })),
    ]; // five changed (moved to another tag), one deleted
    const pages = [
      "/",
      "/feed.xml",
      "/atom.xml",
      "/feed.json",
      "/tags/russia/atom.xml",
      "/tags/iran/atom.xml",
      "/tags",
      "/sitemap.xml",
      ...articles(8).map((a) => `/articles/${a.slug}`),
    ];
    const served = async () =>
      Promise.all(
        pages.map(async (p) => {
          const res = await freshApp()(p);
          return `${p} ${res.status} ${res.headers.get("ETag")}\n${await res.text()}`;
        }),
      );
    for (let kill = 0; ; kill++) {
      await resetContent(env.DB);
      await publishFixtures(env.DB, { articles: v1 });
      const before = await served();
      const outcome = await publishContent(
        dyingExecutor(kill),
        { articles: v2, stories: [], actors: [] },
        { batchSize: 2, allowDelete: true },
      ).catch((e: unknown) => e);
      expect((outcome as Error).message, `kill ${kill}`).toBe("killed");
      // Killed after its flip, in the pruning: published. Every kill before it has been tried.
      if ((await publishedVersion()) === 2) break;
      // Round trip 1 is the clean-up: from the second on, the killed publish left rows behind.
      if (kill > 1) expect(await strayRows(), `kill ${kill}`).toBeGreaterThan(0);
      expect(await served(), `kill ${kill}`).toEqual(before);
      // The operator gives up on the change and publishes what is served: nothing changes,
      // and what the killed publish wrote is gone.
      expect(await publishFixtures(env.DB, { articles: v1 })).toMatchObject({
        status: "unchanged",
      });
      expect(await strayRows(), `kill ${kill}`).toBe(0);
      expect(await served(), `kill ${kill}`).toEqual(before);
    }
  }, 60_000); // a sweep of every kill point: many publishes, not a timing

  it("a database that cannot be read is reported as such, not as missing migrations", async () => {
    // Regression (issue 15): a local database locked by the running server (SQLITE_BUSY) was
    // reported as "the database has no content tables: apply the migrations first".
    const locked: SqlExecutor = {
      query: () => Promise.reject(new Error("D1_ERROR: database is locked: SQLITE_BUSY")),
      execute: () => Promise.reject(new Error("D1_ERROR: database is locked: SQLITE_BUSY")),
    };
    const err = await publishContent(locked, { articles: articles(1), stories: [], actors: [] })
      .then(() => null)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect((err as PublishError).problems).toEqual([
      "the database could not be read (D1_ERROR: database is locked: SQLITE_BUSY): nothing was changed; run npm run publish again",
    ]);
  });

  it("two publishes at once: the one that loses writes nothing into the winner's version", async () => {
    const v1 = articles(30);
    await publishFixtures(env.DB, { articles: v1 });
    const mine = v1.map((a) => ({ ...a, title: `${a.title} (mine)` }));
    const theirs = [...articles(45).slice(0, 15), ...v1];
    const real = d1Executor(env.DB);
    let rounds = 0;
    // After my second round trip, the other publish runs from start to finish.
    const interleaved: SqlExecutor = {
      query: (sql, params) => real.query(sql, params),
      execute: async (batch) => {
        if (++rounds === 3) await publishFixtures(env.DB, { articles: theirs });
        await real.execute(batch);
      },
    };
    const lost = await publishContent(
      interleaved,
      { articles: mine, stories: [], actors: [] },
      { batchSize: 3 },
    ).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(PublishError);
    expect(await publishedVersion()).toBe(2);
    expect(await feedIds()).toEqual(theirs.slice(0, 50).map((a) => a.id));
    const { visible } = (await env.DB.prepare(
      "SELECT count(*) AS visible FROM articles WHERE from_version <= 2 AND (to_version IS NULL OR to_version > 2)",
    ).first<{ visible: number }>())!;
    expect(visible).toBe(45);
    expect(await (await freshApp()("/articles/brief-3")).text()).not.toContain("(mine)");
  });
});
