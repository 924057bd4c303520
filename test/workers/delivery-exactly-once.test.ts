/**
 * Issue 10, item 5: delivery never doubles and never drops, when the outcome of a provider
 * request is uncertain. Each case runs the real consumer (the Worker's queue() handler, or
 * sendDigestChunk where the clock must move) against the real local HTTP provider
 * (test/helpers/email-api-server.ts), which dedupes by Idempotency-Key as Resend does: the same
 * key with the same bytes answers the first result without sending, the same key with other
 * bytes answers 409 invalid_idempotent_request, and a key still in progress 409
 * concurrent_idempotent_requests. After each case every recipient has exactly one copy, and
 * every request under one key carried the same bytes (Message-ID and Date included).
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { sendDigestChunk } from "../../src/delivery/consumer.ts";
import { enqueueDigestSend, type DigestChunkMessage } from "../../src/delivery/producer.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { HttpApiTransport } from "../../src/mail/http-api.ts";
import type { MailTransport } from "../../src/mail/transport.ts";
import { makeArticle, makeDigestDeps } from "../helpers/fixtures.ts";
import { DIGEST_DLQ_NAME, deliver, recordingQueue } from "../helpers/queue.ts";

const WEEK = "2024-W43";
/** wrangler.toml: max_retries = 6, so a message is attempted 7 times before the DLQ. */
const ATTEMPTS_BEFORE_DLQ = 7;

interface Accepted {
  key: string;
  to: string[];
  headers: Record<string, string>;
}
interface RequestRecord {
  key: string;
  bodySha256: string;
  answer: number | "dropped";
  error?: string;
}

/** The provider, in a namespace of its own for this test. */
function provider(name: string) {
  const baseUrl = `${env.EMAIL_API_URL}/ns/${name}`;
  const call = (path: string, body?: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method: body === undefined ? "GET" : "POST",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    /** [vars] that make the Worker's queue() handler send through this provider. */
    vars: { MAIL_TRANSPORT: "http", EMAIL_API_URL: baseUrl } as Partial<Env>,
    transport: () => new HttpApiTransport({ baseUrl, apiKey: "test-email-api-key" }),
    script: (steps: unknown[]) => call("/__script", steps),
    /** Resolves once a request scripted `{ hold: name }` is waiting at the provider. */
    held: (hold: string) => call(`/__held?name=${hold}`),
    release: (hold: string) => call("/__release", { name: hold }),
    received: async () => (await (await call("/__received")).json()) as Accepted[],
    requests: async () => (await (await call("/__requests")).json()) as RequestRecord[],
  };
}
type Provider = ReturnType<typeof provider>;

/** Copies each address got from the provider. */
async function copies(p: Provider): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const e of await p.received()) for (const to of e.to) out[to] = (out[to] ?? 0) + 1;
  return out;
}

/** Request bodies by idempotency key: one set of bytes per key means every retry was identical. */
async function bodiesByKey(p: Provider): Promise<Record<string, number>> {
  const byKey = new Map<string, Set<string>>();
  for (const r of await p.requests()) {
    if (!byKey.has(r.key)) byKey.set(r.key, new Set());
    byKey.get(r.key)!.add(r.bodySha256);
  }
  return Object.fromEntries([...byKey].map(([key, bodies]) => [key, bodies.size]));
}

async function seedSubscribers(emails: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const email of emails) {
    const row = await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'active', '2024-01-01', '2024-01-01') RETURNING id",
    )
      .bind(email)
      .first<{ id: number }>();
    ids.push(row!.id);
  }
  return ids;
}

async function statuses(ids: readonly number[]): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT status FROM deliveries WHERE week = ?1 AND subscriber_id IN (SELECT value FROM json_each(?2)) ORDER BY subscriber_id",
  )
    .bind(WEEK, JSON.stringify(ids))
    .all<{ status: string }>();
  return results.map((r) => r.status);
}

function chunk(ids: number[], key: string): DigestChunkMessage {
  return { kind: "digest-chunk", week: WEEK, chunkKey: `${WEEK}:${key}`, subscriberIds: ids };
}

/** A later send of the week (the operator's button, a re-run cron): producer, then consumer. */
async function sendAgain(p: Provider) {
  const { queue, sent } = recordingQueue<DigestChunkMessage>();
  await enqueueDigestSend(env.DB, queue, WEEK);
  const result = await deliver(
    sent.map((m) => m.body),
    { vars: p.vars },
  );
  return { sent, result };
}

function consumerDeps(transport: MailTransport, now: Date) {
  const config = parseConfig(env);
  return { db: env.DB, config, mail: config.mail, transport, now: () => now };
}

