/**
 * When a digest goes out (issue 18): DIGEST_SEND_AT in DIGEST_TIME_ZONE, the admin's "send
 * later" and cancel, and the review gate in between. Every run is the Worker's real scheduled()
 * handler with a ScheduledController whose scheduledTime is the fake clock; what is checked is
 * what reaches the queue and what D1 records. Before, the cron acted whenever it was run (a
 * hard-wired Monday 06:00 UTC trigger): run early, it sent early; run twice at once, nothing
 * stopped both; and no time could be chosen or cancelled.
 */
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import worker from "../../src/index.ts";
import { weekRange } from "../../src/lib/time.ts";
import type { Article } from "../../src/model/article.ts";
import { publishFixtures, resetContent } from "../helpers/content.ts";
import { makeActors, makeApp, makeArticle, testEnv } from "../helpers/fixtures.ts";
import { htmlTexts } from "../helpers/html.ts";
import { recordingQueue } from "../helpers/queue.ts";
import { onlyActiveSubscribers } from "../helpers/subscribers.ts";

const TOKEN = "test-admin-token-0123456789abcdefghij";
const BROWSER = {
  Authorization: `Basic ${btoa(`editor:${TOKEN}`)}`,
  Accept: "text/html",
  "Sec-Fetch-Site": "same-origin",
};
const JSON_ADMIN = { ...BROWSER, Accept: "application/json" };
const HOUR = 3_600_000;

/** A brief with an editor's key point, on the Tuesday of `week` in `zone`: the gate lets it out under auto. */
function keyPointBrief(week: string, zone = "UTC"): Article {
  return makeArticle({
    slug: `drills-${week.toLowerCase()}`,
    title: "Joint drills",
    published: new Date(weekRange(week, zone).start.getTime() + 33 * HOUR).toISOString(),
    keyPoints: [
      "North Korea's foreign ministry said on 22 October 2024 that it would send 3,000 more workers to Russia.",
    ],
    html: "<p>The workers would go to building sites in Russia's Far East.</p>",
  });
}

/** A brief without key points: its item is extracted, so under auto the gate holds it. */
function extractedBrief(week: string): Article {
  return makeArticle({
    slug: `exercise-${week.toLowerCase()}`,
    title: "Naval exercise",
    published: new Date(weekRange(week, "UTC").start.getTime() + 33 * HOUR).toISOString(),
    html: "<p>China and Russia held joint naval drills near Vladivostok, with 12 ships taking part.</p>",
  });
}

async function publish(articles: readonly Article[]): Promise<void> {
  await resetContent(env.DB);
  await publishFixtures(env.DB, { articles, actors: makeActors() });
}

/** One run of the Worker's cron at `iso` (the fake clock); the queue messages it sent. */
async function cronAt(iso: string, vars: Partial<Env> = {}): Promise<DigestChunkMessage[]> {
  const { queue, sent } = recordingQueue<DigestChunkMessage>();
  await (worker as ExportedHandler<Env>).scheduled!(
    createScheduledController({ scheduledTime: Date.parse(iso), cron: "*/15 * * * *" }),
    testEnv({ DIGEST_QUEUE: queue, ...vars }),
    createExecutionContext(),
  );
  return sent.map((m) => m.body);
}

async function planRow(week: string) {
  return env.DB.prepare("SELECT send_at, origin, state FROM digest_schedules WHERE week = ?1")
    .bind(week)
    .first<{ send_at: number; origin: string; state: string }>();
}

