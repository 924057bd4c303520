import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { listOutbox } from "../../src/mail/outbox.ts";
import { addressForEcho, normalizeEmail } from "../../src/subscriptions/address.ts";
import { unsubscribeToken } from "../../src/subscriptions/tokens.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlText, htmlTexts } from "../helpers/html.ts";

const BASE = "http://localhost:8787";
const get = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`${BASE}${path}`, init));
const form = (fields: Record<string, string>, ip = "203.0.113.7") =>
  ({
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "CF-Connecting-IP": ip },
  }) satisfies RequestInit;

const { app } = makeApp([]);
/**
 * POST /subscribe, answered; then waits for what the Worker does after answering (the
 * confirmation email is sent after the response, with waitUntil).
 */
async function signUp(fields: Record<string, string>, ip?: string, e: Env = env) {
  const ctx = createExecutionContext();
  const res = await app.request("/subscribe", form(fields, ip), e, ctx);
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, body };
}

async function subscriber(email: string) {
  return env.DB.prepare("SELECT id, status FROM subscribers WHERE email = ?1")
    .bind(email)
    .first<{ id: number; status: string }>();
}

/** The SHA-256 hashes of the address's stored confirmation links. */
async function linkHashes(email: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT token_hash FROM confirmation_tokens WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = ?1)",
  )
    .bind(email)
    .all<{ token_hash: string }>();
  return results.map((r) => r.token_hash);
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
    const res = await signUp({ email: "  Reader@Example.ORG ", form: "home" });
    expect(res.status).toBe(200);
    expect(res.body).toContain("Check your inbox");
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
    const hashes = await linkHashes("reader@example.org");
    expect(hashes).toHaveLength(1);
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[0]).not.toContain(token);

    // Mail scanners prefetch links: GET shows a form (submitted by script, or its button) and
    // changes nothing (signup-flow.test.ts checks the script).
    const page = await get(`/confirm/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(
      `<form id="confirm-form" method="post" action="${BASE}/confirm/${token}">`,
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
    await signUp({ email: "late@example.org", form: "home" });
    const token = confirmToken((await outboxTo("late@example.org"))[0]!.text);
    await env.DB.prepare(
      "UPDATE confirmation_tokens SET expires_at = '2000-01-01T00:00:00.000Z' WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = 'late@example.org')",
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
    const known = await signUp({ email: "known@example.org", form: "home" }, "203.0.113.20");
    const unknown = await signUp({ email: "stranger@example.org", form: "home" }, "203.0.113.21");
    expect(known.status).toBe(unknown.status);
    expect(known.body).toBe(unknown.body);
    // The active subscriber is not moved back to pending by someone else's request.
    expect((await subscriber("known@example.org"))!.status).toBe("active");
    expect(await outboxTo("known@example.org")).toHaveLength(0);
  });

  it("rejects a bad address with 400 and the reason on the page", async () => {
    for (const [email, reason] of [
      ["", "Please enter your email address."],
      ["no-at-sign", "expected one “@” between a name and a domain"],
      ["two words@example.org", "The part before “@” cannot contain a space"],
      ["reader@localhost", "is not a domain an email can go to"],
    ] as const) {
      const res = await signUp({ email, form: "home" }, "203.0.113.30");
      expect(res.status, email).toBe(400);
      const body = res.body;
      expect(body).toContain(reason.replaceAll("“", "“"));
      expect(body).toContain('<form class="subscribe" method="post"');
    }
  });

  it("rate-limits sign-ups per client IP", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await signUp({ email: `r${i}@example.org`, form: "home" }, "192.0.2.77")).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const other = await signUp({ email: "other@example.org", form: "home" }, "192.0.2.78");
    expect(other.status).toBe(200);
  });

  it("is off, not open, without TOKEN_SECRET", async () => {
    const { request } = makeApp([makeArticle()], { TOKEN_SECRET: "" });
    const res = await request("/subscribe", form({ email: "x@example.org", form: "home" }));
    expect(res.status).toBe(503);
  });

  it("is off with a short or placeholder TOKEN_SECRET, sends nothing, and the log says why", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      for (const [secret, why] of [
        ["change-me-token-secret-0123456789abcdef", "TOKEN_SECRET is a placeholder"],
        ["short-secret", "TOKEN_SECRET is 12 characters long"],
      ] as const) {
        const email = `weak-${secret.length}@example.org`;
        const res = await signUp({ email, form: "home" }, "203.0.113.31", {
          ...env,
          TOKEN_SECRET: secret,
        });
        expect(res.status, secret).toBe(503);
        expect(errors.mock.calls.flat().join("\n")).toContain(why);
        expect(await subscriber(email)).toBeNull();
        expect(await outboxTo(email)).toEqual([]);
      }
    } finally {
      errors.mockRestore();
    }
  });
});

/** The `value` attribute of the sign-up form's email input, as a browser reads it. */
async function echoedValue(page: string): Promise<string | null> {
  let value: string | null = null;
  await new HTMLRewriter()
    .on('input[name="email"]', {
      element(el) {
        value = el.getAttribute("value");
      },
    })
    .transform(new Response(page))
    .text();
  const references: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"' };
  return (
    (value as string | null)?.replace(
      /&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot));/gi,
      (_, dec?: string, hex?: string, named?: string) =>
        named
          ? references[named.toLowerCase()]!
          : String.fromCodePoint(parseInt(dec ?? hex!, dec ? 10 : 16)),
    ) ?? null
  );
}

describe("what a rejected sign-up shows back", () => {
  // C0/C1 controls, DEL, line/paragraph separators, bidi controls, BOM.
  const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/;

  it("cuts the address to 254 characters and drops control and bidi characters", async () => {
    const typed = `\u0000\u202Ereader\r\n${"x".repeat(2000)}\u0085@example.org`;
    const res = await signUp({ email: typed, form: "home" }, "203.0.113.32");
    expect(res.status).toBe(400);
    expect(res.body).toContain("That address is too long");
    const value = (await echoedValue(res.body))!;
    expect(Array.from(value)).toHaveLength(254);
    expect(value).toMatch(/^readerx+$/);
    expect(value).not.toMatch(UNSAFE);
  });

  it("shows a bad domain back without its control characters", async () => {
    const res = await signUp(
      { email: "reader@exa\u0007mple\u202E.org", form: "home" },
      "203.0.113.32",
    );
    expect(res.status).toBe(400);
    const [reason] = await htmlTexts(res.body, "main > p");
    expect(reason).toBe(
      "“example.org” is not a domain an email can go to: expected something like example.org.",
    );
    expect(await echoedValue(res.body)).toBe("reader@example.org");
  });

  it("echoes at most 254 characters of any input, with no control, bidi or lone surrogate", () => {
    const unsafeOrSurrogate = new RegExp(
      `${UNSAFE.source}|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]`,
    );
    const piece = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom(
        "\u0000",
        "\r\n",
        "\u202E",
        "\u2066",
        "\u0085",
        "\uD800",
        "\uDC00",
        "@",
        '<>"&',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const input = pieces.join("");
        const shown = addressForEcho(input);
        expect(Array.from(shown).length).toBeLessThanOrEqual(254);
        expect(shown).not.toMatch(unsafeOrSurrogate);
        const result = normalizeEmail(input);
        if (!result.ok) expect(result.reason).not.toMatch(unsafeOrSurrogate);
      }),
    );
  });

  it("shows a confirmation page only for a token of the right shape, never a long path back", async () => {
    const long = "A".repeat(65_000);
    const res = await get(`/confirm/${long}`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(await htmlText(body, "h1")).toBe("This link is not valid");
    expect(body).not.toContain("A".repeat(100));
  });

  it("never echoes a 10 MB field", async () => {
    const huge = "y".repeat(10 * 1024 * 1024);
    const res = await signUp({ email: `${huge}@example.org`, form: "home" }, "203.0.113.33");
    // The form routes' body limit (413) answers before the handler; the handler, reached with
    // a body under the limit, answers 400 (above). Either way, nothing of the field comes back.
    expect([400, 413]).toContain(res.status);
    expect(res.body.length).toBeLessThan(20_000);
    expect(res.body).not.toContain("y".repeat(255));
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
    const token = await unsubscribeToken(env.TOKEN_SECRET, { id, email: "leaving@example.org" });
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
    const token = await unsubscribeToken(env.TOKEN_SECRET, { id, email: "kept@example.org" });
    for (const bad of [
      token.slice(0, -2),
      `${id + 1}.${token.split(".")[1]}`,
      await unsubscribeToken("another-secret", { id, email: "kept@example.org" }),
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
    await get(
      `/unsubscribe/${await unsubscribeToken(env.TOKEN_SECRET, { id, email: "back@example.org" })}`,
      {
        method: "POST",
        body: "List-Unsubscribe=One-Click",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      },
    );
    await signUp({ email: "back@example.org", form: "home" }, "203.0.113.50");
    // Signing up again sends a link, and changes nothing until it is used.
    expect((await subscriber("back@example.org"))!.status).toBe("unsubscribed");
    const mails = await outboxTo("back@example.org");
    expect(mails).toHaveLength(1);
    const res = await get(`/confirm/${confirmToken(mails[0]!.text)}`, { method: "POST" });
    expect(res.status).toBe(200);
    expect((await subscriber("back@example.org"))!.status).toBe("active");
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
    const ok = await get("/admin", {
      headers: { Authorization: "Bearer test-admin-token-0123456789abcdefghij" },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("<h2>Subscribers</h2>");
    const basic = await get("/admin/outbox.json", {
      headers: { Authorization: `Basic ${btoa("admin:test-admin-token-0123456789abcdefghij")}` },
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
