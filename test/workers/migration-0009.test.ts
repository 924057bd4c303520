/**
 * migrations/0009 (issue 15, item 2) rebuilds the subscribers table, which consents,
 * deliveries and confirmation links point at. Here it runs over a database migrated up to 0008
 * that already holds subscribers, one of them on an id a deleted subscriber had (as the old
 * schema handed out): every row must come through as it was, still pointed at; no id may be
 * handed out again; and the links already in inboxes keep working wherever they cannot act
 * on someone else.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";

const { request } = makeApp([makeArticle()]);

/** Every table but SQLite's and the runtime's own, with the migrations' record: a fresh database. */
async function emptyDatabase(): Promise<void> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
  ).all<{ name: string }>();
  await env.DB.batch([
    env.DB.prepare("PRAGMA defer_foreign_keys = true"),
    ...results.map((t) => env.DB.prepare(`DROP TABLE "${t.name}"`)),
  ]);
}

/** A token as links carried them before 0009: HMAC-SHA-256 of "unsubscribe:<id>", computed here. */
async function legacyToken(id: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(env.TOKEN_SECRET),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`unsubscribe:${id}`)),
  );
  const b64 = btoa(String.fromCharCode(...mac));
  return `${id}.${b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

const oneClick = (token: string) =>
  request(`/unsubscribe/${token}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });

const rows = async (sql: string) => (await env.DB.prepare(sql).all()).results;

/** What 0001–0008 left: subscribers 1–3 from before the first deletion, 4 on a deleted one's id. */
const BEFORE = [
  `INSERT INTO digests (week, id, status, created_at, updated_at, time_zone, article_count, summary_json, html, text, content_hash)
   VALUES ('2024-W10', 'urn:uuid:d', 'sent', '2024-03-11T00:00:00Z', '2024-03-11T00:00:00Z', 'UTC', 1, '{}', '<p>x</p>', 'x', 'h')`,
  `INSERT INTO subscribers (id, email, status, created_at, updated_at) VALUES
     (1, 'one@example.org', 'active', '2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z'),
     (2, 'two@example.org', 'unsubscribed', '2024-01-05T00:00:00.000Z', '2024-02-01T00:00:00.000Z'),
     (3, 'three@example.org', 'pending', '2024-02-10T00:00:00.000Z', '2024-02-10T00:00:00.000Z')`,
  // The subscriber who had id 4 was deleted; the next sign-up got 4 again.
  `INSERT INTO subscriber_tombstones (email_sha256, deleted_at) VALUES ('${"ab".repeat(32)}', '2024-03-01T00:00:00.000Z')`,
  `INSERT INTO subscribers (id, email, status, created_at, updated_at) VALUES
     (4, 'four@example.org', 'active', '2024-03-02T00:00:00.000Z', '2024-03-02T00:00:00.000Z')`,
  `INSERT INTO consents (id, subscriber_id, email, requested_at, request_ip, form, consent_text_version, confirmed_at, confirm_ip) VALUES
     (1, 1, 'one@example.org', '2024-01-01T00:00:00.000Z', '192.0.2.1', 'home', 'v1', '2024-01-02T00:00:00.000Z', '192.0.2.1'),
     (2, 2, 'two@example.org', '2024-01-05T00:00:00.000Z', NULL, 'page', 'v1', '2024-01-05T01:00:00.000Z', NULL),
     (3, 3, 'three@example.org', '2024-02-10T00:00:00.000Z', '192.0.2.3', 'home', 'v1', NULL, NULL),
     (4, 4, 'four@example.org', '2024-03-02T00:00:00.000Z', '192.0.2.4', 'home', 'v1', '2024-03-02T00:10:00.000Z', '192.0.2.4')`,
  `INSERT INTO confirmation_tokens (token_hash, subscriber_id, consent_id, expires_at)
     VALUES ('${"cd".repeat(32)}', 3, 3, '2099-01-01T00:00:00.000Z')`,
  `INSERT INTO deliveries (week, subscriber_id, status, chunk_key, claimed_at, sent_at, message_id, send_key, attempted_at) VALUES
     ('2024-W10', 1, 'sent', 'c1', '2024-03-11T06:00:00Z', '2024-03-11T06:00:01Z', 'm1', 'digest:c1', '2024-03-11T06:00:00Z'),
     ('2024-W10', 4, 'sent', 'c1', '2024-03-11T06:00:00Z', '2024-03-11T06:00:01Z', 'm4', 'digest:c1', '2024-03-11T06:00:00Z')`,
];

