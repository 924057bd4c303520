/**
 * The admin in a browser: the login challenge, the send confirmation page, HTML results for
 * every action (scripts keep their JSON), and the consent IPs' retention.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.ts";
import { weekOf, weekRange } from "../../src/lib/time.ts";
import { forgetOldConsentIps } from "../../src/subscriptions/admin-store.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlTexts } from "../helpers/html.ts";

const TOKEN = "test-admin-token-0123456789abcdefghij";
const BEARER = { Authorization: `Bearer ${TOKEN}` };
/** What Chromium sends when a person opens /admin (a top-level navigation). */
const CHROMIUM_NAVIGATION = {
  Accept:
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
  "Sec-Fetch-Dest": "document",
  "Sec-Fetch-Mode": "navigate",
  "Sec-Fetch-Site": "none",
  "User-Agent":
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
};
/** The same browser logged in, submitting a form of the admin's own pages. */
const BROWSER_FORM = {
  Authorization: `Basic ${btoa(`admin:${TOKEN}`)}`,
  Accept: "text/html,application/xhtml+xml",
  "Sec-Fetch-Site": "same-origin",
  "Sec-Fetch-Mode": "navigate",
};

const recentWeek = weekOf(Date.now() - 7 * 86_400_000, "UTC");
const oldWeek = "2015-W10";
const dayIn = (week: string) =>
  new Date(weekRange(week, "UTC").start.getTime() + 86_400_000 + 9 * 3_600_000).toISOString();
const articles = [recentWeek, oldWeek].map((week) =>
  makeArticle({
    slug: `drills-${week.toLowerCase()}`,
    title: `Drills in ${week}`,
    published: dayIn(week),
    html: "<p>China and Russia held joint naval drills near Vladivostok, with 12 ships taking part.</p>",
    // An editor's key point: under DIGEST_SEND=auto the digest is sent without review (what
    // the review gate holds is test/workers/review-gate.test.ts's).
    keyPoints: [
      `China and Russia held joint naval drills near Vladivostok in ${week}, with 12 ships taking part.`,
    ],
  }),
);
const { request } = makeApp(articles);

async function build(week: string): Promise<void> {
  const res = await request(`/admin/digests/${week}/rebuild`, { method: "POST", headers: BEARER });
  expect(res.status).toBe(200);
}

const activeCount = async () =>
  (await env.DB.prepare(
    "SELECT count(*) AS n FROM subscribers WHERE status = 'active'",
  ).first<number>("n"))!;

describe("the admin login challenge", () => {
  it("gives Chromium's navigation a WWW-Authenticate field holding Basic alone; scripts Bearer first", async () => {
    const browser = await request("/admin", { headers: CHROMIUM_NAVIGATION });
    expect(browser.status).toBe(401);
    expect(browser.headers.get("WWW-Authenticate")).toBe('Basic realm="admin", charset="UTF-8"');
    const curl = await request("/admin", {
      headers: { Accept: "*/*", "User-Agent": "curl/8.5.0" },
    });
    expect(curl.headers.get("WWW-Authenticate")).toBe(
      'Bearer realm="admin", Basic realm="admin", charset="UTF-8"',
    );
    // The bearer token still opens the admin, from a browser too.
    const bearer = await request("/admin", { headers: { ...CHROMIUM_NAVIGATION, ...BEARER } });
    expect(bearer.status).toBe(200);
  });
});

describe("sending a week", () => {
  it("asks first: the week, its title and how many active subscribers get it", async () => {
    await build(recentWeek);
    for (const email of ["one@send.example", "two@send.example"])
      await env.DB.prepare(
        "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'active', '2024-01-01', '2024-01-01')",
      )
        .bind(email)
        .run();
    await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('pending@send.example', 'pending', '2024-01-01', '2024-01-01')",
    ).run();
    const page = await request(`/admin/digests/${recentWeek}/send`, { headers: BROWSER_FORM });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(await htmlTexts(html, "h1")).toEqual([`Send ${recentWeek} to subscribers?`]);
    expect((await htmlTexts(html, "main p a"))[0]).toMatch(new RegExp(`\\(${recentWeek}\\)$`));
    const active = await activeCount();
    expect(await htmlTexts(html, "main p strong")).toEqual([String(active)]);
    expect(await htmlTexts(html, "[role=alert]")).toEqual([]);
    // Send now, or later at a chosen time (docs/sending.md).
    expect(await htmlTexts(html, "form[method=post] button")).toEqual([
      `Send to ${active} subscribers`,
      "Send at this time",
    ]);

    // Its button: the browser gets a page saying what happened, not JSON.
    const sent = await request(`/admin/digests/${recentWeek}/send`, {
      method: "POST",
      headers: BROWSER_FORM,
    });
    expect(sent.status).toBe(202);
    expect(sent.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(await htmlTexts(await sent.text(), "h1")).toEqual(["Sending"]);
  });

  it("warns about a week that ended over a month ago", async () => {
    await build(oldWeek);
    const html = await (
      await request(`/admin/digests/${oldWeek}/send`, { headers: BROWSER_FORM })
    ).text();
    expect((await htmlTexts(html, "[role=alert]"))[0]).toContain("more than a month ago");
    expect((await request("/admin/digests/2016-W10/send", { headers: BROWSER_FORM })).status).toBe(
      404,
    );
  });

  it("is offered on the admin page as a link to that confirmation, not a one-click form", async () => {
    await build(oldWeek);
    const html = await (await request("/admin", { headers: BROWSER_FORM })).text();
    expect(await htmlTexts(html, `a[href$="/admin/digests/${oldWeek}/send"]`)).toEqual([
      "Send to subscribers…",
    ]);
    expect(await htmlTexts(html, `form[action$="/send"]`)).toEqual([]);
  });
});

