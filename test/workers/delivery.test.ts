import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createLibrary } from "../../src/content/library.ts";
import { sendDigestChunk, type ConsumerDeps } from "../../src/delivery/consumer.ts";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { ExtractiveSummarizer } from "../../src/digest/summary/summarizer.ts";
import { actors, articles } from "../../src/generated/content.ts";
import worker from "../../src/index.ts";
import { HttpApiTransport } from "../../src/mail/http-api.ts";
import { OutboxTransport } from "../../src/mail/outbox.ts";
import type { MailTransport } from "../../src/mail/transport.ts";

const BASE = "http://localhost:8787";
const WEEK = "2024-W43";
const ADMIN = { Authorization: "Bearer test-admin-token" };
const get = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`${BASE}${path}`, init));

async function seedDigest() {
  await buildDigest(env.DB, parseConfig(env), { library: createLibrary(articles), actors, summarizer: new ExtractiveSummarizer() }, WEEK);
}

async function seedSubscribers(statuses: Record<string, string>): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const [email, status] of Object.entries(statuses)) {
    const row = await env.DB.prepare("INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, ?2, '2024-01-01', '2024-01-01') RETURNING id").bind(email, status).first<{ id: number }>();
    ids[email] = row!.id;
  }
  return ids;
}

/** How many copies of the digest each of `emails` got (storage is shared by a file's tests). */
async function digestCopies(emails: readonly string[]): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare("SELECT to_addr, count(*) AS n FROM outbox WHERE subject LIKE 'Axis developments:%' AND to_addr IN (SELECT value FROM json_each(?1)) GROUP BY to_addr")
    .bind(JSON.stringify(emails))
    .all<{ to_addr: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.to_addr, r.n]));
}

async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function deps(transport?: MailTransport): ConsumerDeps {
  const config = parseConfig(env);
  return { db: env.DB, config, mail: config.mail, transport: transport ?? new OutboxTransport(env.DB) };
}

function chunk(ids: number[], key = `${WEEK}:test:0`): DigestChunkMessage {
  return { kind: "digest-chunk", week: WEEK, chunkKey: key, subscriberIds: ids };
}

describe("sending a digest through the queue", () => {
  it("sends each active subscriber one real MIME message with one-click unsubscribe, and a second send adds nothing", async () => {
    await seedDigest();
    await seedSubscribers({ "a@example.org": "active", "b@example.org": "active", "c@example.org": "active", "gone@example.org": "unsubscribed", "bounce@example.org": "bounced", "spam@example.org": "complained", "new@example.org": "pending" });

    const res = await get(`/admin/digests/${WEEK}/send`, { method: "POST", headers: ADMIN });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ week: WEEK, recipients: 3, messages: 1 });
    const everyone = ["a@example.org", "b@example.org", "c@example.org", "gone@example.org", "bounce@example.org", "spam@example.org", "new@example.org"];
    const copies = await waitFor(() => digestCopies(everyone), (c) => Object.keys(c).length >= 3);
    expect(copies).toEqual({ "a@example.org": 1, "b@example.org": 1, "c@example.org": 1 });

    const list = (await (await get("/admin/outbox.json", { headers: ADMIN })).json()) as { id: number; to: string; subject: string; headers: Record<string, string>; text: string; html: string }[];
    const msg = list.find((m) => m.to === "a@example.org")!;
    expect(msg.subject).toMatch(/^Axis developments: 21\s–\s27 October 2024$/u);
    expect(msg.headers["List-Unsubscribe"]).toMatch(new RegExp(`^<${BASE}/unsubscribe/\\d+\\.[A-Za-z0-9_-]{43}>, <mailto:unsubscribe@example\\.org\\?subject=unsubscribe>$`));
    expect(msg.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(msg.headers["Message-ID"]).toMatch(/^<[0-9a-f-]{36}@example\.org>$/);
    expect(msg.html).toContain(msg.headers["List-Unsubscribe"]!.slice(1, msg.headers["List-Unsubscribe"]!.indexOf(">")));
    expect(msg.text).toContain("1,500 North Korean special forces");
    const eml = await get(`/admin/outbox/${msg.id}.eml`, { headers: ADMIN });
    expect(eml.headers.get("Content-Type")).toBe("message/rfc822");
    const raw = await eml.text();
    expect(raw).toMatch(/^Content-Type: multipart\/alternative; boundary=/m);
    expect(raw).toMatch(/^From: .*digest@example\.org/m);
    expect(raw).toMatch(/^To: <?a@example\.org>?/m);
    expect(raw).toMatch(/^Date: /m);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect(raw.indexOf("Content-Type: text/plain")).toBeLessThan(raw.indexOf("Content-Type: text/html"));

    // A second send of the same week enqueues no one and sends nothing.
    const again = await get(`/admin/digests/${WEEK}/send`, { method: "POST", headers: ADMIN });
    expect(await again.json()).toMatchObject({ recipients: 0, messages: 0 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await digestCopies(everyone)).toEqual(copies);
  });

  it("a re-run cron sends no second copy", async () => {
    await seedSubscribers({ "cron1@example.org": "active", "cron2@example.org": "active" });
    const fire = () => worker.scheduled(createScheduledControllerAt("2024-10-28T06:00:00Z"), env);
    await fire();
    const who = ["cron1@example.org", "cron2@example.org"];
    await waitFor(() => digestCopies(who), (c) => Object.keys(c).length >= 2);
    await fire();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await digestCopies(who)).toEqual({ "cron1@example.org": 1, "cron2@example.org": 1 });
  });
});

