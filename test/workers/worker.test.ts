/**
 * Smoke checks of the deployed Worker itself (src/index.ts) serving real, editor-written briefs
 * (the seed briefs, test/fixtures/seed-briefs/; never content/, which an operator replaces),
 * published to D1 first, as `npm run publish` does. Nothing here depends on what the
 * articles say, how many there are or what they are called: expectations are computed from the
 * loaded content, so editorial changes cannot break them. What the summary, feeds and pages say is tested on fixtures in the other files.
 */
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { getDigest } from "../../src/digest/store.ts";
import { listArticlesByWeek } from "../../src/digest/summary/summarize-week.ts";
import worker from "../../src/index.ts";
import { weekRange } from "../../src/lib/time.ts";
import { publishFixtures } from "../helpers/content.ts";
import { testEnv } from "../helpers/fixtures.ts";
import { deliver, recordingQueue } from "../helpers/queue.ts";

const BASE = "http://localhost:8787";
const content = inject("realContent");
const articles = content.articles;

beforeAll(async () => {
  const report = await publishFixtures(env.DB, content);
  expect(report).toMatchObject({ status: "published", version: 1 });
  expect(report.added).toHaveLength(articles.length);
});
const get = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`${BASE}${path}`, init));

describe("the Worker with the published content", () => {
  it("has articles to serve", () => {
    expect(articles.length).toBeGreaterThan(0);
  });

  it("carries the newest articles in the JSON Feed, newest first, with their permanent ids", async () => {
    const res = await get("/feed.json");
    expect(res.status).toBe(200);
    const feed = (await res.json()) as {
      items: { id: string; url: string; date_published: string }[];
    };
    const limit = parseConfig(env).feedItemLimit;
    expect(feed.items.map((i) => i.id)).toEqual(articles.slice(0, limit).map((a) => a.id));
    for (const [i, item] of feed.items.entries()) {
      expect(item.url).toBe(`${BASE}/articles/${articles[i]!.slug}`);
      expect(Date.parse(item.date_published)).toBe(Date.parse(articles[i]!.published));
    }
  });

  it("serves a page for every article and every tag", async () => {
    for (const a of articles.slice(0, 50)) {
      const res = await get(`/articles/${a.slug}`);
      expect(res.status, a.slug).toBe(200);
      for (const tag of a.tags) expect((await get(`/tags/${tag}`)).status, tag).toBe(200);
    }
  });

  it("the seed articles carry no page chrome from their source sites", () => {
    const chrome = [
      /Post navigation/i,
      /Check Out Our Other Content/i,
      /Most Popular Articles/i,
      /KISSY|KISS OF LIFE/,
      /Post a Comment/i,
      /Legal Disclaimer/i,
      /MENAFN\d/,
      /Labels:/,
      /&lt;&lt; Home/,
    ];
    for (const a of articles) {
      for (const pattern of chrome) expect(a.html, `${a.slug} ${pattern}`).not.toMatch(pattern);
      expect(Date.parse(a.published)).toBeLessThanOrEqual(Date.now());
    }
  });
});

describe("the Worker's weekly cron trigger and queue consumer", () => {
  it("builds the newest week's digest and sends it once; running the cron again sends no second copy", async () => {
    const timeZone = parseConfig(env).digestTimeZone;
    const [week, inWeek] = [...listArticlesByWeek(articles, timeZone)][0]!;
    // Monday 06:00 after that week, as the cron in wrangler.toml fires.
    const scheduledTime = weekRange(week, timeZone).end.getTime() + 6 * 3_600_000;
    const emails = ["cron1@example.org", "cron2@example.org"];
    const ids: number[] = [];
    for (const email of emails) {
      const row = await env.DB.prepare(
        "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'active', '2024-01-01', '2024-01-01') RETURNING id",
      )
        .bind(email)
        .first<{ id: number }>();
      ids.push(row!.id);
    }
    // Two consent records of the first subscriber: one past the retention, one recent.
    const day = 86_400_000;
    for (const age of [400 * day, 10 * day]) {
      await env.DB.prepare(
        "INSERT INTO consents (subscriber_id, email, requested_at, request_ip, form, consent_text_version) VALUES (?1, ?2, ?3, ?4, 'home', 'v1')",
      )
        .bind(
          ids[0],
          emails[0],
          new Date(scheduledTime - age).toISOString(),
          age > 365 * day ? "198.51.100.8" : "198.51.100.9",
        )
        .run();
    }
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    // Whether the real content's week has extracted items is editorial: the review gate
    // (DIGEST_SEND) is tested on fixtures in review-gate.test.ts; here the cron sends.
    const cronEnv = testEnv({ DIGEST_QUEUE: queue, DIGEST_SEND: "always" });
    const fire = () =>
      (worker as ExportedHandler<Env>).scheduled!(
        createScheduledController({ scheduledTime, cron: "0 6 * * 1" }),
        cronEnv,
        createExecutionContext(),
      );
    const copies = async () => {
      const { results } = await env.DB.prepare(
        "SELECT to_addr, count(*) AS n FROM outbox WHERE idempotency_key LIKE ?1 GROUP BY to_addr ORDER BY to_addr",
      )
        .bind(`digest:${week}:%`)
        .all();
      return results;
    };

    await fire();
    const digest = await getDigest(env.DB, week);
    expect(digest?.articleCount).toBe(inWeek.length);
    expect(sent).toHaveLength(1);
    expect([...sent[0]!.body.subscriberIds].sort((a, b) => a - b)).toEqual(ids);
    const result = await deliver(sent.map((m) => m.body));
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(await copies()).toEqual(emails.map((to_addr) => ({ to_addr, n: 1 })));

    await fire();
    expect(sent).toHaveLength(1);
    // The one chunk finished the send: the digest is sent, with the time (issue 15).
    expect(await getDigest(env.DB, week)).toEqual({
      ...digest,
      status: "sent",
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // The cron also forgets consent IPs older than CONSENT_IP_RETENTION_DAYS (365).
    const ips = await env.DB.prepare(
      "SELECT request_ip FROM consents WHERE subscriber_id = ?1 ORDER BY id",
    )
      .bind(ids[0])
      .all<{ request_ip: string | null }>();
    expect(ips.results).toEqual([{ request_ip: null }, { request_ip: "198.51.100.9" }]);
    expect(await copies()).toEqual(emails.map((to_addr) => ({ to_addr, n: 1 })));
  });
});
