/**
 * Admin forms against cross-site request forgery (issue 10, item 1). A browser resends Basic
 * credentials with a form another site submits, so every state-changing admin request from a
 * page that is not ours is refused (403) and changes nothing; our own pages' forms and scripts
 * with the bearer token still work. And no other site may frame /admin.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { listOutbox } from "../../src/mail/outbox.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlText } from "../helpers/html.ts";
import { recordingQueue } from "../helpers/queue.ts";

const TOKEN = "test-admin-token-0123456789abcdefghij";
const BEARER = `Bearer ${TOKEN}`;
/** What a browser sends after the admin logged in: Basic, with the token as the password. */
const BASIC = `Basic ${btoa(`admin:${TOKEN}`)}`;
/** wrangler.toml's BASE_URL: the origin of the admin pages' forms. */
const SITE = "http://localhost:8787";

/** The headers a browser puts on a form submitted by a page of `origin` to this site. */
const FORGED: Record<string, Record<string, string>> = {
  "a page on another site": { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
  "a sibling subdomain": { Origin: "http://evil.localhost:8787", "Sec-Fetch-Site": "same-site" },
  "an old browser without fetch metadata": { Origin: "https://evil.example" },
  "a sandboxed frame or data: page": { Origin: "null", "Sec-Fetch-Site": "cross-site" },
  "an opaque origin without fetch metadata": { Origin: "null" },
  "a user-started request without an origin": { "Sec-Fetch-Site": "none" },
  "fetch metadata only": { "Sec-Fetch-Site": "cross-site" },
  "no Origin at all": {},
};
/**
 * Ours: the admin page at BASE_URL posting its own form, as Chromium sends it. Our pages'
 * `Referrer-Policy: no-referrer` makes a browser send `Origin: null` with a form post.
 */
const OWN_PAGE = { Origin: "null", "Sec-Fetch-Site": "same-origin" };

function form(fields: Record<string, string>, headers: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  };
}

/** An app with a digest for 2024-W37 and a recording digest queue. */
async function setUp() {
  const { queue, sent } = recordingQueue<DigestChunkMessage>();
  const app = makeApp(
    [
      makeArticle({ slug: "csrf-one", published: "2024-09-10T09:00:00Z" }),
      makeArticle({ slug: "csrf-two", published: "2024-09-11T09:00:00Z" }),
    ],
    { DIGEST_QUEUE: queue },
  );
  const built = await app.request("/admin/digests/2024-W37/rebuild", {
    method: "POST",
    headers: { Authorization: BEARER },
  });
  expect(built.status).toBe(200);
  return { request: app.request, sent };
}

async function addSubscriber(email: string): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'active', '2024-01-01', '2024-01-01')",
  )
    .bind(email)
    .run();
}

async function statusOf(email: string): Promise<string | null> {
  return env.DB.prepare("SELECT status FROM subscribers WHERE email = ?1")
    .bind(email)
    .first<string>("status");
}

async function outboxTo(email: string) {
  return (await listOutbox(env.DB, 1000)).filter((m) => m.to === email);
}

describe("admin actions from other sites' pages", () => {
  it("are refused with 403 and change nothing, even with the admin's Basic credentials", async () => {
    const { request, sent } = await setUp();
    await addSubscriber("csrf-reader@example.org");
    await addSubscriber("csrf-victim@example.org");

    for (const [from, headers] of Object.entries(FORGED)) {
      const withCredentials = { ...headers, Authorization: BASIC };
      const test = await request(
        "/admin/digests/2024-W37/test",
        form({ email: "outsider@evil.example" }, withCredentials),
      );
      expect(test.status, `test from ${from}`).toBe(403);
      expect(await htmlText(await test.text(), "p")).toContain(
        "Admin actions are accepted from this site’s own admin pages, or from scripts with Authorization: Bearer",
      );
      const suppress = await request(
        "/admin/subscribers/suppress",
        form({ email: "csrf-victim@example.org", reason: "complained" }, withCredentials),
      );
      expect(suppress.status, `suppress from ${from}`).toBe(403);
      const send = await request("/admin/digests/2024-W37/send", form({}, withCredentials));
      expect(send.status, `send from ${from}`).toBe(403);
      const rebuild = await request("/admin/digests/2024-W37/rebuild", form({}, withCredentials));
      expect(rebuild.status, `rebuild from ${from}`).toBe(403);
    }

    // Nothing happened: no test mail, the victim is still subscribed, nothing was enqueued.
    expect(await outboxTo("outsider@evil.example")).toEqual([]);
    expect(await statusOf("csrf-victim@example.org")).toBe("active");
    expect(sent).toEqual([]);
    const deliveries = await env.DB.prepare(
      "SELECT count(*) AS n FROM deliveries WHERE week = '2024-W37'",
    ).first<number>("n");
    expect(deliveries).toBe(0);
  });

  it("work from the admin's own pages, and from scripts with the bearer token", async () => {
    const { request, sent } = await setUp();
    await addSubscriber("csrf-own-page@example.org");

    const asOwnPage = { ...OWN_PAGE, Authorization: BASIC };
    const test = await request(
      "/admin/digests/2024-W37/test",
      form({ email: "editor-csrf@example.org" }, asOwnPage),
    );
    expect(test.status).toBe(200);
    expect(await outboxTo("editor-csrf@example.org")).toHaveLength(1);
    // A browser that names the origin: BASE_URL's is ours.
    const named = await request(
      "/admin/digests/2024-W37/test",
      form(
        { email: "editor-csrf-2@example.org" },
        { Origin: SITE, "Sec-Fetch-Site": "same-origin", Authorization: BASIC },
      ),
    );
    expect(named.status).toBe(200);
    // The request's own origin is ours too (the site opened at another address than BASE_URL).
    const sameOrigin = await request(
      "/admin/subscribers/suppress",
      form(
        { email: "csrf-own-page@example.org", reason: "bounced" },
        { Origin: "http://localhost", Authorization: BASIC },
      ),
    );
    expect(sameOrigin.status).toBe(200);
    expect(await statusOf("csrf-own-page@example.org")).toBe("bounced");

    // A script: Bearer, whatever else it sends (no browser attaches a bearer token by itself).
    await addSubscriber("csrf-script@example.org");
    const script = await request(
      "/admin/digests/2024-W37/send",
      form({}, { ...FORGED["a page on another site"], Authorization: BEARER }),
    );
    expect(script.status).toBe(202);
    expect(sent.length).toBeGreaterThan(0);
    const plainScript = await request(
      "/admin/subscribers/suppress",
      form({ email: "csrf-script@example.org", reason: "complained" }, { Authorization: BEARER }),
    );
    expect(plainScript.status).toBe(200);
  });

  it("leave reading alone, and no page can be framed", async () => {
    const { request } = await setUp();
    // A link from elsewhere to /admin opens it (GET changes nothing) …
    const res = await request("/admin", {
      headers: { Authorization: BASIC, "Sec-Fetch-Site": "cross-site" },
    });
    expect(res.status).toBe(200);
    // … but not inside another site's frame.
    const policy = res.headers.get("Content-Security-Policy") ?? "";
    expect(policy.split(";").map((d) => d.trim())).toContain("frame-ancestors 'none'");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    // Without credentials a forged post is simply unauthenticated.
    const anonymous = await request(
      "/admin/digests/2024-W37/send",
      form({}, FORGED["a page on another site"]!),
    );
    expect(anonymous.status).toBe(401);
  });
});