function createScheduledControllerAt(iso: string) {
  return createScheduledController({ scheduledTime: Date.parse(iso), cron: "0 6 * * 1" });
}

describe("the consumer, exactly once", () => {
  beforeEach(seedDigest);

  it("acks, and a retried chunk sends nothing twice", async () => {
    const ids = await seedSubscribers({ "r1@example.org": "active", "r2@example.org": "active" });
    const message = chunk(Object.values(ids));
    for (let attempt = 1; attempt <= 2; attempt++) {
      const batch = createMessageBatch<DigestChunkMessage>("axis-dispatch-digest-send", [{ id: `m${attempt}`, timestamp: new Date(), attempts: attempt, body: message }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual([`m${attempt}`]);
    }
    expect(await digestCopies(Object.keys(ids))).toEqual({ "r1@example.org": 1, "r2@example.org": 1 });
  });

  it("a consumer that crashed after sending resends nothing when the message is retried", async () => {
    const ids = await seedSubscribers({ "c1@example.org": "active", "c2@example.org": "active" });
    const outbox = new OutboxTransport(env.DB);
    const crashing: MailTransport = {
      name: "crashing",
      async send(messages, key) {
        await outbox.send(messages, key);
        throw new Error("worker evicted after the provider accepted the batch");
      },
    };
    await expect(sendDigestChunk(chunk(Object.values(ids)), 1, deps(crashing))).rejects.toThrow("evicted");
    expect(await sendDigestChunk(chunk(Object.values(ids)), 2, deps())).toEqual({ kind: "sent", recipients: 2 });
    expect(await digestCopies(Object.keys(ids))).toEqual({ "c1@example.org": 1, "c2@example.org": 1 });
    const { results } = await env.DB.prepare("SELECT status FROM deliveries WHERE week = ?1 AND subscriber_id IN (?2, ?3)").bind(WEEK, ids["c1@example.org"], ids["c2@example.org"]).all();
    expect(results).toEqual([{ status: "sent" }, { status: "sent" }]);
  });

  it("checks suppression at send time, and two chunks never both hold a recipient", async () => {
    const ids = await seedSubscribers({ "s1@example.org": "active", "s2@example.org": "active" });
    await env.DB.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE email = 's2@example.org'").run();
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:x:1`), 1, deps())).toEqual({ kind: "sent", recipients: 1 });
    // Another send's chunk with the same people finds no one left to send.
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:y:1`), 1, deps())).toEqual({ kind: "nothing-to-send" });
    expect(await digestCopies(Object.keys(ids))).toEqual({ "s1@example.org": 1 });
  });

  it("never sends to an address the operator marked as bounced or complaining", async () => {
    const ids = await seedSubscribers({ "hard@example.org": "active", "soft@example.org": "active" });
    const mark = (email: string, reason: string) =>
      get("/admin/subscribers/suppress", { method: "POST", headers: ADMIN, body: new URLSearchParams({ email, reason }) });
    expect((await mark("HARD@example.org", "bounced")).status).toBe(200);
    expect((await mark("soft@example.org", "complained")).status).toBe(200);
    expect((await mark("soft@example.org", "annoyed")).status).toBe(400);
    expect((await mark("nobody@example.org", "bounced")).status).toBe(404);
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:supp:0`), 1, deps())).toEqual({ kind: "nothing-to-send" });
    expect(await digestCopies(Object.keys(ids))).toEqual({});
  });

  it("releases dead-lettered chunks so a later send reaches their recipients", async () => {
    const ids = await seedSubscribers({ "d1@example.org": "active" });
    const failing: MailTransport = { name: "down", send: async () => ({ ok: false, retryable: true, status: 503, message: "down" }) };
    const outcome = await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:dead:0`), 1, deps(failing));
    expect(outcome).toMatchObject({ kind: "retry" });
    const dead = createMessageBatch<DigestChunkMessage>("axis-dispatch-digest-send-dlq", [{ id: "d", timestamp: new Date(), attempts: 1, body: chunk(Object.values(ids), `${WEEK}:dead:0`) }]);
    await worker.queue(dead, env);
    expect(await env.DB.prepare("SELECT status FROM deliveries WHERE subscriber_id = ?1").bind(ids["d1@example.org"]).first("status")).toBe("failed");
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:later:0`), 1, deps())).toEqual({ kind: "sent", recipients: 1 });
  });
});

describe("the HTTP email API transport, against a real server on 127.0.0.1", () => {
  const api = (path: string, body?: unknown) => fetch(`${env.EMAIL_API_URL}${path}`, { method: body === undefined ? "GET" : "POST", body: body === undefined ? undefined : JSON.stringify(body) });
  const http = () => new HttpApiTransport({ baseUrl: env.EMAIL_API_URL, apiKey: "test-email-api-key" });

  beforeEach(async () => {
    await seedDigest();
    await api("/__reset", {});
  });

  it("retries 429 (honouring Retry-After) and 5xx with backoff, then sends once", async () => {
    const ids = await seedSubscribers({ "h1@example.org": "active", "h2@example.org": "active" });
    await api("/__script", [429, 503]);
    const first = await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:http:0`), 1, deps(http()));
    expect(first).toMatchObject({ kind: "retry" });
    expect(first.kind === "retry" && first.delaySeconds).toBeGreaterThanOrEqual(10);
    const second = await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:http:0`), 2, deps(http()));
    expect(second.kind === "retry" && second.delaySeconds).toBe(20);
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:http:0`), 3, deps(http()))).toEqual({ kind: "sent", recipients: 2 });
    const received = (await (await api("/__received")).json()) as { to: string[]; key: string; headers: Record<string, string> }[];
    expect(received.map((r) => r.to[0]).sort()).toEqual(["h1@example.org", "h2@example.org"]);
    expect(received[0]!.key).toBe(`digest:${WEEK}:http:0`);
    expect(received[0]!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  });

  it("does not send twice when the provider accepted a batch but the consumer crashed before recording it", async () => {
    const ids = await seedSubscribers({ "k1@example.org": "active" });
    const crashing: MailTransport = {
      name: "http-then-crash",
      async send(messages, key) {
        await http().send(messages, key);
        throw new Error("crashed before markSent");
      },
    };
    await expect(sendDigestChunk(chunk(Object.values(ids), `${WEEK}:http:1`), 1, deps(crashing))).rejects.toThrow();
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:http:1`), 2, deps(http()))).toEqual({ kind: "sent", recipients: 1 });
    const received = (await (await api("/__received")).json()) as unknown[];
    expect(received).toHaveLength(1);
  });

  it("gives up on a 4xx that retrying cannot fix, releasing the recipients", async () => {
    const ids = await seedSubscribers({ "x1@example.org": "active" });
    const bad = new HttpApiTransport({ baseUrl: env.EMAIL_API_URL, apiKey: "wrong-key" });
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:http:2`), 1, deps(bad))).toMatchObject({ kind: "failed" });
    expect(await env.DB.prepare("SELECT status FROM deliveries WHERE subscriber_id = ?1").bind(ids["x1@example.org"]).first("status")).toBe("failed");
  });
});
