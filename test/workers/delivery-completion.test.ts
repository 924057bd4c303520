/**
 * Issue 15, item 8: after a complete send (97,500 of 97,500 sent) the digest stayed 'sending'
 * for good; nothing ever marked it sent. Now the chunk that finishes last marks it sent with
 * the time, exactly once however many consumers finish chunks at once or deliver them again,
 * and /admin shows it. A send with a chunk that gave up stays 'sending' until a second send
 * covers its recipients.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config.ts";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { makeApp, makeArticle, makeDigestDeps } from "../helpers/fixtures.ts";
import { htmlTexts } from "../helpers/html.ts";
import { DIGEST_DLQ_NAME, deliver, recordingQueue } from "../helpers/queue.ts";

const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };
/** Three queue messages: chunks hold at most 100 recipients. */
const SUBSCRIBERS = 250;

/** Each test sends its own week (storage is shared by a file's tests). */
const articleOf = (week: string, published: string) =>
  makeArticle({
    slug: `drills-${week.toLowerCase()}`,
    title: "Drills held",
    published,
    html: "<p>Russia and North Korea held joint drills on 22 October 2024.</p>",
  });

beforeEach(async () => {
  await env.DB.batch(
    ["DELETE FROM deliveries", "DELETE FROM subscribers"].map((sql) => env.DB.prepare(sql)),
  );
  await env.DB.prepare(
    `INSERT INTO subscribers (email, status, created_at, updated_at)
     SELECT 'reader' || value || '@example.org', 'active', '2024-01-01', '2024-01-01'
     FROM json_each(?1)`,
  )
    .bind(JSON.stringify(Array.from({ length: SUBSCRIBERS }, (_, i) => i)))
    .run();
});

afterEach(() => vi.restoreAllMocks());

/**
 * The week's digest, and the app with a recording queue: `send` is the admin's send, `admin`
 * the week's row of /admin as JSON.
 */
async function setUp(week: string, published: string) {
  const articles = [articleOf(week, published)];
  await buildDigest(env.DB, parseConfig(env), makeDigestDeps(articles), week);
  const { queue, sent } = recordingQueue<DigestChunkMessage>();
  // The fixture's item is extracted: DIGEST_SEND=always lets it out without review (the review
  // gate is review-gate.test.ts's; here, when a send is complete).
  const { request } = makeApp(articles, { DIGEST_QUEUE: queue, DIGEST_SEND: "always" });
  return {
    send: async () => {
      const before = sent.length;
      const res = await request(`/admin/digests/${week}/send`, { method: "POST", headers: ADMIN });
      expect(res.status).toBe(202);
      return sent.slice(before).map((m) => m.body);
    },
    admin: async () => {
      const res = await request("/admin", { headers: { ...ADMIN, Accept: "application/json" } });
      const { digests } = (await res.json()) as {
        digests: { week: string; status: string; sentAt: string | null; sent: number }[];
      };
      return digests.find((d) => d.week === week)!;
    },
    adminPage: async () =>
      (await request("/admin", { headers: { ...ADMIN, Accept: "text/html" } })).text(),
  };
}

/** The log lines saying a digest's send completed. */
function completionLog() {
  const log = vi.spyOn(console, "log");
  return () => log.mock.calls.filter(([line]) => /^digest \S+: sent \(/.test(String(line)));
}

describe("a digest's send", () => {
  it("is marked sent, with the time, once the last chunk is done: once, with consumers finishing together and chunks delivered again", async () => {
    const completions = completionLog();
    const { send, admin, adminPage } = await setUp("2024-W43", "2024-10-22T09:00:00Z");
    const started = new Date().toISOString();
    const chunks = await send();
    expect(chunks).toHaveLength(3);
    expect(await admin()).toMatchObject({ status: "sending", sentAt: null, sent: 0 });

    expect((await deliver(chunks.slice(0, 2))).explicitAcks).toEqual(["msg-0", "msg-1"]);
    // Delivered again (Queues is at least once): still one chunk to go.
    await deliver([chunks[0]!]);
    expect(await admin()).toMatchObject({ status: "sending", sentAt: null, sent: 200 });

    // The last chunk, delivered to two consumers at once.
    await Promise.all([deliver([chunks[2]!]), deliver([chunks[2]!])]);
    const done = await admin();
    expect(done).toMatchObject({ status: "sent", sent: SUBSCRIBERS });
    expect(done.sentAt! >= started && done.sentAt! <= new Date().toISOString()).toBe(true);
    expect(completions()).toHaveLength(1);

    // Later deliveries of any chunk change nothing, the time included.
    await deliver(chunks);
    expect(await admin()).toEqual(done);
    expect(completions()).toHaveLength(1);

    // The admin's page says so, with the time.
    const cells = await htmlTexts(await adminPage(), "tbody tr td:nth-child(2)");
    expect(cells).toContain(`sent ${done.sentAt!.slice(0, 10)} ${done.sentAt!.slice(11, 16)} UTC`);
  });

  it("stays sending while a chunk that gave up has recipients left, and is sent once a second send covers them", async () => {
    const { send, admin } = await setUp("2024-W44", "2024-10-29T09:00:00Z");
    const chunks = await send();
    await deliver(chunks.slice(0, 2));
    // The third kept failing: the dead-letter queue releases its recipients.
    await deliver([chunks[2]!], { queue: DIGEST_DLQ_NAME });
    expect(await admin()).toMatchObject({ status: "sending", sentAt: null, sent: 200 });

    const again = await send();
    expect(again.flatMap((c) => c.subscriberIds)).toEqual(chunks[2]!.subscriberIds);
    expect(await admin()).toMatchObject({ status: "sending", sentAt: null });
    await deliver(again);
    const done = await admin();
    expect(done).toMatchObject({ status: "sent", sent: SUBSCRIBERS });
    expect(done.sentAt).not.toBeNull();

    // A third send finds nobody left: the digest stays sent.
    expect(await send()).toEqual([]);
    expect(await admin()).toEqual(done);
  });
});
