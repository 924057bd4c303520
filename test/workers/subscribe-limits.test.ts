/**
 * Sign-up abuse (issue 10, item 2): budgets per client network (an IPv6 /64 is one), at most
 * one confirmation email per address per 10 minutes and three a day whoever signs it up,
 * earlier links that keep working, and sign-ups that never change an unsubscribed or
 * suppressed address. Real D1 and the outbox transport throughout.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { listOutbox, OutboxTransport } from "../../src/mail/outbox.ts";
import { processSignUp, type SignUpOutcome } from "../../src/subscriptions/service.ts";
import { suppress } from "../../src/subscriptions/store.ts";
import { unsubscribeToken } from "../../src/subscriptions/tokens.ts";
import { makeApp } from "../helpers/fixtures.ts";

const BASE = "http://localhost:8787";
const { app } = makeApp([]);

/** POST /subscribe from `ip`, then waits for the work done after answering (waitUntil). */
async function signUp(email: string, ip: string) {
  const ctx = createExecutionContext();
  const res = await app.request(
    "/subscribe",
    {
      method: "POST",
      body: new URLSearchParams({ email, form: "home" }),
      headers: { "CF-Connecting-IP": ip },
    },
    env,
    ctx,
  );
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, body };
}

const post = (path: string, body?: string) =>
  exports.default.fetch(
    new Request(`${BASE}${path}`, {
      method: "POST",
      ...(body === undefined
        ? {}
        : { body, headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
    }),
  );

/** The confirmation links mailed to `email`, oldest first. */
async function linksTo(email: string): Promise<string[]> {
  const mails = (await listOutbox(env.DB, 10_000)).filter((m) => m.to === email).reverse();
  return mails.map((m) => {
    const link = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec(m.text)?.[0];
    if (!link) throw new Error(`no confirmation link in:\n${m.text}`);
    return new URL(link).pathname;
  });
}

async function row(email: string) {
  return env.DB.prepare("SELECT id, status, updated_at FROM subscribers WHERE email = ?1")
    .bind(email)
    .first<{ id: number; status: string; updated_at: string }>();
}

async function insertSubscriber(email: string, status: string): Promise<number> {
  const inserted = await env.DB.prepare(
    "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, ?2, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z') RETURNING id",
  )
    .bind(email, status)
    .first<{ id: number }>();
  return inserted!.id;
}

/** The state-dependent half of a sign-up at a chosen time, as the route runs it after answering. */
function signUpAt(email: string, at: number): Promise<SignUpOutcome> {
  const config = parseConfig(env);
  return processSignUp(
    env.DB,
    { email, ip: "198.51.100.1", form: "home" },
    { config, mail: config.mail, transport: new OutboxTransport(env.DB), now: new Date(at) },
  );
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("per client network", () => {
  it("counts every address of an IPv6 /64 as one client, however it is written", async () => {
    const statuses: number[] = [];
    for (const [i, ip] of [
      "2001:db8:aa:bb::1",
      "2001:db8:aa:bb:ffff:ffff:ffff:fffe",
      "2001:0DB8:00AA:00BB:0000:0000:0000:0003",
      "2001:db8:aa:bb:1:2:3:4",
      "2001:db8:aa:bb::192.0.2.1",
      "2001:db8:aa:bb::6",
    ].entries())
      statuses.push((await signUp(`net64-${i}@example.org`, ip)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // The neighbouring /64 is another customer, with its own budget.
    expect((await signUp("net64-next@example.org", "2001:db8:aa:bc::1")).status).toBe(200);
  });

  it("counts an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address", async () => {
    const statuses: number[] = [];
    for (const [i, ip] of [
      "192.0.2.150",
      "::ffff:192.0.2.150",
      "::FFFF:c000:0296",
      "0:0:0:0:0:ffff:192.0.2.150",
      "192.0.2.150",
      "::ffff:192.0.2.150",
    ].entries())
      statuses.push((await signUp(`mapped-${i}@example.org`, ip)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe("per address", () => {
  it("mails an address once, whoever signs it up from however many networks", async () => {
    const answers = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const res = await signUp("victim@example.org", `2001:db8:${i.toString(16)}:1::1`);
      expect(res.status).toBe(200);
      answers.add(res.body);
    }
    expect(answers.size).toBe(1);
    expect(await linksTo("victim@example.org")).toHaveLength(1);
  });

  it("sends at most one link per 10 minutes and three a day", async () => {
    const t0 = Date.now() - 30 * HOUR;
    const outcomes: SignUpOutcome[] = [];
    for (const at of [
      t0,
      t0 + 9 * MINUTE, // within 10 minutes of the first
      t0 + 10 * MINUTE + 1000,
      t0 + 2 * HOUR,
      t0 + 3 * HOUR, // a fourth within 24 hours
      t0 + 24 * HOUR + MINUTE, // the first has left the day
    ])
      outcomes.push(await signUpAt("daily@example.org", at));
    expect(outcomes).toEqual(["sent", "limited", "sent", "sent", "limited", "sent"]);
    expect(await linksTo("daily@example.org")).toHaveLength(4);
  });

  it("a reader who submits the form twice gets one email, and its link works", async () => {
    await signUp("twice@example.org", "203.0.113.60");
    await signUp("twice@example.org", "203.0.113.60");
    const links = await linksTo("twice@example.org");
    expect(links).toHaveLength(1);
    expect((await post(links[0]!)).status).toBe(200);
    expect((await row("twice@example.org"))!.status).toBe("active");
  });

  it("a later sign-up sends a new link and leaves the earlier one working", async () => {
    const t0 = Date.now() - 30 * MINUTE;
    expect(await signUpAt("again@example.org", t0)).toBe("sent");
    expect(await signUpAt("again@example.org", t0 + 15 * MINUTE)).toBe("sent");
    const [first, second] = await linksTo("again@example.org");
    expect(first).not.toBe(second);
    const confirmed = await post(first!);
    expect(confirmed.status).toBe(200);
    expect((await row("again@example.org"))!.status).toBe("active");
    // Once one link is used the address's other links are spent.
    expect((await post(second!)).status).toBe(404);
  });
});

describe("what a sign-up may change", () => {
  it("leaves an unsubscribed address unsubscribed until its new link is used", async () => {
    const id = await insertSubscriber("left@example.org", "active");
    const token = await unsubscribeToken(env.TOKEN_SECRET, { id, email: "left@example.org" });
    expect((await post(`/unsubscribe/${token}`, "List-Unsubscribe=One-Click")).status).toBe(200);
    const before = await row("left@example.org");
    expect(before!.status).toBe("unsubscribed");

    // Someone else signs the address up: one email, no change.
    expect((await signUp("left@example.org", "203.0.113.61")).status).toBe(200);
    expect(await row("left@example.org")).toEqual(before);
    const [link] = await linksTo("left@example.org");

    // The owner clicks the link: back, after a new opt-in.
    expect((await post(link!)).status).toBe(200);
    expect((await row("left@example.org"))!.status).toBe("active");
  });

  it("an unsubscribe spends the links still pending", async () => {
    const id = await insertSubscriber("changed-mind@example.org", "active");
    const token = await unsubscribeToken(env.TOKEN_SECRET, {
      id,
      email: "changed-mind@example.org",
    });
    await post(`/unsubscribe/${token}`, "List-Unsubscribe=One-Click");
    await signUp("changed-mind@example.org", "203.0.113.62");
    const [link] = await linksTo("changed-mind@example.org");
    await post(`/unsubscribe/${token}`, "List-Unsubscribe=One-Click");
    expect((await post(link!)).status).toBe(404);
    expect((await row("changed-mind@example.org"))!.status).toBe("unsubscribed");
  });

  for (const status of ["bounced", "complained"] as const) {
    it(`never mails or revives a ${status} address, not even with a link mailed before`, async () => {
      const email = `suppressed-${status}@example.org`;
      await signUp(email, "203.0.113.63");
      const [earlier] = await linksTo(email);
      expect(await suppress(env.DB, email, status, new Date())).toBe(true);
      const before = await row(email);

      // A sign-up a day later (past every per-address limit) sends nothing and changes nothing.
      expect(await signUpAt(email, Date.now() + 25 * HOUR)).toBe("not-eligible");
      expect(await linksTo(email)).toHaveLength(1);
      expect(await row(email)).toEqual(before);

      // The link mailed while it was pending no longer confirms.
      expect((await post(earlier!)).status).toBe(404);
      expect((await row(email))!.status).toBe(status);
    });
  }

  it("sends nothing to an active address and leaves it as it is", async () => {
    await insertSubscriber("reading@example.org", "active");
    const before = await row("reading@example.org");
    expect(await signUpAt("reading@example.org", Date.now())).toBe("not-eligible");
    expect(await row("reading@example.org")).toEqual(before);
    expect(await linksTo("reading@example.org")).toEqual([]);
  });
});
