/**
 * Secrets and admin logins (issue 10, item 8): a placeholder or short ADMIN_TOKEN or
 * TOKEN_SECRET turns off what it guards (503, and a log line naming the variable and what is
 * expected) instead of running on a guessable value; failed admin logins are counted per client
 * network (IPv6 per /64), and too many get 429 with Retry-After, even for the right token.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { DEFAULT_LOGIN_THROTTLE } from "../../src/http/admin-auth.ts";
import { networkOf } from "../../src/http/client-network.ts";
import { weakSecret } from "../../src/http/secrets.ts";
import { toBase64Url } from "../../src/lib/base64.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlText } from "../helpers/html.ts";
import { recordingQueue } from "../helpers/queue.ts";

const TOKEN = "test-admin-token-0123456789abcdefghij";
const { maxFailures, windowSeconds } = DEFAULT_LOGIN_THROTTLE;

afterEach(() => vi.restoreAllMocks());

function quietLog() {
  vi.spyOn(console, "warn").mockImplementation(() => {});
  return vi.spyOn(console, "error").mockImplementation(() => {});
}

describe("weakSecret", () => {
  it("names the variable and what is expected for unset, placeholder, short and patterned values", () => {
    expect(weakSecret("ADMIN_TOKEN", undefined)).toMatch(
      /^ADMIN_TOKEN is not set: expected at least 32 random characters/,
    );
    expect(weakSecret("TOKEN_SECRET", "  ")).toMatch(/^TOKEN_SECRET is not set/);
    // The values .dev.vars.example ships.
    expect(weakSecret("ADMIN_TOKEN", "change-me-admin-token")).toMatch(
      /^ADMIN_TOKEN is a placeholder/,
    );
    expect(weakSecret("TOKEN_SECRET", "change-me-token-secret")).toMatch(
      /^TOKEN_SECRET is a placeholder/,
    );
    expect(weakSecret("TOKEN_SECRET", "CHANGE_ME_but_long_enough_0123456789")).toMatch(
      /placeholder/,
    );
    expect(weakSecret("ADMIN_TOKEN", "test-admin-token")).toBe(
      "ADMIN_TOKEN is 16 characters long: expected at least 32 random characters, e.g. from `openssl rand -base64 32`, set with `npx wrangler secret put ADMIN_TOKEN` (locally in .dev.vars)",
    );
    expect(weakSecret("ADMIN_TOKEN", "ab".repeat(20))).toMatch(/repeats a few characters/);
  });

  it("accepts what npm start generates (scripts/dev-vars.ts: 32 random bytes, base64url)", () => {
    for (let i = 0; i < 50; i++) {
      const adminToken = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
      expect(adminToken).toHaveLength(43);
      expect(weakSecret("ADMIN_TOKEN", adminToken)).toBeNull();
      expect(
        weakSecret("TOKEN_SECRET", toBase64Url(crypto.getRandomValues(new Uint8Array(32)))),
      ).toBeNull();
    }
    expect(weakSecret("ADMIN_TOKEN", TOKEN)).toBeNull();
    expect(weakSecret("TOKEN_SECRET", env.TOKEN_SECRET)).toBeNull();
  });
});

describe("a weak secret turns off what it guards", () => {
  it("admin with a placeholder or short ADMIN_TOKEN: 503 and a log line, even with that token", async () => {
    for (const [token, says] of [
      [
        "change-me-admin-token",
        /^refused \(503\): ADMIN_TOKEN is a placeholder .*: expected at least 32 random characters/,
      ],
      [
        "short-admin-token",
        /^refused \(503\): ADMIN_TOKEN is 17 characters long: expected at least 32/,
      ],
    ] as const) {
      const errors = quietLog();
      const { request } = makeApp([makeArticle()], { ADMIN_TOKEN: token });
      for (const [path, method] of [
        ["/admin", "GET"],
        ["/admin/outbox.json", "GET"],
        ["/admin/digests/2024-W30/rebuild", "POST"],
      ] as [string, string][]) {
        const res = await request(path, { method, headers: { Authorization: `Bearer ${token}` } });
        expect(res.status, `${token} ${path}`).toBe(503);
        const page = await res.text();
        expect(await htmlText(page, "h1")).toBe("Unavailable");
        expect(page).not.toContain(token);
      }
      expect(errors).toHaveBeenCalledWith(expect.stringMatching(says));
      vi.restoreAllMocks();
    }
  });

  it("sending with a placeholder TOKEN_SECRET: 503 and nothing enqueued, since links could be forged", async () => {
    const errors = quietLog();
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const { request } = makeApp(
      [makeArticle({ slug: "weak-secret-week", published: "2024-07-23T09:00:00Z" })],
      { TOKEN_SECRET: "change-me-token-secret", DIGEST_QUEUE: queue },
    );
    const headers = { Authorization: `Bearer ${TOKEN}` };
    expect(
      (await request("/admin/digests/2024-W30/rebuild", { method: "POST", headers })).status,
    ).toBe(200);
    await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('weak-secret@example.org', 'active', '2024-01-01', '2024-01-01')",
    ).run();
    const res = await request("/admin/digests/2024-W30/send", { method: "POST", headers });
    expect(res.status).toBe(503);
    expect(await htmlText(await res.text(), "main p")).toContain(
      "Sending is off until the operator sets a strong TOKEN_SECRET secret",
    );
    expect(sent).toEqual([]);
    expect(errors).toHaveBeenCalledWith(
      expect.stringMatching(/^refused \(503\): TOKEN_SECRET is a placeholder/),
    );
  });
});

describe("failed admin logins", () => {
  /** An app whose requests come from `ip`, with `token` as the admin's Bearer. */
  function from(ip: string, token: string | null) {
    const { request } = makeApp([makeArticle()]);
    return () =>
      request("/admin", {
        headers: {
          "CF-Connecting-IP": ip,
          ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
        },
      });
  }

  async function failures(client: string): Promise<number | null> {
    return env.DB.prepare("SELECT failures FROM admin_login_failures WHERE client = ?1")
      .bind(client)
      .first<number>("failures");
  }

  it(`allow ${maxFailures} per client in ${windowSeconds} s, then 429 with Retry-After, even for the right token`, async () => {
    quietLog();
    const wrong = from("203.0.113.10", "not-the-token-but-long-enough-0123456789");
    for (let i = 0; i < maxFailures; i++) expect((await wrong()).status, `try ${i + 1}`).toBe(401);
    const blocked = await wrong();
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(windowSeconds - 60);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    expect(await blocked.text()).toMatch(
      /^Too many failed admin logins from your network: try again in \d+ seconds\.\n$/,
    );
    // Right token, same client: still refused, or the guessing would simply go on.
    expect((await from("203.0.113.10", TOKEN)()).status).toBe(429);
    // Another client is not affected.
    expect((await from("203.0.113.11", TOKEN)()).status).toBe(200);

    // Once the window is over (moved back here, as time would), the right token gets in and the
    // count starts again.
    await env.DB.prepare(
      "UPDATE admin_login_failures SET window_start = window_start - ?1 WHERE client = '203.0.113.10'",
    )
      .bind(windowSeconds)
      .run();
    expect((await from("203.0.113.10", TOKEN)()).status).toBe(200);
    expect((await wrong()).status).toBe(401);
    expect(await failures("203.0.113.10")).toBe(1);
  });

  it(`allow exactly ${maxFailures} failures to 50 wrong guesses sent at once (the count was read, then written, so 12 to 32 got 401)`, async () => {
    quietLog();
    const wrong = from("203.0.113.50", "not-the-token-but-long-enough-0123456789");
    const answers = await Promise.all(Array.from({ length: 50 }, () => wrong()));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(maxFailures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - maxFailures);
    for (const res of answers.filter((r) => r.status === 429)) {
      const retryAfter = Number(res.headers.get("Retry-After"));
      expect(retryAfter).toBeGreaterThan(windowSeconds - 60);
      expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    }
    // The right token is refused too until the window ends.
    expect((await from("203.0.113.50", TOKEN)()).status).toBe(429);
  });

  it("count an IPv6 client per /64, whatever address of it each request uses", async () => {
    quietLog();
    for (let i = 0; i < maxFailures; i++) {
      const res = await from(
        `2001:db8:aa:bb::${(i + 1).toString(16)}`,
        "wrong-token-that-is-long-enough-0123456789",
      )();
      expect(res.status).toBe(401);
    }
    expect(await failures("2001:db8:aa:bb::/64")).toBe(maxFailures);
    expect((await from("2001:0db8:00aa:00bb:ffff:1:2:3", TOKEN)()).status).toBe(429);
    expect((await from("2001:db8:aa:bc::1", TOKEN)()).status).toBe(200);
  });

  it("do not count a request without credentials (a browser's first try), and a login clears the count", async () => {
    quietLog();
    const anonymous = from("198.51.100.20", null);
    for (let i = 0; i < maxFailures + 5; i++) expect((await anonymous()).status).toBe(401);
    expect(await failures("198.51.100.20")).toBeNull();
    const wrong = from("198.51.100.20", "wrong-token-that-is-long-enough-0123456789");
    for (let i = 0; i < maxFailures - 1; i++) expect((await wrong()).status).toBe(401);
    expect((await from("198.51.100.20", TOKEN)()).status).toBe(200);
    expect(await failures("198.51.100.20")).toBeNull();
    for (let i = 0; i < maxFailures; i++) expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(429);
  });
});

