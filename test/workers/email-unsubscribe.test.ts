/**
 * Issue 10, item 9: the `mailto:` of List-Unsubscribe is handled. With UNSUBSCRIBE_MAILTO set
 * (Email Routing delivers that address to the Worker), each digest advertises
 * `mailto:<address>?subject=unsubscribe <token>`, and the Worker's email() handler unsubscribes
 * the token's holder; anything else is rejected. Without it, no mailto: is advertised.
 *
 * The handler gets what the runtime gives it: a ForwardableEmailMessage built from a raw
 * message (envelope from/to, the raw stream, its size, its headers, setReject), the way
 * Miniflare's local Email Routing builds it, here from the message a mail client composes from
 * the digest's mailto: URI (RFC 6068).
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { getOutboxRaw, listOutbox } from "../../src/mail/outbox.ts";
import worker from "../../src/index.ts";
import { makeArticle, makeDigestDeps } from "../helpers/fixtures.ts";
import { decodeEncodedWords, listUnsubscribeUris, parseMime } from "../helpers/mime.ts";
import { deliver } from "../helpers/queue.ts";

const WEEK = "2024-W43";
const MAILTO = "unsubscribe@example.org";
const WITH_MAILTO = { UNSUBSCRIBE_MAILTO: MAILTO } as Partial<Env>;

beforeAll(async () => {
  await buildDigest(
    env.DB,
    parseConfig(env),
    makeDigestDeps([
      makeArticle({
        slug: "drills",
        title: "Drills held",
        published: "2024-10-22T09:00:00Z",
        html: "<p>Russia and North Korea held joint drills on 22 October 2024.</p>",
      }),
    ]),
    WEEK,
  );
});

async function subscribe(email: string): Promise<number> {
  const row = await env.DB.prepare(
    "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'active', '2024-01-01', '2024-01-01') RETURNING id",
  )
    .bind(email)
    .first<{ id: number }>();
  return row!.id;
}

const status = (id: number) =>
  env.DB.prepare("SELECT status FROM subscribers WHERE id = ?1").bind(id).first<string>("status");

/** Sends `id` the digest through the Worker's queue() handler; returns the copy as received. */
async function digestCopy(id: number, email: string, vars: Partial<Env>) {
  const chunk: DigestChunkMessage = {
    kind: "digest-chunk",
    week: WEEK,
    chunkKey: `${WEEK}:mailto:${id}`,
    subscriberIds: [id],
  };
  expect((await deliver([chunk], { vars })).explicitAcks).toEqual(["msg-0"]);
  const stored = (await listOutbox(env.DB, 1000)).find((m) => m.to === email)!;
  return parseMime((await getOutboxRaw(env.DB, stored.id))!);
}