describe("DIGEST_SEND_AT in DIGEST_TIME_ZONE", () => {
  // Berlin: 2024-W43 ends the day after summer time ended (06:00 CET = 05:00 UTC); 2024-W30
  // ends in summer time (06:00 CEST = 04:00 UTC). A fixed UTC cron would be an hour off in one.
  for (const { week, due } of [
    { week: "2024-W43", due: "2024-10-28T05:00:00Z" },
    { week: "2024-W30", due: "2024-07-29T04:00:00Z" },
  ])
    it(`sends ${week} once, at Monday 06:00 Berlin time (${due}), not before and not twice`, async () => {
      const vars = { DIGEST_TIME_ZONE: "Europe/Berlin" };
      await onlyActiveSubscribers(`a-${week}@example.org`, `b-${week}@example.org`);
      await publish([keyPointBrief(week, "Europe/Berlin")]);
      const t = Date.parse(due);
      const at = (ms: number) => new Date(t + ms).toISOString();

      expect(await cronAt(at(-5 * HOUR), vars)).toEqual([]);
      expect(await cronAt(at(-15 * 60_000), vars)).toEqual([]);
      expect(await cronAt(at(-1), vars)).toEqual([]);
      // The digest is built ahead of its hour (a reviewer can read it), and not sent.
      const built = await env.DB.prepare("SELECT status FROM digests WHERE week = ?1")
        .bind(week)
        .first<{ status: string }>();
      expect(built?.status).toBe("built");
      expect(await planRow(week)).toEqual({ send_at: t, origin: "auto", state: "scheduled" });

      // Two runs at once at the due time (an overlapping retry): one send between them.
      const [first, second] = await Promise.all([cronAt(at(0), vars), cronAt(at(0), vars)]);
      const sent = [...first!, ...second!];
      expect(sent.map((m) => [m.week, m.subscriberIds.length])).toEqual([[week, 2]]);
      expect(await cronAt(at(15 * 60_000), vars)).toEqual([]);
      expect(await cronAt(at(HOUR), vars)).toEqual([]);
      expect((await planRow(week))?.state).toBe("done");
    });

  it("honours another weekday and time, in another zone", async () => {
    const week = "2024-W45";
    const vars = { DIGEST_TIME_ZONE: "Asia/Seoul", DIGEST_SEND_AT: "Tuesday 07:30" };
    await onlyActiveSubscribers("a-seoul@example.org");
    await publish([keyPointBrief(week, "Asia/Seoul")]);
    // Tuesday 12 November 2024 07:30 in Seoul (UTC+9) is Monday 22:30 UTC.
    expect(await cronAt("2024-11-11T22:15:00Z", vars)).toEqual([]);
    expect((await cronAt("2024-11-11T22:30:00Z", vars)).map((m) => m.week)).toEqual([week]);
  });

  it("refuses an invalid value with an error naming the variable", async () => {
    for (const bad of ["tuesday 25:00", "someday 06:00", "06:00", "monday 6"])
      await expect(cronAt("2024-11-18T06:00:00Z", { DIGEST_SEND_AT: bad })).rejects.toThrow(
        `DIGEST_SEND_AT is "${bad}": expected a weekday and a 24-hour local time`,
      );
  });
});