describe("action results", () => {
  it("answer a browser with an HTML page and a script (Bearer, or Accept: application/json) with JSON", async () => {
    await build(oldWeek);
    const test = (headers: Record<string, string>) =>
      request(`/admin/digests/${oldWeek}/test`, {
        method: "POST",
        headers,
        body: new URLSearchParams({ email: "tester@results.example" }),
      });
    const page = await test(BROWSER_FORM);
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(await htmlTexts(html, "h1")).toEqual(["Test sent"]);
    expect((await htmlTexts(html, "[role=status]"))[0]).toContain("tester@results.example");
    expect(await (await test(BEARER)).json()).toEqual({
      week: oldWeek,
      to: "tester@results.example",
      sent: true,
    });
    const asked = await test({ ...BROWSER_FORM, Accept: "application/json" });
    expect(asked.headers.get("Content-Type")).toMatch(/^application\/json/);

    await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('bouncer@results.example', 'active', '2024-01-01', '2024-01-01')",
    ).run();
    const suppressed = await request("/admin/subscribers/suppress", {
      method: "POST",
      headers: BROWSER_FORM,
      body: new URLSearchParams({ email: "bouncer@results.example", reason: "bounced" }),
    });
    expect(await htmlTexts(await suppressed.text(), "h1")).toEqual(["Address suppressed"]);
    const rebuilt = await request(`/admin/digests/${oldWeek}/rebuild`, {
      method: "POST",
      headers: BROWSER_FORM,
    });
    expect(await htmlTexts(await rebuilt.text(), "h1")).toEqual(["Digest rebuilt"]);
  });
});

describe("consent IP retention", () => {
  it("removes IPs of consent records older than the retention, keeping the records", async () => {
    const subscriber = (await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('retained@ip.example', 'active', '2024-01-01', '2024-01-01') RETURNING id",
    ).first<number>("id"))!;
    const consent = (requested: string, confirmed: string | null) =>
      env.DB.prepare(
        "INSERT INTO consents (subscriber_id, email, requested_at, request_ip, form, consent_text_version, confirmed_at, confirm_ip) VALUES (?1, 'retained@ip.example', ?2, '198.51.100.7', 'home', 'v1', ?3, ?4) RETURNING id",
      )
        .bind(subscriber, requested, confirmed, confirmed === null ? null : "203.0.113.9")
        .first<number>("id");
    const now = new Date("2026-06-01T00:00:00Z");
    const old = (await consent("2025-05-01T00:00:00Z", "2025-05-01T01:00:00Z"))!;
    // Requested before the cutoff, confirmed after it: only the request's IP goes.
    const straddling = (await consent("2025-05-31T00:00:00Z", "2025-06-02T00:00:00Z"))!;
    const recent = (await consent("2026-05-01T00:00:00Z", null))!;

    expect(await forgetOldConsentIps(env.DB, 365, now)).toBe(3);
    const row = (id: number) =>
      env.DB.prepare(
        "SELECT email, requested_at, request_ip, confirmed_at, confirm_ip FROM consents WHERE id = ?1",
      )
        .bind(id)
        .first();
    expect(await row(old)).toEqual({
      email: "retained@ip.example",
      requested_at: "2025-05-01T00:00:00Z",
      request_ip: null,
      confirmed_at: "2025-05-01T01:00:00Z",
      confirm_ip: null,
    });
    expect(await row(straddling)).toMatchObject({ request_ip: null, confirm_ip: "203.0.113.9" });
    expect(await row(recent)).toMatchObject({ request_ip: "198.51.100.7" });
    // Running it again changes nothing.
    expect(await forgetOldConsentIps(env.DB, 365, now)).toBe(0);
  });

  it("is CONSENT_IP_RETENTION_DAYS, 365 by default, a whole number of days", () => {
    expect(parseConfig({}).mail.consentIpRetentionDays).toBe(365);
    expect(parseConfig({ CONSENT_IP_RETENTION_DAYS: "30" }).mail.consentIpRetentionDays).toBe(30);
    for (const bad of ["0", "-5", "1.5", "a year"])
      expect(() => parseConfig({ CONSENT_IP_RETENTION_DAYS: bad })).toThrow(
        new ConfigError(
          `CONSENT_IP_RETENTION_DAYS is "${bad}": expected a whole number from 1 to 36500`,
        ),
      );
  });
});
