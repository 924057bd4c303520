/**
 * /admin/subscribers: search, status filter, pages, the CSV export (read back with an RFC 4180
 * parser written here) and deletion with its tombstone. Every test uses its own domain, since a
 * file's tests share D1.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { isTombstoned } from "../../src/subscriptions/admin-store.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlTexts } from "../helpers/html.ts";
import { htmlElements } from "../node/properties.ts";
import { parseCsv } from "../helpers/csv.ts";

const TOKEN = "test-admin-token-0123456789abcdefghij";
const BEARER = { Authorization: `Bearer ${TOKEN}` };
/** A browser logged in with Basic, on the site's own admin page. */
const BROWSER = {
  Authorization: `Basic ${btoa(`admin:${TOKEN}`)}`,
  "Sec-Fetch-Site": "same-origin",
  Accept: "text/html",
};
const { request } = makeApp([makeArticle()]);

async function addSubscriber(email: string, status = "active", ip = "192.0.2.1"): Promise<number> {
  const id = (await env.DB.prepare(
    "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, ?2, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z') RETURNING id",
  )
    .bind(email, status)
    .first<number>("id"))!;
  await env.DB.prepare(
    "INSERT INTO consents (subscriber_id, email, requested_at, request_ip, form, consent_text_version, confirmed_at, confirm_ip) VALUES (?1, ?2, '2024-01-01T00:00:00Z', ?3, 'home', 'v1', '2024-01-01T01:00:00Z', ?3)",
  )
    .bind(id, email, ip)
    .run();
  return id;
}

