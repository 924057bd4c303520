/**
 * POST /webhooks/email: Svix-signed bounce and complaint events (as Resend sends them) suppress
 * the address; forged, stale, replayed and malformed messages change nothing. Signed here with an
 * independent Node-style HMAC over Web Crypto, exactly as Svix's manual verification describes.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";

const KEY = Uint8Array.from({ length: 24 }, (_, i) => i * 7 + 3);
const SECRET = `whsec_${btoa(String.fromCharCode(...KEY))}`;
const { request } = makeApp([makeArticle()], { EMAIL_WEBHOOK_SECRET: SECRET } as Partial<Env>);

async function sign(id: string, timestamp: string, body: string, key = KEY): Promise<string> {
  const hmac = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign(
    "HMAC",
    hmac,
    new TextEncoder().encode(`${id}.${timestamp}.${body}`),
  );
  return btoa(String.fromCharCode(...new Uint8Array(mac)));
}

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

function deliver(body: string, headers: Record<string, string>) {
  return request("/webhooks/email", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
}

async function signedDelivery(id: string, body: string, timestamp = nowSeconds()) {
  return deliver(body, {
    "svix-id": id,
    "svix-timestamp": timestamp,
    "svix-signature": `v1,${await sign(id, timestamp, body)}`,
  });
}

async function activeSubscriber(email: string): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'active', '2024-01-01', '2024-01-01')",
  )
    .bind(email)
    .run();
}

const statusOf = (email: string) =>
  env.DB.prepare("SELECT status FROM subscribers WHERE email = ?1")
    .bind(email)
    .first<string>("status");

const event = (type: string, to: unknown) =>
  JSON.stringify({ type, created_at: "2026-11-29T10:00:00.000Z", data: { email_id: "e1", to } });

describe("POST /webhooks/email", () => {
  it("marks a bounced address bounced and a complaining one complained", async () => {
    await activeSubscriber("bouncing@example.org");
    await activeSubscriber("Complaining@example.org".toLowerCase());
    const bounced = await signedDelivery(
      "msg_bounce_1",
      event("email.bounced", ["Bouncing@Example.org"]),
    );
    expect(bounced.status).toBe(200);
    expect(await bounced.json()).toEqual({ id: "msg_bounce_1", outcome: "bounced", suppressed: 1 });
    expect(await statusOf("bouncing@example.org")).toBe("bounced");
    const complained = await signedDelivery(
      "msg_complaint_1",
      event("email.complained", "complaining@example.org"),
    );
    expect(complained.status).toBe(200);
    expect(await statusOf("complaining@example.org")).toBe("complained");
  });

  it("accepts any one valid signature of several (secret rotation)", async () => {
    await activeSubscriber("rotating@example.org");
    const body = event("email.bounced", ["rotating@example.org"]);
    const ts = nowSeconds();
    const other = await sign("msg_rotate", ts, body, new Uint8Array(24).fill(9));
    const res = await deliver(body, {
      "svix-id": "msg_rotate",
      "svix-timestamp": ts,
      "svix-signature": `v1,${other} v1,${await sign("msg_rotate", ts, body)}`,
    });
    expect(res.status).toBe(200);
    expect(await statusOf("rotating@example.org")).toBe("bounced");
  });

  it("refuses a wrong signature, another key's, a tampered body or missing headers (401), changing nothing", async () => {
    await activeSubscriber("forged@example.org");
    const body = event("email.bounced", ["forged@example.org"]);
    const ts = nowSeconds();
    const good = await sign("msg_forged", ts, body);
    const attempts: Record<string, string>[] = [
      {
        "svix-id": "msg_forged",
        "svix-timestamp": ts,
        "svix-signature": `v1,${btoa("x".repeat(32))}`,
      },
      {
        "svix-id": "msg_forged",
        "svix-timestamp": ts,
        "svix-signature": `v1,${await sign("msg_forged", ts, body, new Uint8Array(24))}`,
      },
      // The right MAC for another id: the id is part of what is signed.
      { "svix-id": "msg_other", "svix-timestamp": ts, "svix-signature": `v1,${good}` },
      { "svix-id": "msg_forged", "svix-timestamp": ts, "svix-signature": `v2,${good}` },
      { "svix-id": "msg_forged", "svix-timestamp": ts },
      {},
    ];
    for (const headers of attempts) {
      const res = await deliver(body, headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(/svix/);
    }
    const tampered = await deliver(body.replace("forged@", "other@"), {
      "svix-id": "msg_forged",
      "svix-timestamp": ts,
      "svix-signature": `v1,${good}`,
    });
    expect(tampered.status).toBe(401);
    expect(await statusOf("forged@example.org")).toBe("active");
  });

  it("refuses a correctly signed message whose timestamp is over 5 minutes old or ahead", async () => {
    await activeSubscriber("stale@example.org");
    const body = event("email.bounced", ["stale@example.org"]);
    for (const offset of [-301, 301]) {
      const ts = String(Math.floor(Date.now() / 1000) + offset);
      const res = await signedDelivery(`msg_stale_${offset}`, body, ts);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toContain("svix-timestamp");
    }
    expect(await statusOf("stale@example.org")).toBe("active");
  });

  it("handles each svix-id once: a replay changes nothing, even after the operator restored the address", async () => {
    await activeSubscriber("replayed@example.org");
    const body = event("email.bounced", ["replayed@example.org"]);
    expect((await signedDelivery("msg_replay", body)).status).toBe(200);
    await env.DB.prepare(
      "UPDATE subscribers SET status = 'active' WHERE email = 'replayed@example.org'",
    ).run();
    const replay = await signedDelivery("msg_replay", body);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ id: "msg_replay", outcome: "already handled" });
    expect(await statusOf("replayed@example.org")).toBe("active");
  });

  it("answers 400 naming the problem for a signed but malformed body, and ignores other event types", async () => {
    for (const [id, body, problem] of [
      ["msg_bad_1", "{not json", "not JSON"],
      ["msg_bad_2", JSON.stringify({ data: {} }), '"type"'],
      ["msg_bad_3", event("email.bounced", []), "data.to"],
      ["msg_bad_4", event("email.bounced", ["not an address"]), "data.to"],
    ] as const) {
      const res = await signedDelivery(id, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain(problem);
    }
    const delivered = await signedDelivery(
      "msg_delivered",
      event("email.delivered", ["x@example.org"]),
    );
    expect(await delivered.json()).toEqual({
      id: "msg_delivered",
      outcome: "ignored",
      suppressed: 0,
    });
  });

  it("records a type named like an Object.prototype member as ignored, once (it answered 500 or 400, and was retried for ever)", async () => {
    await activeSubscriber("proto@example.org");
    for (const [i, type] of ["__proto__", "constructor", "toString", "hasOwnProperty"].entries()) {
      const id = `msg_proto_${i}`;
      const body = event(type, ["proto@example.org"]);
      const res = await signedDelivery(id, body);
      expect(res.status, type).toBe(200);
      expect(await res.json(), type).toEqual({ id, outcome: "ignored", suppressed: 0 });
      // Recorded as handled: the provider's retry of the same message changes nothing.
      const retried = await signedDelivery(id, body);
      expect(await retried.json(), type).toEqual({ id, outcome: "already handled" });
      const recorded = await env.DB.prepare(
        "SELECT count(*) AS n FROM webhook_events WHERE id = ?1",
      )
        .bind(id)
        .first<number>("n");
      expect(recorded, type).toBe(1);
    }
    expect(await statusOf("proto@example.org")).toBe("active");
  });

  it("is off (503) without a signing secret", async () => {
    const { request: unconfigured } = makeApp([makeArticle()]);
    const body = event("email.bounced", ["x@example.org"]);
    const ts = nowSeconds();
    const res = await unconfigured("/webhooks/email", {
      method: "POST",
      headers: {
        "svix-id": "m",
        "svix-timestamp": ts,
        "svix-signature": `v1,${await sign("m", ts, body)}`,
      },
      body,
    });
    expect(res.status).toBe(503);
  });
});