/** The raw message a mail client sends for a mailto: URI (RFC 6068: address and subject). */
function composeFromMailto(uri: string, from: string, subjectHeader?: string): string {
  const url = new URL(uri);
  expect(url.protocol).toBe("mailto:");
  const subject = url.searchParams.get("subject") ?? "";
  return [
    `From: Reader <${from}>`,
    `To: ${decodeURIComponent(url.pathname)}`,
    `Subject: ${subjectHeader ?? subject}`,
    "Date: Mon, 28 Oct 2024 09:00:00 +0000",
    `Message-ID: <${crypto.randomUUID()}@example.net>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "This message was sent by the unsubscribe button.",
    "",
  ].join("\r\n");
}

interface Received {
  readonly message: ForwardableEmailMessage;
  readonly rejected: () => string | null;
}

/** What Email Routing hands the Worker for `raw` sent from `from` to `to`. */
function incoming(raw: string, from: string, to: string): Received {
  const bytes = new TextEncoder().encode(raw);
  let rejected: string | null = null;
  const headers = new Headers(
    parseMime(raw).rawHeaders.map(([name, value]) => [name, decodeEncodedWords(value)]),
  );
  const message = {
    from,
    to,
    raw: new Response(bytes).body!,
    rawSize: bytes.length,
    headers,
    canBeForwarded: true,
    setReject(reason: string) {
      rejected = reason;
    },
    forward: () => Promise.reject(new Error("the handler must not forward")),
    reply: () => Promise.reject(new Error("the handler must not reply")),
  } as unknown as ForwardableEmailMessage;
  return { message, rejected: () => rejected };
}

/** Runs the Worker's email() handler (src/index.ts) to completion. */
async function receive(received: Received, vars: Partial<Env>): Promise<string | null> {
  const ctx = createExecutionContext();
  await (worker as ExportedHandler<Env>).email!(received.message, { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return received.rejected();
}

describe("List-Unsubscribe's mailto:, with UNSUBSCRIBE_MAILTO set", () => {
  it("advertises the recipient's token in the subject, and a message to it unsubscribes them", async () => {
    const id = await subscribe("mailto-reader@example.org");
    const copy = await digestCopy(id, "mailto-reader@example.org", WITH_MAILTO);
    const [https, mailto] = listUnsubscribeUris(copy.header("List-Unsubscribe"));
    expect(https).toMatch(new RegExp(`/unsubscribe/${id}\\.[A-Za-z0-9_-]{43}$`));
    const token = decodeURIComponent(new URL(https!).pathname.split("/").at(-1)!);
    expect(mailto).toBe(`mailto:${MAILTO}?subject=unsubscribe%20${token}`);
    expect(copy.header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");

    const raw = composeFromMailto(mailto!, "mailto-reader@example.org");
    expect(await receive(incoming(raw, "mailto-reader@example.org", MAILTO), WITH_MAILTO)).toBe(
      null,
    );
    expect(await status(id)).toBe("unsubscribed");
  });

  it("reads a subject the client encoded (RFC 2047) or prefixed, and any sender: the token is the proof", async () => {
    const id = await subscribe("encoded-subject@example.org");
    const copy = await digestCopy(id, "encoded-subject@example.org", WITH_MAILTO);
    const mailto = listUnsubscribeUris(copy.header("List-Unsubscribe"))[1]!;
    const subject = new URL(mailto).searchParams.get("subject")!;
    // Q encoding: "=", "?" and "_" escaped, spaces as "_" (RFC 2047 §4.2).
    const q = `Fwd: ${subject}`
      .replace(/[=?_]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/ /g, "_");
    const encoded = `=?UTF-8?Q?${q}?=`;
    const raw = composeFromMailto(mailto, "forwarded-to@example.net", encoded);
    expect(await receive(incoming(raw, "forwarded-to@example.net", MAILTO), WITH_MAILTO)).toBe(
      null,
    );
    expect(await status(id)).toBe("unsubscribed");
  });

  it("rejects, changing nothing, a message without a valid token or to another address", async () => {
    const id = await subscribe("stays@example.org");
    const copy = await digestCopy(id, "stays@example.org", WITH_MAILTO);
    const mailto = listUnsubscribeUris(copy.header("List-Unsubscribe"))[1]!;
    const subject = new URL(mailto).searchParams.get("subject")!;
    const forged = subject.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    const cases: [string, string][] = [
      [composeFromMailto(mailto, "x@example.net", forged), MAILTO],
      [composeFromMailto(mailto, "x@example.net", "unsubscribe me please"), MAILTO],
      [
        composeFromMailto(mailto, "x@example.net", `unsubscribe ${id + 1}.${"A".repeat(43)}`),
        MAILTO,
      ],
      // The right token, to an address that is not the unsubscribe address.
      [composeFromMailto(mailto, "x@example.net"), "digest@example.org"],
    ];
    for (const [raw, to] of cases) {
      const reason = await receive(incoming(raw, "x@example.net", to), WITH_MAILTO);
      expect(reason, raw).toMatch(/\.$/);
    }
    expect(await status(id)).toBe("active");
  });
});

describe("without UNSUBSCRIBE_MAILTO (the default)", () => {
  it("advertises the https one-click URL only, and the email() handler accepts nothing", async () => {
    const id = await subscribe("no-mailto@example.org");
    const copy = await digestCopy(id, "no-mailto@example.org", {});
    const uris = listUnsubscribeUris(copy.header("List-Unsubscribe"));
    expect(uris).toHaveLength(1);
    expect(uris[0]).toMatch(/^http:\/\/localhost:8787\/unsubscribe\//);
    // Even a message carrying the right token: no address is configured to receive it.
    const token = decodeURIComponent(new URL(uris[0]!).pathname.split("/").at(-1)!);
    const raw = composeFromMailto(
      `mailto:${MAILTO}?subject=unsubscribe%20${token}`,
      "no-mailto@example.org",
    );
    expect(await receive(incoming(raw, "no-mailto@example.org", MAILTO), {})).toBe(
      "This address does not receive mail.",
    );
    expect(await status(id)).toBe("active");
  });
});