// The admin's routes check the time against the real clock: these weeks lie in the future.
describe("the admin's send later and cancel", () => {
  it("moves a week's send to a chosen time in DIGEST_TIME_ZONE: it goes then, once", async () => {
    const week = "2030-W10"; // ends Monday 11 March 2030
    const articles = [keyPointBrief(week)];
    await onlyActiveSubscribers("a-later@example.org");
    await publish(articles);
    expect(await cronAt("2030-03-11T00:15:00Z")).toEqual([]);
    const { request } = makeApp(articles);
    const res = await request(`/admin/digests/${week}/schedule`, {
      method: "POST",
      headers: JSON_ADMIN,
      body: new URLSearchParams({ send_at: "2030-03-12T10:00" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ week, sendAt: "2030-03-12T10:00:00.000Z" });

    // The send page shows the plan and its cancel button.
    const page = await (await request(`/admin/digests/${week}/send`, { headers: BROWSER })).text();
    expect(await htmlTexts(page, "p.scheduled")).toEqual([
      expect.stringMatching(/^Goes at 2030-03-12 10:00 UTC, set by editor\.$/),
    ]);

    expect(await cronAt("2030-03-11T06:00:00Z")).toEqual([]);
    expect(await cronAt("2030-03-12T09:45:00Z")).toEqual([]);
    expect((await cronAt("2030-03-12T10:00:00Z")).map((m) => m.subscriberIds.length)).toEqual([1]);
    expect(await cronAt("2030-03-12T10:15:00Z")).toEqual([]);
    expect(await planRow(week)).toMatchObject({ origin: "admin", state: "done" });
  });

  it("refuses a time that is malformed, past, or inside the week, naming the field", async () => {
    const { request } = makeApp([]);
    for (const sendAt of [
      "next tuesday",
      "2030-02-30T10:00",
      "2024-01-01T10:00",
      "2030-03-20T10:00",
    ]) {
      const res = await request(`/admin/digests/2030-W12/schedule`, {
        method: "POST",
        headers: JSON_ADMIN,
        body: new URLSearchParams({ send_at: sendAt }),
      });
      expect(res.status, sendAt).toBe(400);
      expect((await htmlTexts(await res.text(), "p")).join(" ")).toContain('Field "send_at"');
    }
  });

  it("a cancelled send does not go, at its time or after", async () => {
    const week = "2030-W12"; // ends Monday 25 March 2030
    const articles = [keyPointBrief(week)];
    await onlyActiveSubscribers("a-cancel@example.org");
    await publish(articles);
    expect(await cronAt("2030-03-25T00:15:00Z")).toEqual([]);
    const { request } = makeApp(articles);
    const cancel = () =>
      request(`/admin/digests/${week}/cancel`, { method: "POST", headers: JSON_ADMIN });
    expect((await cancel()).status).toBe(200);
    expect(await cronAt("2030-03-25T06:00:00Z")).toEqual([]);
    expect(await cronAt("2030-03-25T06:15:00Z")).toEqual([]);
    expect(await cronAt("2030-03-26T05:00:00Z")).toEqual([]);
    expect((await planRow(week))?.state).toBe("cancelled");
    // Nothing is left to cancel.
    expect((await cancel()).status).toBe(409);
  });
});

describe("the review gate and the time", () => {
  /** The review page's version hash, approved through the admin's form. */
  async function approve(
    week: string,
    articles: readonly Article[],
    queue?: Queue<DigestChunkMessage>,
  ) {
    const { request } = makeApp(articles, queue ? { DIGEST_QUEUE: queue } : {});
    const review = await (
      await request(`/admin/digests/${week}/review`, { headers: BROWSER })
    ).text();
    const hash = /name="hash" value="([0-9a-f]{64})"/.exec(review)?.[1];
    expect(hash).toBeDefined();
    return request(`/admin/digests/${week}/approve`, {
      method: "POST",
      headers: JSON_ADMIN,
      body: new URLSearchParams({ hash: hash! }),
    });
  }

  it("approved before its time, a held digest goes at its time, not at the approval", async () => {
    const week = "2030-W14"; // ends Monday 8 April 2030
    const articles = [extractedBrief(week)];
    await onlyActiveSubscribers("a-early@example.org");
    await publish(articles);
    expect(await cronAt("2030-04-08T00:15:00Z")).toEqual([]);
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const approved = await approve(week, articles, queue);
    expect(approved.status).toBe(202);
    expect(await approved.json()).toMatchObject({ week, sendAt: "2030-04-08T06:00:00.000Z" });
    expect(sent).toEqual([]);
    expect(await cronAt("2030-04-08T05:45:00Z")).toEqual([]);
    expect((await cronAt("2030-04-08T06:00:00Z")).map((m) => m.week)).toEqual([week]);
    expect(await cronAt("2030-04-08T06:15:00Z")).toEqual([]);
  });

  it("not approved by its time, it waits, then goes as soon as it is approved, once", async () => {
    const week = "2030-W16"; // ends Monday 22 April 2030
    const articles = [extractedBrief(week)];
    await onlyActiveSubscribers("a-late@example.org");
    await publish(articles);
    expect(await cronAt("2030-04-22T06:00:00Z")).toEqual([]);
    expect(await cronAt("2030-04-22T06:15:00Z")).toEqual([]);
    expect((await planRow(week))?.state).toBe("waiting");
    const { request } = makeApp(articles);
    const home = (await (await request("/admin", { headers: JSON_ADMIN })).json()) as {
      scheduled: { week: string; state: string }[];
    };
    expect(home.scheduled).toContainEqual(expect.objectContaining({ week, state: "waiting" }));

    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    expect((await approve(week, articles, queue)).status).toBe(202);
    expect(sent.map((m) => m.body.week)).toEqual([week]);
    expect((await planRow(week))?.state).toBe("done");
    expect(await cronAt("2030-04-22T06:30:00Z")).toEqual([]);
  });
});
