/**
 * Sending a digest: the producer's fan-out, the queue consumer's exactly-once sending, and the
 * HTTP email API transport. Fixture articles only. Nothing here goes through Miniflare's queue:
 * the producer sends to a recording queue and the test runs the Worker's queue() handler on what
 * it recorded (test/helpers/queue.ts), so every check runs after the consumer has finished.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { sendDigestChunk, type ConsumerDeps } from "../../src/delivery/consumer.ts";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { HttpApiTransport } from "../../src/mail/http-api.ts";
import { OutboxTransport } from "../../src/mail/outbox.ts";
import type { MailTransport } from "../../src/mail/transport.ts";
import type { Article } from "../../src/model/article.ts";
import { makeApp, makeArticle, makeDigestDeps } from "../helpers/fixtures.ts";
import {
  linksInHtml,
  listUnsubscribeUris,
  mailboxAddress,
  parseMime,
  urlsInText,
} from "../helpers/mime.ts";
import { DIGEST_DLQ_NAME, deliver, recordingQueue } from "../helpers/queue.ts";

const BASE = "http://localhost:8787";
const WEEK = "2024-W43";
const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };

/** The week's articles, fresh for each test. */
function weekArticles(): Article[] {
  return [
    makeArticle({
      slug: "deployment",
      title: "Deployment reported",
      published: "2024-10-22T09:00:00Z",
      html: "<p>South Korea's intelligence service reported on Friday that 1,500 North Korean special forces were sent to Russia's Far East.</p>",
    }),
  ];
}

/**
 * Builds the week's digest. Storage is shared by a file's tests, so only the first call stores
 * one; every later call finds it there and changes nothing.
 */
async function seedDigest(): Promise<Article[]> {
  const articles = weekArticles();
  await buildDigest(env.DB, parseConfig(env), makeDigestDeps(articles), WEEK);
  return articles;
}

async function seedSubscribers(statuses: Record<string, string>): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const [email, status] of Object.entries(statuses)) {
    const row = await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, ?2, '2024-01-01', '2024-01-01') RETURNING id",
    )
      .bind(email, status)
      .first<{ id: number }>();
    ids[email] = row!.id;
  }
  return ids;
}

/** How many copies of the digest each of `emails` got (storage is shared by a file's tests). */
async function digestCopies(emails: readonly string[]): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT to_addr, count(*) AS n FROM outbox WHERE subject LIKE 'Axis developments:%' AND to_addr IN (SELECT value FROM json_each(?1)) GROUP BY to_addr",
  )
    .bind(JSON.stringify(emails))
    .all<{ to_addr: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.to_addr, r.n]));
}

function deps(transport?: MailTransport): ConsumerDeps {
  const config = parseConfig(env);
  return {
    db: env.DB,
    config,
    mail: config.mail,
    transport: transport ?? new OutboxTransport(env.DB),
  };
}

function chunk(ids: number[], key = `${WEEK}:test:0`): DigestChunkMessage {
  return { kind: "digest-chunk", week: WEEK, chunkKey: key, subscriberIds: ids };
}

const emlText = async (res: Response) => new TextDecoder().decode(await res.arrayBuffer());

