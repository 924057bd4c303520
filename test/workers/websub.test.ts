/**
 * WebSub publish pings (issue 11; https://www.w3.org/TR/websub/#publishing) to a real loopback
 * hub (test/helpers/websub-hub-server.ts): after the cron builds a digest, the digest feeds;
 * after a publish, the site feeds and the feeds of each tag whose articles changed. A hub that
 * fails is retried; one that keeps failing is logged and given up, never failing the caller.
 */
import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { d1Executor } from "../../src/lib/sql-batch.ts";
import worker from "../../src/index.ts";
import { weekRange } from "../../src/lib/time.ts";
import { pingHub } from "../../src/websub/ping.ts";
import { tagsChangedInVersion } from "../../src/websub/store.ts";
import { publishTopics } from "../../src/websub/topics.ts";
import { publishFixtures, resetContent } from "../helpers/content.ts";
import { makeApp, makeArticle, testEnv } from "../helpers/fixtures.ts";

const HUB = inject("websubHubUrl");
const BASE = "http://localhost:8787";

interface Ping {
  contentType: string;
  body: string;
  answered: number;
}

async function pings(ns: string): Promise<Ping[]> {
  return (await (await fetch(`${HUB}/ns/${ns}/__pings`)).json()) as Ping[];
}
async function script(ns: string, statuses: number[]): Promise<void> {
  await fetch(`${HUB}/ns/${ns}/__script`, { method: "POST", body: JSON.stringify(statuses) });
}
/** A ping's form body, decoded as a hub decodes it: each field with all its values. */
function form(ping: Ping): Record<string, string[]> {
  expect(ping.contentType).toBe("application/x-www-form-urlencoded");
  const fields: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(ping.body)) (fields[k] ??= []).push(v);
  return fields;
}
const topicsOf = (list: readonly Ping[]) =>
  list.map((p) => {
    const f = form(p);
    expect(f["hub.mode"]).toEqual(["publish"]);
    expect(f["hub.url"]).toHaveLength(1);
    return f["hub.url"]![0]!;
  });