beforeEach(async () => {
  // One digest for the file; each test's own subscribers only (the producer enqueues everyone).
  await buildDigest(
    env.DB,
    parseConfig(env),
    makeDigestDeps([
      makeArticle({
        slug: "deployment",
        title: "Deployment reported",
        published: "2024-10-22T09:00:00Z",
        html: "<p>South Korea's intelligence service said on 18 October 2024 that 1,500 North Korean special forces were sent to Russia's Far East.</p>",
      }),
    ]),
    WEEK,
  );
  await env.DB.batch(
    ["DELETE FROM deliveries", "DELETE FROM subscribers"].map((sql) => env.DB.prepare(sql)),
  );
});

/**
 * The consumer's warnings (console.warn), silenced: the dropped connections and 503s below are
 * expected, so the tests assert what the operator reads about them instead of printing it.
 */
function operatorWarnings(): () => string {
  const spy = vi.spyOn(console, "warn").mockImplementation(() => {});
  return () => spy.mock.calls.map((args) => args.join(" ")).join("\n");
}

describe("a batch whose outcome is uncertain keeps its key, and its bytes", () => {
  afterEach(() => vi.restoreAllMocks());

  it("an accepted batch whose answer was lost, then 503s until the dead-letter queue, then a second send: one copy each", async () => {
    const p = provider("lost-answer-dlq");
    const emails = ["lost1@example.org", "lost2@example.org", "lost3@example.org"];
    const ids = await seedSubscribers(emails);
    const message = chunk(ids, "lost:0");
    await p.script(["drop", ...Array(ATTEMPTS_BEFORE_DLQ - 1).fill(503)]);
    const warnings = operatorWarnings();
    for (let attempt = 1; attempt <= ATTEMPTS_BEFORE_DLQ; attempt++) {
      const result = await deliver([message], { attempts: attempt, vars: p.vars });
      expect(
        result.retryMessages.map((m) => m.msgId),
        `attempt ${attempt}`,
      ).toEqual(["msg-0"]);
    }
    // The lost answer is a network error to retry, not a crash of the consumer.
    expect(warnings()).toMatch(
      /^digest 2024-W43: chunk 2024-W43:lost:0 will be retried in 10 s: network error: .*Network connection lost/,
    );
    expect(await copies(p)).toEqual({
      "lost1@example.org": 1,
      "lost2@example.org": 1,
      "lost3@example.org": 1,
    });
    // Queues gives up: the dead-letter queue's consumer releases the recipients…
    const dead = await deliver([message], { queue: DIGEST_DLQ_NAME, vars: p.vars });
    expect(dead.explicitAcks).toEqual(["msg-0"]);
    expect(await statuses(ids)).toEqual(["failed", "failed", "failed"]);

    // …and a later send takes them again, in a new chunk, but re-sends them under the first key.
    const again = await sendAgain(p);
    expect(again.sent.map((m) => [...m.body.subscriberIds])).toEqual([ids]);
    expect(again.sent[0]!.body.chunkKey).not.toBe(message.chunkKey);
    expect(again.result.explicitAcks).toEqual(["msg-0"]);
    expect(await statuses(ids)).toEqual(["sent", "sent", "sent"]);
    expect(await copies(p)).toEqual({
      "lost1@example.org": 1,
      "lost2@example.org": 1,
      "lost3@example.org": 1,
    });
    expect(await bodiesByKey(p)).toEqual({ [`digest:${message.chunkKey}`]: 1 });
    // The last request was answered from the provider's memory of the first: 200, not sent again.
    expect((await p.requests()).at(-1)).toMatchObject({ answer: 200 });
  });

  it("retries a 409 'still in progress', never taking it for sent", async () => {
    const p = provider("in-progress");
    const emails = ["busy1@example.org", "busy2@example.org"];
    const ids = await seedSubscribers(emails);
    const message = chunk(ids, "busy:0");
    // The first request stays in progress at the provider, and in the end fails.
    await p.script([{ hold: "first", then: 503 }]);
    const first = deliver([message], { attempts: 1, vars: p.vars });
    await p.held("first");
    // Meanwhile the queue delivers the message again (at least once): the provider says the key
    // is still in progress. Not sent: retried, and nobody is recorded as sent.
    const second = await deliver([message], { attempts: 2, vars: p.vars });
    expect(second.retryMessages.map((m) => m.msgId)).toEqual(["msg-0"]);
    expect(second.explicitAcks).toEqual([]);
    expect(await statuses(ids)).toEqual(["claimed", "claimed"]);
    expect((await p.requests()).at(-1)).toMatchObject({
      answer: 409,
      error: "concurrent_idempotent_requests",
    });
    await p.release("first");
    expect((await first).retryMessages.map((m) => m.msgId)).toEqual(["msg-0"]);
    expect(await copies(p)).toEqual({});

    const third = await deliver([message], { attempts: 3, vars: p.vars });
    expect(third.explicitAcks).toEqual(["msg-0"]);
    expect(await copies(p)).toEqual({ "busy1@example.org": 1, "busy2@example.org": 1 });
    expect(await statuses(ids)).toEqual(["sent", "sent"]);
    expect(await bodiesByKey(p)).toEqual({ [`digest:${message.chunkKey}`]: 1 });
  });

  it("a chunk that takes over a stale claim re-sends the batch under its first key", async () => {
    const p = provider("stale-claim");
    const ids = await seedSubscribers(["stale1@example.org", "stale2@example.org"]);
    const message = chunk(ids, "stale:0");
    const t0 = new Date();
    // Accepted, answer lost; then the consumer is gone for good (its isolate evicted).
    await p.script(["drop"]);
    expect(await sendDigestChunk(message, 1, consumerDeps(p.transport(), t0))).toMatchObject({
      kind: "retry",
    });
    // A second send, 16 minutes later, enqueues them again (not sent yet) and takes the claim.
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    await enqueueDigestSend(env.DB, queue, WEEK);
    expect(sent.map((m) => [...m.body.subscriberIds])).toEqual([ids]);
    const later = new Date(t0.getTime() + 16 * 60_000);
    expect(await sendDigestChunk(sent[0]!.body, 1, consumerDeps(p.transport(), later))).toEqual({
      kind: "sent",
      recipients: 2,
    });
    // The first chunk, should it come back, finds nothing left to send.
    expect(await sendDigestChunk(message, 2, consumerDeps(p.transport(), later))).toEqual({
      kind: "nothing-to-send",
    });
    expect(await copies(p)).toEqual({ "stale1@example.org": 1, "stale2@example.org": 1 });
    expect(await bodiesByKey(p)).toEqual({ [`digest:${message.chunkKey}`]: 1 });
    // Same Date on the re-send, though it ran 16 minutes later: the first attempt's.
    const [accepted] = await p.received();
    expect(accepted!.headers["Message-ID"]).toMatch(
      /^<digest\.2024-W43\.[0-9a-f]{32}@example\.org>$/,
    );
  });

  it("a consumer that crashed between the provider's answer and recording it: dead-lettered, then sent again, one copy", async () => {
    const p = provider("crash");
    const ids = await seedSubscribers(["crash1@example.org", "crash2@example.org"]);
    const message = chunk(ids, "crash:0");
    const http = p.transport();
    const crashing: MailTransport = {
      name: "http-then-crash",
      smtpUtf8: false,
      async send(messages, key) {
        expect(await http.send(messages, key)).toMatchObject({ ok: true });
        throw new Error("isolate evicted before markSent");
      },
    };
    await expect(sendDigestChunk(message, 1, consumerDeps(crashing, new Date()))).rejects.toThrow(
      "evicted",
    );
    expect(await statuses(ids)).toEqual(["claimed", "claimed"]);
    // It kept crashing until the dead-letter queue released it; a later send takes it again.
    await deliver([message], { queue: DIGEST_DLQ_NAME, vars: p.vars });
    expect(await statuses(ids)).toEqual(["failed", "failed"]);
    const again = await sendAgain(p);
    expect(again.result.explicitAcks).toEqual(["msg-0"]);
    expect(await statuses(ids)).toEqual(["sent", "sent"]);
    expect(await copies(p)).toEqual({ "crash1@example.org": 1, "crash2@example.org": 1 });
    expect(await bodiesByKey(p)).toEqual({ [`digest:${message.chunkKey}`]: 1 });
  });

  it("a batch re-sent after one of its recipients left: the provider knows the key, and no one is sent twice or dropped", async () => {
    const p = provider("left-meanwhile");
    const ids = await seedSubscribers(["stay@example.org", "leave@example.org"]);
    const message = chunk(ids, "left:0");
    await p.script(["drop"]);
    const warnings = operatorWarnings();
    expect((await deliver([message], { attempts: 1, vars: p.vars })).retryMessages).toHaveLength(1);
    expect(warnings()).toMatch(
      /^digest 2024-W43: chunk 2024-W43:left:0 will be retried in \d+ s: network error: .*Network connection lost/,
    );
    await env.DB.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE email = ?1")
      .bind("leave@example.org")
      .run();
    // The retry's batch holds one recipient, not two: the provider answers that the key was used
    // for another payload, i.e. the first request was accepted. Sent, not sent again.
    expect((await deliver([message], { attempts: 2, vars: p.vars })).explicitAcks).toEqual([
      "msg-0",
    ]);
    expect((await p.requests()).at(-1)).toMatchObject({
      answer: 409,
      error: "invalid_idempotent_request",
    });
    expect(await copies(p)).toEqual({ "stay@example.org": 1, "leave@example.org": 1 });
    expect(await statuses([ids[0]!])).toEqual(["sent"]);
    expect((await sendAgain(p)).sent).toEqual([]);
  });
});