describe("sending a digest through the queue", () => {
  // The producer enqueues every active subscriber not yet sent the week: each test here starts
  // with none, whatever the file's earlier tests left in the shared storage.
  beforeEach(async () => {
    await env.DB.batch(
      ["DELETE FROM deliveries", "DELETE FROM consents", "DELETE FROM subscribers"].map((sql) =>
        env.DB.prepare(sql),
      ),
    );
  });

  it("sends each active subscriber one real MIME message with one-click unsubscribe, and a second send adds nothing", async () => {
    const articles = await seedDigest();
    const ids = await seedSubscribers({
      "a@example.org": "active",
      "b@example.org": "active",
      "c@example.org": "active",
      "gone@example.org": "unsubscribed",
      "bounce@example.org": "bounced",
      "spam@example.org": "complained",
      "new@example.org": "pending",
    });
    const everyone = Object.keys(ids);
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    // The fixture's items are extracted: DIGEST_SEND=always lets it out without review (what the
    // review gate holds is review-gate.test.ts's; here, how a send is delivered).
    const { request } = makeApp(articles, { DIGEST_QUEUE: queue, DIGEST_SEND: "always" });
    const send = () => request(`/admin/digests/${WEEK}/send`, { method: "POST", headers: ADMIN });

    const res = await send();
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ week: WEEK, recipients: 3, messages: 1 });
    expect(sent).toHaveLength(1);
    const active = [ids["a@example.org"]!, ids["b@example.org"]!, ids["c@example.org"]!];
    expect([...sent[0]!.body.subscriberIds].sort((x, y) => x - y)).toEqual(
      active.sort((x, y) => x - y),
    );

    const result = await deliver(sent.map((m) => m.body));
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(result.retryMessages).toEqual([]);
    const copies = await digestCopies(everyone);
    expect(copies).toEqual({ "a@example.org": 1, "b@example.org": 1, "c@example.org": 1 });

    // a@example.org's copy, as stored and as the raw message the outbox rebuilds.
    const list = (await (await request("/admin/outbox.json", { headers: ADMIN })).json()) as {
      id: number;
      to: string;
      text: string;
      html: string;
    }[];
    const stored = list.find((m) => m.to === "a@example.org")!;
    const mime = parseMime(
      await emlText(await request(`/admin/outbox/${stored.id}.eml`, { headers: ADMIN })),
    );
    expect(mime.header("Subject")).toMatch(/^Axis developments: 21\s–\s27 October 2024$/u);
    expect(mailboxAddress(mime.header("From"))).toBe("digest@example.org");
    expect(mailboxAddress(mime.header("To"))).toBe("a@example.org");
    expect(Number.isNaN(Date.parse(mime.header("Date")!))).toBe(false);
    // Derived from the digest, the batch and the recipient: the same on every retry.
    expect(mime.header("Message-ID")).toMatch(/^<digest\.2024-W43\.[0-9a-f]{32}@example\.org>$/);
    expect(mime.header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    // No mailto: without UNSUBSCRIBE_MAILTO (nothing would receive it): the one-click URL only.
    const uris = listUnsubscribeUris(mime.header("List-Unsubscribe"));
    expect(uris).toHaveLength(1);
    const unsubscribeUrl = uris[0]!;
    expect(unsubscribeUrl).toMatch(
      new RegExp(`^${BASE}/unsubscribe/${ids["a@example.org"]}\\.[A-Za-z0-9_-]{43}$`),
    );
    expect(mime.contentType.mediaType).toBe("multipart/alternative");
    expect(mime.parts.map((p) => p.contentType.mediaType)).toEqual(["text/plain", "text/html"]);
    // The parts decode to what was stored, with the same personal link in the HTML and the text.
    expect(mime.parts[0]!.body).toBe(stored.text);
    expect(mime.parts[1]!.body).toBe(stored.html);
    expect(await linksInHtml(stored.html)).toContain(unsubscribeUrl);
    expect(urlsInText(stored.text)).toContain(unsubscribeUrl);
    expect(stored.text).toContain("1,500 North Korean special forces");

    // A second send of the same week enqueues no one.
    const again = await send();
    expect(await again.json()).toMatchObject({ recipients: 0, messages: 0 });
    expect(sent).toHaveLength(1);
    // Queues deliver at least once: the same chunk delivered again is acked and sends nothing.
    const redelivered = await deliver(
      sent.map((m) => m.body),
      { attempts: 2 },
    );
    expect(redelivered.explicitAcks).toEqual(["msg-0"]);
    expect(await digestCopies(everyone)).toEqual(copies);

    // The personal link is a's: one click unsubscribes a, and only a.
    const click = await request(new URL(unsubscribeUrl).pathname, {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(click.status).toBe(200);
    const statuses = await env.DB.prepare(
      "SELECT email, status FROM subscribers WHERE email IN ('a@example.org', 'b@example.org') ORDER BY email",
    ).all();
    expect(statuses.results).toEqual([
      { email: "a@example.org", status: "unsubscribed" },
      { email: "b@example.org", status: "active" },
    ]);
  });

  it("splits a send into chunks of at most 100 recipients, each sent once", async () => {
    const articles = await seedDigest();
    const emails = Array.from({ length: 205 }, (_, i) => `bulk${i}@example.org`);
    await seedSubscribers(Object.fromEntries(emails.map((e) => [e, "active"])));
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const res = await makeApp(articles, { DIGEST_QUEUE: queue, DIGEST_SEND: "always" }).request(
      `/admin/digests/${WEEK}/send`,
      { method: "POST", headers: ADMIN },
    );
    expect(await res.json()).toMatchObject({ recipients: 205, messages: 3 });
    expect(sent.map((m) => m.body.subscriberIds.length)).toEqual([100, 100, 5]);
    expect(new Set(sent.map((m) => m.body.chunkKey)).size).toBe(3);

    const result = await deliver(sent.map((m) => m.body));
    expect(result.explicitAcks).toEqual(["msg-0", "msg-1", "msg-2"]);
    const copies = await digestCopies(emails);
    expect(Object.keys(copies)).toHaveLength(205);
    expect(new Set(Object.values(copies))).toEqual(new Set([1]));
  });
});

describe("the consumer, exactly once", () => {
  beforeEach(async () => {
    await seedDigest();
  });

  it("acks, and a retried chunk sends nothing twice", async () => {
    const ids = await seedSubscribers({ "r1@example.org": "active", "r2@example.org": "active" });
    const message = chunk(Object.values(ids));
    for (let attempt = 1; attempt <= 2; attempt++) {
      const result = await deliver([message], { attempts: attempt });
      expect(result.explicitAcks).toEqual(["msg-0"]);
      expect(result.retryMessages).toEqual([]);
      expect(await digestCopies(Object.keys(ids))).toEqual({
        "r1@example.org": 1,
        "r2@example.org": 1,
      });
    }
  });

  it("a consumer that crashed after sending resends nothing when the message is retried", async () => {
    const ids = await seedSubscribers({ "c1@example.org": "active", "c2@example.org": "active" });
    const outbox = new OutboxTransport(env.DB);
    const crashing: MailTransport = {
      name: "crashing",
      smtpUtf8: false,
      async send(messages, key) {
        await outbox.send(messages, key);
        throw new Error("worker evicted after the provider accepted the batch");
      },
    };
    await expect(sendDigestChunk(chunk(Object.values(ids)), 1, deps(crashing))).rejects.toThrow(
      "evicted",
    );
    expect(await sendDigestChunk(chunk(Object.values(ids)), 2, deps())).toEqual({
      kind: "sent",
      recipients: 2,
    });
    expect(await digestCopies(Object.keys(ids))).toEqual({
      "c1@example.org": 1,
      "c2@example.org": 1,
    });
    const { results } = await env.DB.prepare(
      "SELECT status FROM deliveries WHERE week = ?1 AND subscriber_id IN (?2, ?3)",
    )
      .bind(WEEK, ids["c1@example.org"], ids["c2@example.org"])
      .all();
    expect(results).toEqual([{ status: "sent" }, { status: "sent" }]);
  });

  it("checks suppression at send time, and two chunks never both hold a recipient", async () => {
    const ids = await seedSubscribers({ "s1@example.org": "active", "s2@example.org": "active" });
    await env.DB.prepare(
      "UPDATE subscribers SET status = 'unsubscribed' WHERE email = 's2@example.org'",
    ).run();
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:x:1`), 1, deps())).toEqual({
      kind: "sent",
      recipients: 1,
    });
    // Another send's chunk with the same people finds no one left to send.
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:y:1`), 1, deps())).toEqual({
      kind: "nothing-to-send",
    });
    expect(await digestCopies(Object.keys(ids))).toEqual({ "s1@example.org": 1 });
  });

  it("never sends to an address the operator marked as bounced or complaining", async () => {
    const ids = await seedSubscribers({
      "hard@example.org": "active",
      "soft@example.org": "active",
    });
    const { request } = makeApp(weekArticles());
    const mark = (email: string, reason: string) =>
      request("/admin/subscribers/suppress", {
        method: "POST",
        headers: ADMIN,
        body: new URLSearchParams({ email, reason }),
      });
    expect((await mark("HARD@example.org", "bounced")).status).toBe(200);
    expect((await mark("soft@example.org", "complained")).status).toBe(200);
    expect((await mark("soft@example.org", "annoyed")).status).toBe(400);
    expect((await mark("nobody@example.org", "bounced")).status).toBe(404);
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:supp:0`), 1, deps())).toEqual({
      kind: "nothing-to-send",
    });
    expect(await digestCopies(Object.keys(ids))).toEqual({});
  });

  it("releases dead-lettered chunks so a later send reaches their recipients", async () => {
    const ids = await seedSubscribers({ "d1@example.org": "active" });
    const failing: MailTransport = {
      name: "down",
      smtpUtf8: false,
      send: async () => ({ ok: false, retryable: true, status: 503, message: "down" }),
    };
    const outcome = await sendDigestChunk(
      chunk(Object.values(ids), `${WEEK}:dead:0`),
      1,
      deps(failing),
    );
    expect(outcome).toMatchObject({ kind: "retry" });
    const dead = await deliver([chunk(Object.values(ids), `${WEEK}:dead:0`)], {
      queue: DIGEST_DLQ_NAME,
    });
    expect(dead.explicitAcks).toEqual(["msg-0"]);
    expect(
      await env.DB.prepare("SELECT status FROM deliveries WHERE subscriber_id = ?1")
        .bind(ids["d1@example.org"])
        .first("status"),
    ).toBe("failed");
    expect(await digestCopies(Object.keys(ids))).toEqual({});
    expect(await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:later:0`), 1, deps())).toEqual({
      kind: "sent",
      recipients: 1,
    });
    expect(await digestCopies(Object.keys(ids))).toEqual({ "d1@example.org": 1 });
  });
});