describe("WebSub pings", () => {
  it("an admin rebuild that changes a digest pings the digest feeds; one that changes nothing does not", async () => {
    const published = "2024-04-09T10:00:00Z";
    const article = makeArticle({ slug: "websub-rebuild", published, tags: ["china"] });
    const { request } = makeApp([article], { WEBSUB_HUB: `${HUB}/ns/rebuild/hub` });
    const rebuild = () =>
      request("/admin/digests/2024-W15/rebuild", {
        method: "POST",
        headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` },
      });
    expect((await rebuild()).status).toBe(200);
    expect(topicsOf(await pings("rebuild"))).toEqual([
      `${BASE}/digests/feed.xml`,
      `${BASE}/digests/atom.xml`,
      `${BASE}/digests/feed.json`,
    ]);
    expect((await rebuild()).status).toBe(200);
    expect(await pings("rebuild")).toHaveLength(3);
    await resetContent(env.DB);
  });

  it("the cron pings the digest feeds after building a digest, once, and retries a failing hub", async () => {
    const published = "2024-03-05T10:00:00Z";
    await publishFixtures(env.DB, {
      articles: [makeArticle({ slug: "websub-cron", published, tags: ["russia"] })],
    });
    const timeZone = parseConfig(env).digestTimeZone;
    const scheduledTime = weekRange("2024-W10", timeZone).end.getTime() + 6 * 3_600_000;
    const cronEnv = testEnv({ WEBSUB_HUB: `${HUB}/ns/cron/hub` });
    const fire = async () => {
      const ctx = createExecutionContext();
      await (worker as ExportedHandler<Env>).scheduled!(
        createScheduledController({ scheduledTime, cron: "0 6 * * 1" }),
        cronEnv,
        ctx,
      );
      await waitOnExecutionContext(ctx);
    };
    // The hub fails the first ping once: it is sent again.
    await script("cron", [500]);
    await fire();
    const first = await pings("cron");
    expect(first.map((p) => p.answered)).toEqual([500, 204, 204, 204]);
    expect(topicsOf(first)).toEqual([
      `${BASE}/digests/feed.xml`,
      `${BASE}/digests/feed.xml`,
      `${BASE}/digests/atom.xml`,
      `${BASE}/digests/feed.json`,
    ]);
    // The same digest again: nothing changed, no ping.
    await fire();
    expect(await pings("cron")).toHaveLength(4);
  });

  it("after a publish, pings the site feeds and the feeds of every tag that changed", async () => {
    await resetContent(env.DB);
    const a = makeArticle({ slug: "websub-a", tags: ["websub-kept", "websub-left"] });
    const b = makeArticle({ slug: "websub-b", tags: ["websub-other"] });
    const first = await publishFixtures(env.DB, { articles: [a, b] });
    expect(await tagsChangedInVersion(d1Executor(env.DB), first.version)).toEqual(
      expect.arrayContaining(["websub-kept", "websub-left", "websub-other"]),
    );
    // a leaves one tag for a new one; b is unchanged.
    const changed = { ...a, tags: ["websub-kept", "websub-new"], title: "Changed" };
    const second = await publishFixtures(env.DB, { articles: [changed, b] });
    expect(second.changed).toEqual(["websub-a"]);
    const tags = await tagsChangedInVersion(d1Executor(env.DB), second.version);
    expect(tags).toEqual(["websub-kept", "websub-left", "websub-new"]);

    const config = parseConfig(env);
    const results = await pingHub(`${HUB}/ns/publish/hub`, publishTopics(config, tags));
    expect(results.every((r) => r.ok && r.attempts === 1)).toBe(true);
    expect(topicsOf(await pings("publish"))).toEqual([
      `${BASE}/feed.xml`,
      `${BASE}/atom.xml`,
      `${BASE}/feed.json`,
      ...["websub-kept", "websub-left", "websub-new"].flatMap((t) => [
        `${BASE}/tags/${t}/feed.xml`,
        `${BASE}/tags/${t}/atom.xml`,
        `${BASE}/tags/${t}/feed.json`,
      ]),
    ]);
  });

  it("retries with backoff, gives up after the last attempt, and never throws", async () => {
    const logged: string[] = [];
    const log = (line: string) => logged.push(line);
    await script("failing", [500, 503, 200]);
    const [retried] = await pingHub(`${HUB}/ns/failing/hub`, [`${BASE}/feed.xml`], {
      backoffMs: 1,
      log,
    });
    expect(retried).toEqual({ topic: `${BASE}/feed.xml`, ok: true, attempts: 3, last: 200 });
    expect((await pings("failing")).map((p) => p.answered)).toEqual([500, 503, 200]);

    // A hub down for one feed is not kept waiting on for the next ones.
    await script("down", [500, 500, 500, 500, 500]);
    const [down, skipped] = await pingHub(
      `${HUB}/ns/down/hub`,
      [`${BASE}/atom.xml`, `${BASE}/feed.json`],
      { backoffMs: 1, log },
    );
    expect(down).toMatchObject({ ok: false, attempts: 4, last: 500 });
    expect(skipped).toMatchObject({ ok: false, attempts: 0 });
    expect(await pings("down")).toHaveLength(4);
    // A refusal that retrying cannot fix (404: no hub there) is not retried.
    await script("gone", [404]);
    const [gone] = await pingHub(`${HUB}/ns/gone/hub`, [`${BASE}/atom.xml`], { log });
    expect(gone).toMatchObject({ ok: false, attempts: 1, last: 404 });
    // A hub that never answers: each attempt is cut off at the timeout.
    await script("hung", [0]);
    const [hung] = await pingHub(`${HUB}/ns/hung/hub`, [`${BASE}/feed.xml`], {
      attempts: 1,
      timeoutMs: 50,
      log,
    });
    expect(hung).toMatchObject({ ok: false, attempts: 1 });
    expect(await pings("hung")).toHaveLength(1);
    // Nothing listening: logged, not thrown.
    const [unreachable] = await pingHub("http://127.0.0.1:9/hub", [`${BASE}/feed.json`], {
      attempts: 2,
      backoffMs: 1,
      log,
    });
    expect(unreachable).toMatchObject({ ok: false, attempts: 2 });
    expect(logged).toHaveLength(5);
    for (const line of logged)
      expect(line).toMatch(/^WebSub: the hub .* (did not accept|seems down)/);
  });
});
