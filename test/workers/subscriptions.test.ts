import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listOutbox } from "../../src/mail/outbox.ts";
import { unsubscribeToken } from "../../src/subscriptions/tokens.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";

const BASE = "http://localhost:8787";
const get = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`${BASE}${path}`, init));
const form = (fields: Record<string, string>, ip = "203.0.113.7") =>
  ({
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "CF-Connecting-IP": ip },
  }) satisfies RequestInit;

async function subscriber(email: string) {
  return env.DB.prepare("SELECT id, status, confirm_token_hash FROM subscribers WHERE email = ?1")
    .bind(email)
    .first<{ id: number; status: string; confirm_token_hash: string | null }>();
}

/** What the outbox holds for `email`, oldest first. */
async function outboxTo(email: string) {
  return (await listOutbox(env.DB, 1000)).filter((m) => m.to === email).reverse();
}

function confirmToken(text: string): string {
  const m = /\/confirm\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error(`no confirmation link in:\n${text}`);
  return m[1]!;
}

describe("double opt-in", () => {
  it("records a pending subscriber with consent, emails a single-use link, and confirms only on POST", async () => {
    const res = await get("/subscribe", form({ email: "  Reader@Example.ORG ", form: "home" }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Check your inbox");
    expect((await subscriber("reader@example.org"))!.status).toBe("pending");
    const consent = await env.DB.prepare(
      "SELECT email, request_ip, form, consent_text_version, confirmed_at FROM consents WHERE email = 'reader@example.org'",
    ).first();
    expect(consent).toEqual({
      email: "reader@example.org",
      request_ip: "203.0.113.7",
      form: "home",
      consent_text_version: "2026-11-21",
      confirmed_at: null,
    });

    const [mail] = await outboxTo("reader@example.org");
    expect(mail!.subject).toBe("Confirm your subscription to Axis Dispatch");
    const token = confirmToken(mail!.text);
    // The token is stored only as its hash.
    expect((await subscriber("reader@example.org"))!.confirm_token_hash).not.toContain(token);

    // Mail scanners prefetch links: GET shows a button and changes nothing.
    const page = await get(`/confirm/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(
      `<form method="post" action="${BASE}/confirm/${token}"><button type="submit">Confirm my subscription</button></form>`,
    );
    expect((await subscriber("reader@example.org"))!.status).toBe("pending");

    const confirmed = await get(`/confirm/${token}`, {
      method: "POST",
      headers: { "CF-Connecting-IP": "198.51.100.9" },
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("You are subscribed");
    expect((await subscriber("reader@example.org"))!.status).toBe("active");
    const done = await env.DB.prepare(
      "SELECT confirmed_at, confirm_ip FROM consents WHERE email = 'reader@example.org'",
    ).first<{ confirmed_at: string; confirm_ip: string }>();
    expect(done!.confirm_ip).toBe("198.51.100.9");
    expect(done!.confirmed_at).toMatch(/^\d{4}-/);

    // Single use.
    const again = await get(`/confirm/${token}`, { method: "POST" });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("This link is not valid");
  });

  it("refuses an expired link with 410 and leaves the subscriber pending", async () => {
    await get("/subscribe", form({ email: "late@example.org", form: "home" }));
    const token = confirmToken((await outboxTo("late@example.org"))[0]!.text);
    await env.DB.prepare(
      "UPDATE subscribers SET confirm_expires_at = '2000-01-01T00:00:00.000Z' WHERE email = 'late@example.org'",
    ).run();
    const res = await get(`/confirm/${token}`, { method: "POST" });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("This link has expired");
    expect((await subscriber("late@example.org"))!.status).toBe("pending");
  });

  it("gives the same answer for new, pending, active and unsubscribed addresses", async () => {
    await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('known@example.org', 'active', '2024-01-01', '2024-01-01')",
    ).run();
    const known = await get(
      "/subscribe",
      form({ email: "known@example.org", form: "home" }, "203.0.113.20"),
    );
    const unknown = await get(
      "/subscribe",
      form({ email: "stranger@example.org", form: "home" }, "203.0.113.21"),
    );
    expect(known.status).toBe(unknown.status);
    expect(await known.text()).toBe(await unknown.text());
    // The active subscriber is not moved back to pending by someone else's request.
    expect((await subscriber("known@example.org"))!.status).toBe("active");
    expect(await outboxTo("known@example.org")).toHaveLength(0);
  });

  it("rejects a bad address with 400 and the reason on the page", async () => {
    for (const [email, reason] of [
      ["", "Please enter your email address."],
      ["no-at-sign", "expected one “@” between a name and a domain"],
      ["two words@example.org", "has characters an address cannot have"],
      ["reader@localhost", "is not a domain an email can go to"],
    ] as const) {
      const res = await get("/subscribe", form({ email, form: "home" }, "203.0.113.30"));
      expect(res.status, email).toBe(400);
      const body = await res.text();
      expect(body).toContain(reason.replaceAll("“", "“"));
      expect(body).toContain('<form class="subscribe" method="post"');
    }
  });

  it("rate-limits sign-ups per client IP", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await get("/subscribe", form({ email: `r${i}@example.org`, form: "home" }, "192.0.2.77")))
          .status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const other = await get(
      "/subscribe",
      form({ email: "other@example.org", form: "home" }, "192.0.2.78"),
    );
    expect(other.status).toBe(200);
  });

  it("is off, not open, without TOKEN_SECRET", async () => {
    const { request } = makeApp([makeArticle()], { TOKEN_SECRET: "" });
    const res = await request("/subscribe", form({ email: "x@example.org", form: "home" }));
    expect(res.status).toBe(503);
  });
});

describe("unsubscribing", () => {
  async function activeSubscriber(email: string): Promise<number> {
    const row = await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'active', '2024-01-01', '2024-01-01') RETURNING id",
    )
      .bind(email)
      .first<{ id: number }>();
    return row!.id;
  }

  it("one-click POST (RFC 8058) unsubscribes at once with 200; GET only shows a button", async () => {
    const id = await activeSubscriber("leaving@example.org");
    const token = await unsubscribeToken("test-token-secret", id);
    const page = await get(`/unsubscribe/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit">Unsubscribe</button>');
    expect((await subscriber("leaving@example.org"))!.status).toBe("active");

    const res = await get(`/unsubscribe/${token}`, {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(200);
    expect((await subscriber("leaving@example.org"))!.status).toBe("unsubscribed");
  });

  it("rejects a forged or truncated token with 404", async () => {
    const id = await activeSubscriber("kept@example.org");
    const token = await unsubscribeToken("test-token-secret", id);
    for (const bad of [
      token.slice(0, -2),
      `${id + 1}.${token.split(".")[1]}`,
      await unsubscribeToken("another-secret", id),
    ]) {
      expect(
        (
          await get(`/unsubscribe/${bad}`, {
            method: "POST",
            body: "List-Unsubscribe=One-Click",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
          })
        ).status,
      ).toBe(404);
    }
    expect((await subscriber("kept@example.org"))!.status).toBe("active");
  });

  it("needs a new opt-in to come back", async () => {
    const id = await activeSubscriber("back@example.org");
    await get(`/unsubscribe/${await unsubscribeToken("test-token-secret", id)}`, {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    await get("/subscribe", form({ email: "back@example.org", form: "home" }, "203.0.113.50"));
    expect((await subscriber("back@example.org"))!.status).toBe("pending");
    expect(await outboxTo("back@example.org")).toHaveLength(1);
  });
});

describe("admin authentication", () => {
  it("answers 401 without a token or with a wrong one, and 200 with the right one (Bearer or Basic)", async () => {
    expect((await get("/admin")).status).toBe(401);
    expect(
      (await get("/admin/outbox.json", { headers: { Authorization: "Bearer wrong" } })).status,
    ).toBe(401);
    const noAuth = await get("/admin/outbox");
    expect(noAuth.headers.get("WWW-Authenticate")).toContain("Bearer");
    const ok = await get("/admin", { headers: { Authorization: "Bearer test-admin-token" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("<h2>Subscribers</h2>");
    const basic = await get("/admin/outbox.json", {
      headers: { Authorization: `Basic ${btoa("admin:test-admin-token")}` },
    });
    expect(basic.status).toBe(200);
    expect(
      (
        await get("/admin/digests/2024-W43/send", {
          method: "POST",
          headers: { Authorization: "Bearer nope" },
        })
      ).status,
    ).toBe(401);
  });

  it("is off (503), never open, without ADMIN_TOKEN", async () => {
    const { request } = makeApp([makeArticle()], { ADMIN_TOKEN: "" });
    expect((await request("/admin")).status).toBe(503);
    expect((await request("/admin", { headers: { Authorization: "Bearer " } })).status).toBe(503);
  });
});