describe("the admin login challenge", () => {
  it("offers a browser the Basic challenge alone (Chromium ignores a field that lists Bearer too), a script Bearer first", async () => {
    const { request } = makeApp([makeArticle()]);
    const browser = await request("/admin", {
      headers: { Accept: "text/html,application/xhtml+xml", "Sec-Fetch-Mode": "navigate" },
    });
    expect(browser.status).toBe(401);
    expect(browser.headers.get("WWW-Authenticate")).toBe('Basic realm="admin", charset="UTF-8"');
    const script = await request("/admin", { headers: { Accept: "application/json" } });
    expect(script.headers.get("WWW-Authenticate")).toBe(
      'Bearer realm="admin", Basic realm="admin", charset="UTF-8"',
    );
  });
});

describe("client networks", () => {
  it("are an IPv4 address, or an IPv6 /64 in one spelling whatever the address's text form", () => {
    expect(networkOf("192.0.2.7")).toBe("192.0.2.7");
    expect(networkOf(" 192.0.2.7 ")).toBe("192.0.2.7");
    for (const ip of [
      "2001:db8:0:1::1",
      "2001:DB8:0:1:ffff:ffff:ffff:ffff",
      "2001:0db8:0000:0001:0000:0000:0000:0001",
      "2001:db8::1:0:0:0:1",
      "2001:db8:0:1::1%eth0",
      "2001:db8:0:1:0:0:192.0.2.1",
    ])
      expect(networkOf(ip), ip).toBe("2001:db8:0:1::/64");
    expect(networkOf("::1")).toBe("0:0:0:0::/64");
    // An IPv4 client seen through a dual-stack socket is that IPv4 client.
    expect(networkOf("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(networkOf("::FFFF:c000:0207")).toBe("192.0.2.7");
    for (const bad of [
      null,
      "",
      "unknown",
      "256.1.1.1",
      "1.2.3",
      "2001:db8::1::2",
      "2001:db8:0:1:2:3:4:5:6",
      "12345::1",
      "::ffff:999.0.0.1",
    ])
      expect(networkOf(bad), String(bad)).toBe("unknown");
  });
});
