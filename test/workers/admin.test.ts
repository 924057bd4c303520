/**
 * The admin's digest actions: POST /admin/digests/{week}/rebuild and /admin/digests/{week}/test.
 * Fixture articles only; every week here is used by one test (storage is shared by a file's tests).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDigest } from "../../src/digest/store.ts";
import { listOutbox } from "../../src/mail/outbox.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlText } from "../helpers/html.ts";
import {
  linksInHtml,
  listUnsubscribeUris,
  mailboxAddress,
  parseMime,
  urlsInText,
} from "../helpers/mime.ts";

const BASE = "http://localhost:8787"; // wrangler.toml's BASE_URL
const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };
/** An .eml response's bytes as text (message/rfc822 is 7-bit ASCII when well formed). */
const emlText = async (res: Response) => new TextDecoder().decode(await res.arrayBuffer());
const post = (
  fields?: Record<string, string>,
  headers: Record<string, string> = ADMIN,
): RequestInit => ({
  method: "POST",
  headers,
  ...(fields ? { body: new URLSearchParams(fields) } : {}),
});

/** Two articles published on the Tuesday of `monday`'s week (UTC). */
function weekArticles(monday: string, deployment = "1,500 North Korean special forces") {
  const tuesday = new Date(Date.parse(`${monday}T00:00:00Z`) + 86_400_000)
    .toISOString()
    .slice(0, 10);
  return [
    makeArticle({
      slug: `deployment-${monday}`,
      title: "Deployment reported",
      published: `${tuesday}T09:00:00Z`,
      html: `<p>South Korea's intelligence service reported on Friday that ${deployment} were sent to Russia's Far East.</p>`,
    }),
    makeArticle({
      slug: `drills-${monday}`,
      title: "Joint drills",
      published: `${tuesday}T15:00:00Z`,
      html: "<p>China and Russia held joint naval drills near Vladivostok on 22 October, with 12 ships taking part.</p>",
    }),
  ];
}

async function rowCount(week: string): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM digests WHERE week = ?1")
    .bind(week)
    .first<number>("n"))!;
}

describe("POST /admin/digests/{week}/rebuild", () => {
  it("creates a missing digest, leaves an unchanged one alone, and replaces one whose articles changed", async () => {
    const week = "2024-W43";
    const original = weekArticles("2024-10-21");
    const { request } = makeApp(original);

    const created = await request(`/admin/digests/${week}/rebuild`, post());
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({ week, outcome: "created" });
    const first = (await getDigest(env.DB, week))!;
    expect(first.articleCount).toBe(2);
    expect(first.text).toContain("1,500 North Korean special forces were sent");

    // The same articles again: nothing is written, not even the updated time.
    const unchanged = await request(`/admin/digests/${week}/rebuild`, post());
    expect(await unchanged.json()).toEqual({ week, outcome: "unchanged" });
    expect(await getDigest(env.DB, week)).toEqual(first);

    // The operator corrected an article (same id and slug): the stored digest follows, keeping its id.
    const corrected = original.map((a) =>
      a.slug.startsWith("deployment-") ? { ...a, html: a.html.replace("1,500", "3,000") } : a,
    );
    const replaced = await makeApp(corrected).request(`/admin/digests/${week}/rebuild`, post());
    expect(await replaced.json()).toEqual({ week, outcome: "replaced" });
    const second = (await getDigest(env.DB, week))!;
    expect(second.id).toBe(first.id);
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.contentHash).not.toBe(first.contentHash);
    expect(second.text).toContain("3,000 North Korean special forces were sent");
    expect(second.text).not.toContain("1,500");
    expect(await rowCount(week)).toBe(1);
  });

  it("answers 404 for a week without articles and stores nothing", async () => {
    const { request } = makeApp(weekArticles("2024-10-21"));
    const res = await request("/admin/digests/2023-W05/rebuild", post());
    expect(res.status).toBe(404);
    expect(await htmlText(await res.text(), "p")).toContain(
      "2023-W05 has no articles, so it has no digest.",
    );
    expect(await rowCount("2023-W05")).toBe(0);
  });

  it("answers 400 for a malformed week and 401 without the admin token, building nothing", async () => {
    const { request } = makeApp(weekArticles("2024-11-04"));
    for (const bad of ["2024-W99", "2024-W53", "last-week", "2024-45"]) {
      const res = await request(`/admin/digests/${bad}/rebuild`, post());
      expect(res.status, bad).toBe(400);
      expect(await htmlText(await res.text(), "p"), bad).toContain(
        "is not an ISO week: expected YYYY-Www",
      );
    }
    for (const headers of [{}, { Authorization: "Bearer wrong-token" }] as Record<
      string,
      string
    >[]) {
      const res = await request("/admin/digests/2024-W45/rebuild", post(undefined, headers));
      expect(res.status).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer realm="admin"/);
    }
    expect(await rowCount("2024-W45")).toBe(0);
  });
});