describe("the HTTP email API transport, against a real server on 127.0.0.1", () => {
  // This file's own namespace of the server (test/helpers/email-api-server.ts).
  const baseUrl = `${env.EMAIL_API_URL}/ns/delivery-test`;
  const api = (path: string, body?: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method: body === undefined ? "GET" : "POST",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const http = () => new HttpApiTransport({ baseUrl, apiKey: "test-email-api-key" });

  beforeEach(async () => {
    await seedDigest();
    await api("/__reset", {});
  });

  it("retries 429 (honouring Retry-After) and 5xx with backoff, then sends once", async () => {
    const ids = await seedSubscribers({ "h1@example.org": "active", "h2@example.org": "active" });
    await api("/__script", [429, 503]);
    const first = await sendDigestChunk(
      chunk(Object.values(ids), `${WEEK}:http:0`),
      1,
      deps(http()),
    );
    expect(first).toMatchObject({ kind: "retry" });
    expect(first.kind === "retry" && first.delaySeconds).toBeGreaterThanOrEqual(10);
    const second = await sendDigestChunk(
      chunk(Object.values(ids), `${WEEK}:http:0`),
      2,
      deps(http()),
    );
    expect(second.kind === "retry" && second.delaySeconds).toBe(20);
    expect(
      await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:http:0`), 3, deps(http())),
    ).toEqual({ kind: "sent", recipients: 2 });
    const received = (await (await api("/__received")).json()) as {
      to: string[];
      key: string;
      headers: Record<string, string>;
    }[];
    expect(received.map((r) => r.to[0]).sort()).toEqual(["h1@example.org", "h2@example.org"]);
    expect(received[0]!.key).toBe(`digest:${WEEK}:http:0`);
    expect(received[0]!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  });

  it("does not send twice when the provider accepted a batch but the consumer crashed before recording it", async () => {
    const ids = await seedSubscribers({ "k1@example.org": "active" });
    const crashing: MailTransport = {
      name: "http-then-crash",
      smtpUtf8: false,
      async send(messages, key) {
        await http().send(messages, key);
        throw new Error("crashed before markSent");
      },
    };
    await expect(
      sendDigestChunk(chunk(Object.values(ids), `${WEEK}:http:1`), 1, deps(crashing)),
    ).rejects.toThrow();
    expect(
      await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:http:1`), 2, deps(http())),
    ).toEqual({ kind: "sent", recipients: 1 });
    const received = (await (await api("/__received")).json()) as unknown[];
    expect(received).toHaveLength(1);
  });

  it("gives up on a 4xx that retrying cannot fix, releasing the recipients", async () => {
    const ids = await seedSubscribers({ "x1@example.org": "active" });
    const bad = new HttpApiTransport({ baseUrl, apiKey: "wrong-key" });
    expect(
      await sendDigestChunk(chunk(Object.values(ids), `${WEEK}:http:2`), 1, deps(bad)),
    ).toMatchObject({ kind: "failed" });
    expect(
      await env.DB.prepare("SELECT status FROM deliveries WHERE subscriber_id = ?1")
        .bind(ids["x1@example.org"])
        .first("status"),
    ).toBe("failed");
  });
});