describe("GET /admin/subscribers", () => {
  it("finds addresses by substring (with % and _ taken literally), filters by status and pages", async () => {
    for (let i = 0; i < 55; i++)
      await addSubscriber(`reader${String(i).padStart(2, "0")}@list.example`);
    await addSubscriber("gone@list.example", "unsubscribed");
    await addSubscriber("per%cent_x@list.example");

    const json = async (query: string) =>
      (await (await request(`/admin/subscribers?${query}`, { headers: BEARER })).json()) as {
        total: number;
        subscribers: { email: string; status: string }[];
      };
    const first = await json("q=LIST.example&status=active");
    expect(first.total).toBe(56);
    expect(first.subscribers).toHaveLength(50);
    const second = await json("q=list.example&status=active&page=2");
    // Ordered by address: "per%cent_x" first, then reader00…reader54; page 2 holds the last 6.
    expect(second.subscribers.map((s) => s.email)).toEqual(
      [49, 50, 51, 52, 53, 54].map((n) => `reader${n}@list.example`),
    );
    expect(new Set([...first.subscribers, ...second.subscribers].map((s) => s.email)).size).toBe(
      56,
    );
    expect((await json("q=list.example&status=unsubscribed")).subscribers).toEqual([
      expect.objectContaining({ email: "gone@list.example", status: "unsubscribed" }),
    ]);
    expect((await json("q=%25cent_")).subscribers.map((s) => s.email)).toEqual([
      "per%cent_x@list.example",
    ]);
    expect((await json("q=r_ader")).total).toBe(0);

    // The page a browser gets: a table of addresses, with next/previous links.
    const page = await request("/admin/subscribers?q=list.example&status=active", {
      headers: BROWSER,
    });
    expect(page.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(await htmlTexts(html, "tbody td:first-child")).toHaveLength(50);
    expect(await htmlTexts(html, "a[rel=next]")).toEqual(["Next"]);
  });

  it("repeats the search in its box with bidi and control characters replaced, as the README says", async () => {
    // U+202E (right-to-left override) came back as typed, so the page could show
    // "exe.txt@…" for "…@txt.exe" (issue 15).
    const search = "evil\u202etxt.exe\u2066\u0007@bidi.example";
    const page = await request(`/admin/subscribers?q=${encodeURIComponent(search)}`, {
      headers: BROWSER,
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    const box = htmlElements(html).find((e) => e.name === "input" && e.attrs.get("name") === "q");
    expect(box?.attrs.get("value")).toBe("evil\ufffdtxt.exe\ufffd\ufffd@bidi.example");
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0007]/);
  });

  it("names a bad parameter (400)", async () => {
    for (const [query, name] of [
      ["status=gone", "status"],
      ["page=0", "page"],
      ["page=abc", "page"],
    ]) {
      const res = await request(`/admin/subscribers?${query}`, { headers: BROWSER });
      expect(res.status, query).toBe(400);
      expect((await htmlTexts(await res.text(), "main p")).join(" ")).toContain(`"${name}"`);
    }
  });
});

describe("GET /admin/subscribers.csv", () => {
  it("exports the filtered list as RFC 4180 CSV, quoting commas and quotes, defusing formulas", async () => {
    const tricky = [
      '=cmd|"/c calc"!a0@csv.example',
      "+sum@csv.example",
      "-x@csv.example",
      "@at@csv.example",
      'quote",comma@csv.example',
      "plain@csv.example",
    ];
    for (const email of tricky) await addSubscriber(email);
    await addSubscriber("bounced@csv.example", "bounced");
    const res = await request("/admin/subscribers.csv?q=csv.example&status=active", {
      headers: BEARER,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="subscribers.csv"');
    const records = parseCsv(await res.text());
    expect(records[0]).toEqual(["email", "status", "created_at", "updated_at"]);
    const emails = records.slice(1).map((r) => r[0]);
    expect(emails.sort()).toEqual(
      [
        '\'=cmd|"/c calc"!a0@csv.example',
        "'+sum@csv.example",
        "'-x@csv.example",
        "'@at@csv.example",
        'quote",comma@csv.example',
        "plain@csv.example",
      ].sort(),
    );
    for (const r of records.slice(1))
      expect(r.slice(1)).toEqual(["active", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"]);
  });
});

describe("POST /admin/subscribers/delete", () => {
  it("removes the address and its consent records, keeps only a hash, and answers a browser with a page", async () => {
    const id = await addSubscriber("forget-me@delete.example");
    await env.DB.prepare(
      "INSERT INTO outbox (created_at, idempotency_key, to_addr, subject, headers_json, body_gzip) VALUES ('2024-01-01', 'k', 'forget-me@delete.example', 's', '{}', '')",
    ).run();
    const res = await request("/admin/subscribers/delete", {
      method: "POST",
      headers: BROWSER,
      body: new URLSearchParams({ email: " Forget-Me@Delete.example " }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect((await htmlTexts(await res.text(), "h1"))[0]).toBe("Subscriber deleted");

    const count = (sql: string) =>
      env.DB.prepare(sql).bind(id, "forget-me@delete.example").first<number>("n");
    expect(await count("SELECT count(*) AS n FROM subscribers WHERE id = ?1 OR email = ?2")).toBe(
      0,
    );
    expect(
      await count("SELECT count(*) AS n FROM consents WHERE subscriber_id = ?1 OR email = ?2"),
    ).toBe(0);
    expect(await count("SELECT count(*) AS n FROM outbox WHERE to_addr = ?2 OR ?1 = 0")).toBe(0);
    // The tombstone is the SHA-256 of the address, computed here independently.
    const digest = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode("forget-me@delete.example")),
    );
    const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
    const stone = await env.DB.prepare(
      "SELECT * FROM subscriber_tombstones WHERE email_sha256 = ?1",
    )
      .bind(hex)
      .first();
    expect(stone).not.toBeNull();
    expect(JSON.stringify(stone)).not.toContain("forget-me");
    expect(await isTombstoned(env.DB, "forget-me@delete.example")).toBe(true);
    expect(await isTombstoned(env.DB, "kept@delete.example")).toBe(false);

    // A script gets JSON; an address that is not a subscriber is a 404 and leaves no tombstone.
    const again = await request("/admin/subscribers/delete", {
      method: "POST",
      headers: BEARER,
      body: new URLSearchParams({ email: "never-here@delete.example" }),
    });
    expect(again.status).toBe(404);
    expect(await isTombstoned(env.DB, "never-here@delete.example")).toBe(false);
    const bad = await request("/admin/subscribers/delete", {
      method: "POST",
      headers: BEARER,
      body: new URLSearchParams({ email: "nope" }),
    });
    expect(bad.status).toBe(400);
  });

  it("refuses a test digest to a deleted address", async () => {
    await addSubscriber("deleted-test@delete.example");
    await request("/admin/subscribers/delete", {
      method: "POST",
      headers: BEARER,
      body: new URLSearchParams({ email: "deleted-test@delete.example" }),
    });
    const res = await request("/admin/digests/2024-W43/test", {
      method: "POST",
      headers: BEARER,
      body: new URLSearchParams({ email: "deleted-test@delete.example" }),
    });
    expect(res.status).toBe(400);
    expect((await htmlTexts(await res.text(), "main p")).join(" ")).toContain("never mailed again");
  });

  it("keeps a deleted address deleted: a later sign-up records and mails nothing", async () => {
    const email = "deleted-signup@delete.example";
    await addSubscriber(email);
    await request("/admin/subscribers/delete", {
      method: "POST",
      headers: BEARER,
      body: new URLSearchParams({ email }),
    });
    const res = await request("/subscribe", {
      method: "POST",
      headers: { "CF-Connecting-IP": "203.0.113.77" },
      body: new URLSearchParams({ email }),
    });
    expect(res.status).toBe(200);
    const count = (sql: string) => env.DB.prepare(sql).bind(email).first<number>("n");
    expect(await count("SELECT count(*) AS n FROM subscribers WHERE email = ?1")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM outbox WHERE to_addr = ?1")).toBe(0);
  });
});