const SNAPSHOT = {
  subscribers:
    "SELECT id, email, status, created_at, updated_at, confirm_token_hash, confirm_expires_at FROM subscribers ORDER BY id",
  // The columns 0001–0008 made: later migrations may add others (0015: topics, variant).
  consents:
    "SELECT id, subscriber_id, email, requested_at, request_ip, form, consent_text_version, confirmed_at, confirm_ip FROM consents ORDER BY id",
  deliveries:
    "SELECT week, subscriber_id, status, chunk_key, claimed_at, sent_at, message_id, send_key, attempted_at FROM deliveries ORDER BY subscriber_id",
  confirmation_tokens: "SELECT * FROM confirmation_tokens ORDER BY token_hash",
  tombstones: "SELECT * FROM subscriber_tombstones",
};

async function snapshot() {
  const out: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(SNAPSHOT)) out[name] = await rows(sql);
  return out;
}

describe("migration 0009 over a database that holds subscribers", () => {
  it("keeps every row and id, never hands an id out again, and keeps old links working where they cannot act on someone else", async () => {
    await emptyDatabase();
    const all = env.TEST_MIGRATIONS;
    const upTo0008 = all.filter((m) => m.name < "0009");
    expect(upTo0008.length).toBeLessThan(all.length);
    await applyD1Migrations(env.DB, upTo0008);
    for (const sql of BEFORE) await env.DB.prepare(sql).run();
    const before = await snapshot();
    expect(before.subscribers).toHaveLength(4);

    // Compared right after 0009: later migrations may add columns (0013's import_id).
    await applyD1Migrations(
      env.DB,
      all.filter((m) => m.name < "0010"),
    );
    expect(await snapshot()).toEqual(before);
    await applyD1Migrations(env.DB, all);
    expect(await rows("PRAGMA foreign_key_check")).toEqual([]);
    expect(await rows("SELECT id, legacy_unsubscribe FROM subscribers ORDER BY id")).toEqual([
      { id: 1, legacy_unsubscribe: 1 },
      { id: 2, legacy_unsubscribe: 1 },
      { id: 3, legacy_unsubscribe: 1 },
      { id: 4, legacy_unsubscribe: 0 },
    ]);
    // The index the send pages subscribers by came back.
    expect(
      await rows(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'subscribers'",
      ),
    ).toContainEqual({ name: "subscribers_status_id" });

    // Ids held before: 1–4 and the deleted subscriber's (at most max + deletions = 5). A new
    // subscriber gets none of them, nor the id of the newest one after it is deleted.
    const added = await request("/subscribe", {
      method: "POST",
      body: new URLSearchParams({ email: "six@example.org" }),
      headers: { "CF-Connecting-IP": "198.18.90.1" },
    });
    expect(added.status).toBe(200);
    const six = await rows("SELECT id FROM subscribers WHERE email = 'six@example.org'");
    expect(six).toEqual([{ id: 6 }]);
    const deleted = await request("/admin/subscribers/delete", {
      method: "POST",
      body: new URLSearchParams({ email: "six@example.org" }),
      headers: { Authorization: "Bearer test-admin-token-0123456789abcdefghij" },
    });
    expect(deleted.status).toBe(200);
    await request("/subscribe", {
      method: "POST",
      body: new URLSearchParams({ email: "seven@example.org" }),
      headers: { "CF-Connecting-IP": "198.18.90.2" },
    });
    expect(await rows("SELECT id FROM subscribers WHERE email = 'seven@example.org'")).toEqual([
      { id: 7 },
    ]);

    // A link mailed before 0009 to subscriber 1 (created before any deletion) still works…
    const kept = await oneClick(await legacyToken(1));
    expect(kept.status).toBe(200);
    expect(await kept.text()).toContain("one@example.org will not receive the digest any more.");
    // …but one naming id 4 may be the deleted person's: refused, and 4 stays subscribed.
    const refused = await oneClick(await legacyToken(4));
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain("four@example.org");
    expect(await rows("SELECT id, status FROM subscribers WHERE id IN (1, 4) ORDER BY id")).toEqual(
      [
        { id: 1, status: "unsubscribed" },
        { id: 4, status: "active" },
      ],
    );
  });
});