describe("POST /admin/digests/{week}/test", () => {
  async function outboxTo(email: string) {
    return (await listOutbox(env.DB, 1000)).filter((m) => m.to === email);
  }

  it("validates the email field, and answers 404 when the week has no digest", async () => {
    const { request } = makeApp(weekArticles("2024-11-11"));
    for (const fields of [
      {},
      { email: "" },
      { email: "not an address" },
      { email: "a@b" },
    ] as Record<string, string>[]) {
      const res = await request("/admin/digests/2024-W46/test", post(fields));
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await htmlText(await res.text(), "p")).toMatch(/^Field "email": /);
    }
    const missing = await request(
      "/admin/digests/2024-W46/test",
      post({ email: "editor@example.org" }),
    );
    expect(missing.status).toBe(404);
    expect(await htmlText(await missing.text(), "p")).toContain("There is no digest for 2024-W46.");
    expect(
      (await request("/admin/digests/2024-W99/test", post({ email: "editor@example.org" }))).status,
    ).toBe(400);
    const anonymous = await request(
      "/admin/digests/2024-W46/test",
      post({ email: "editor@example.org" }, {}),
    );
    expect(anonymous.status).toBe(401);
    expect(await outboxTo("editor@example.org")).toEqual([]);
  });

  it("sends one [Test] copy whose unsubscribe links lead to the info page, never to a subscriber's token", async () => {
    const week = "2024-W47";
    const { request } = makeApp(weekArticles("2024-11-18"));
    expect((await request(`/admin/digests/${week}/rebuild`, post())).status).toBe(200);
    // The address is also an active subscriber: the test copy must still carry no token of theirs.
    await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('editor-test@example.org', 'active', '2024-01-01', '2024-01-01')",
    ).run();

    const res = await request(
      `/admin/digests/${week}/test`,
      post({ email: " Editor-Test@Example.ORG " }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ week, to: "editor-test@example.org", sent: true });

    const copies = await outboxTo("editor-test@example.org");
    expect(copies).toHaveLength(1);
    const stored = copies[0]!;
    const unsubscribeInfo = `${BASE}/unsubscribe`;

    // The message as it would leave: the outbox's .eml, read with an independent MIME reader.
    const eml = await request(`/admin/outbox/${stored.id}.eml`, { headers: ADMIN });
    expect(eml.status).toBe(200);
    expect(eml.headers.get("Content-Type")).toBe("message/rfc822");
    const message = parseMime(await emlText(eml));
    expect(mailboxAddress(message.header("To"))).toBe("editor-test@example.org");
    expect(mailboxAddress(message.header("From"))).toBe("digest@example.org");
    expect(message.header("Subject")).toMatch(
      /^\[Test\] Axis developments: 18\s–\s24 November 2024$/u,
    );
    // A test copy has no token, and no mailto: is advertised without Email Routing (the default).
    expect(listUnsubscribeUris(message.header("List-Unsubscribe"))).toEqual([unsubscribeInfo]);
    expect(message.contentType.mediaType).toBe("multipart/alternative");
    expect(message.parts.map((p) => p.contentType.mediaType)).toEqual(["text/plain", "text/html"]);

    // Its text and HTML as stored (the parts' bodies: see the test below for their MIME encoding).
    const textUnsubscribe = urlsInText(stored.text).filter((u) => u.includes("/unsubscribe"));
    expect(textUnsubscribe.length).toBeGreaterThan(0);
    expect(new Set(textUnsubscribe)).toEqual(new Set([unsubscribeInfo]));
    const htmlUnsubscribe = (await linksInHtml(stored.html)).filter((u) =>
      u.includes("/unsubscribe"),
    );
    expect(htmlUnsubscribe.length).toBeGreaterThan(0);
    expect(new Set(htmlUnsubscribe)).toEqual(new Set([unsubscribeInfo]));
    expect(stored.text).toContain("1,500 North Korean special forces were sent");

    // The info page the links lead to exists.
    expect((await request("/unsubscribe")).status).toBe(200);
    // A test is not a delivery: the subscriber is still owed the real digest.
    const deliveries = await env.DB.prepare("SELECT count(*) AS n FROM deliveries WHERE week = ?1")
      .bind(week)
      .first<number>("n");
    expect(deliveries).toBe(0);
  });

  // Regression (issue 10, item 4): both parts were declared `Content-Transfer-Encoding: base64`
  // but written as plain text, so every decoder (mail clients included) read garbage or failed.
  it("sends the test copy's text and HTML as MIME parts that decode to what was stored", async () => {
    const week = "2024-W48";
    const { request } = makeApp(weekArticles("2024-11-25"));
    expect((await request(`/admin/digests/${week}/rebuild`, post())).status).toBe(200);
    expect(
      (await request(`/admin/digests/${week}/test`, post({ email: "mime-test@example.org" })))
        .status,
    ).toBe(200);
    const [stored] = await outboxTo("mime-test@example.org");
    const message = parseMime(
      await emlText(await request(`/admin/outbox/${stored!.id}.eml`, { headers: ADMIN })),
    );
    const [text, html] = message.parts;
    expect(text!.body).toBe(stored!.text);
    expect(html!.body).toBe(stored!.html);
    expect(new Set(urlsInText(text!.body).filter((u) => u.includes("/unsubscribe")))).toEqual(
      new Set([`${BASE}/unsubscribe`]),
    );
    expect(
      new Set((await linksInHtml(html!.body)).filter((u) => u.includes("/unsubscribe"))),
    ).toEqual(new Set([`${BASE}/unsubscribe`]));
  });
});
