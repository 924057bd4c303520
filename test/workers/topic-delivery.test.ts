/**
 * Sending a week to readers with topics (issue 18): each gets only their stories' and tags'
 * items, figures and articles; a reader with nothing this week, or paused, gets nothing; readers
 * with no topics get the whole digest exactly as before. Through real D1, the real producer
 * (the admin's send) and the Worker's queue() handler (test/helpers/queue.ts); every message is
 * read back as raw MIME and decoded with the independent parser (test/helpers/mime.ts).
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { sendDigestChunk } from "../../src/delivery/consumer.ts";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { digestEmailLinks } from "../../src/digest/email/links.ts";
import { renderDigestEmail } from "../../src/digest/email/render.ts";
import { fillRecipientSlots } from "../../src/digest/email/slots.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { getDigest } from "../../src/digest/store.ts";
import { htmlLinks, htmlText } from "../helpers/html.ts";
import { makeApp, makeDigestDeps } from "../helpers/fixtures.ts";
import { linksInHtml, listUnsubscribeUris, parseMime, type MimePart } from "../helpers/mime.ts";
import { deliver, recordingQueue } from "../helpers/queue.ts";
import { TOPIC_STORIES, topicWeekArticles } from "../helpers/topic-week.ts";

const BASE = "http://localhost:8787";
const WEEK = "2024-W43";
const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };
const STORIES = TOPIC_STORIES;

async function seedSubscribers(
  rows: Record<string, { topics?: readonly string[]; pausedUntil?: string }>,
): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const [email, r] of Object.entries(rows)) {
    const row = await env.DB.prepare(
      `INSERT INTO subscribers (email, status, created_at, updated_at, topics, paused_until)
       VALUES (?1, 'active', '2024-01-01', '2024-01-01', ?2, ?3) RETURNING id`,
    )
      .bind(email, r.topics ? JSON.stringify([...r.topics].sort()) : null, r.pausedUntil ?? null)
      .first<{ id: number }>();
    ids[email] = row!.id;
  }
  return ids;
}

/** Each recipient's digest as the raw message the outbox rebuilds, decoded. */
async function received(
  request: (path: string, init?: RequestInit) => Promise<Response>,
): Promise<Map<string, MimePart[]>> {
  const list = (await (await request("/admin/outbox.json", { headers: ADMIN })).json()) as {
    id: number;
    to: string;
    subject: string;
  }[];
  const byRecipient = new Map<string, MimePart[]>();
  for (const m of list) {
    if (!m.subject.startsWith("Axis developments:")) continue;
    const res = await request(`/admin/outbox/${m.id}.eml`, { headers: ADMIN });
    const mime = parseMime(new TextDecoder().decode(await res.arrayBuffer()));
    byRecipient.set(m.to, [...(byRecipient.get(m.to) ?? []), mime]);
  }
  return byRecipient;
}

const textOf = (m: MimePart) => m.parts.find((p) => p.contentType.mediaType === "text/plain")!.body;
const htmlOf = (m: MimePart) => m.parts.find((p) => p.contentType.mediaType === "text/html")!.body;

describe("a digest sent to readers with topics", () => {
  beforeEach(async () => {
    await env.DB.batch(
      [
        "DELETE FROM deliveries",
        "DELETE FROM digest_chunks",
        "DELETE FROM outbox",
        "DELETE FROM subscribers",
      ].map((sql) => env.DB.prepare(sql)),
    );
  });

  it("gives a story's follower only that story's items, sends nothing to a reader with nothing this week or paused, and everyone else the whole digest byte for byte", async () => {
    const articles = topicWeekArticles();
    const config = parseConfig(env);
    await buildDigest(env.DB, config, makeDigestDeps(articles, STORIES), WEEK);
    const ids = await seedSubscribers({
      "all@example.org": {},
      "all2@example.org": {},
      "story@example.org": { topics: ["story:troops-to-russia"] },
      "china@example.org": { topics: ["tag:china"] },
      "nothing@example.org": { topics: ["tag:japan", "story:elsewhere"] },
      "paused@example.org": { pausedUntil: "2099-01-01T00:00:00.000Z" },
      "was-paused@example.org": { pausedUntil: "2000-01-01T00:00:00.000Z" },
    });
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const { request } = makeApp(articles, { DIGEST_QUEUE: queue, DIGEST_SEND: "always" }, STORIES);
    const send = () => request(`/admin/digests/${WEEK}/send`, { method: "POST", headers: ADMIN });

    // The send page counts whom the send will reach: not the paused reader, nor the one with
    // nothing this week (regression: it counted every active subscriber).
    const confirm = await request(`/admin/digests/${WEEK}/send`, { headers: ADMIN });
    expect(await htmlText(await confirm.text(), "main p strong")).toBe("5");

    const res = await send();
    expect(res.status).toBe(202);
    // Everything (3 readers), the story, the tag: one message per variant, nobody else.
    expect(await res.json()).toMatchObject({ recipients: 5, messages: 3 });
    const chunks = sent.map((m) => [...m.body.subscriberIds].sort((a, b) => a - b));
    expect(chunks).toEqual(
      expect.arrayContaining([
        [ids["all@example.org"]!, ids["all2@example.org"]!, ids["was-paused@example.org"]!],
        [ids["story@example.org"]!],
        [ids["china@example.org"]!],
      ]),
    );
    const result = await deliver(sent.map((m) => m.body));
    expect(result.retryMessages).toEqual([]);

    const mail = await received(request);
    expect([...mail.keys()].sort()).toEqual([
      "all2@example.org",
      "all@example.org",
      "china@example.org",
      "story@example.org",
      "was-paused@example.org",
    ]);
    for (const copies of mail.values()) expect(copies).toHaveLength(1);

    // The follower: the story's development, figure and article; nothing of the drills.
    const story = mail.get("story@example.org")![0]!;
    expect(textOf(story)).toContain("1,500 special forces");
    expect(textOf(story)).toContain("Special forces sent to the Far East");
    expect(textOf(story)).not.toContain("Sea of Japan");
    expect(textOf(story)).not.toContain("12 warships");
    const storyLinks = (await htmlLinks(htmlOf(story))).map((l) => l.href);
    expect(storyLinks).toContain(`${BASE}/articles/troops-sent`);
    expect(storyLinks).not.toContain(`${BASE}/articles/joint-drills`);
    // The tag reader: the drills only.
    const china = mail.get("china@example.org")![0]!;
    expect(textOf(china)).toContain("Sea of Japan");
    expect(textOf(china)).not.toContain("Special forces sent to the Far East");
    // Their own links still: the preferences page behind their token.
    const uri = listUnsubscribeUris(story.header("List-Unsubscribe"))[0]!;
    expect(uri).toMatch(new RegExp(`^${BASE}/unsubscribe/${ids["story@example.org"]}\\.`));
    expect(await linksInHtml(htmlOf(story))).toContain(uri);

    // Everyone else: the whole digest, exactly what the unfiltered renderer makes of the week.
    const stored = (await getDigest(env.DB, WEEK))!;
    const whole = renderDigestEmail(stored.summary, digestEmailLinks(config, WEEK));
    expect(whole.html).toBe(stored.html);
    for (const email of ["all@example.org", "all2@example.org", "was-paused@example.org"]) {
      const m = mail.get(email)![0]!;
      const slots = {
        unsubscribeUrl: listUnsubscribeUris(m.header("List-Unsubscribe"))[0]!,
        baseUrl: BASE,
      };
      expect(htmlOf(m)).toBe(fillRecipientSlots(whole.html, "html", slots));
      expect(textOf(m)).toBe(fillRecipientSlots(whole.text, "text", slots));
      expect(textOf(m)).toContain("Sea of Japan");
      expect(textOf(m)).toContain("Special forces sent to the Far East");
    }

    // The variant each copy was cut to is recorded with its delivery.
    const variants = await env.DB.prepare(
      "SELECT subscriber_id AS id, variant FROM deliveries WHERE week = ?1 ORDER BY subscriber_id",
    )
      .bind(WEEK)
      .all<{ id: number; variant: string | null }>();
    expect(variants.results).toContainEqual({
      id: ids["story@example.org"]!,
      variant: '["story:troops-to-russia"]',
    });
    expect(variants.results).toContainEqual({ id: ids["all@example.org"]!, variant: null });
    expect(variants.results.map((r) => r.id)).not.toContain(ids["nothing@example.org"]);

    // Delivered again (queues deliver at least once) and sent again: nobody gets a second copy,
    // and the readers with nothing this week, or paused, are still sent nothing.
    await deliver(
      sent.map((m) => m.body),
      { attempts: 2 },
    );
    const again = await send();
    expect(await again.json()).toMatchObject({ recipients: 0, messages: 0 });
    const after = await received(request);
    for (const copies of after.values()) expect(copies).toHaveLength(1);
    expect(after.has("nothing@example.org")).toBe(false);
    expect(after.has("paused@example.org")).toBe(false);
  });

  it("a chunk enqueued before its reader chose topics with nothing this week, or paused, sends them nothing", async () => {
    const articles = topicWeekArticles();
    await buildDigest(env.DB, parseConfig(env), makeDigestDeps(articles, STORIES), WEEK);
    const ids = await seedSubscribers({
      "late-topics@example.org": {},
      "late-pause@example.org": {},
      "stays@example.org": {},
    });
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const { request } = makeApp(articles, { DIGEST_QUEUE: queue, DIGEST_SEND: "always" }, STORIES);
    await request(`/admin/digests/${WEEK}/send`, { method: "POST", headers: ADMIN });
    expect(sent).toHaveLength(1);
    await env.DB.batch([
      env.DB.prepare("UPDATE subscribers SET topics = '[\"tag:japan\"]' WHERE id = ?1").bind(
        ids["late-topics@example.org"],
      ),
      env.DB.prepare("UPDATE subscribers SET paused_until = '2099-01-01' WHERE id = ?1").bind(
        ids["late-pause@example.org"],
      ),
    ]);
    await deliver(sent.map((m) => m.body));
    expect([...(await received(request)).keys()]).toEqual(["stays@example.org"]);
  });

  it("a batch retried after its reader changed topics is re-sent as the variant it was first attempted as, under the same key", async () => {
    const articles = topicWeekArticles();
    const config = parseConfig(env);
    await buildDigest(env.DB, config, makeDigestDeps(articles, STORIES), WEEK);
    const ids = await seedSubscribers({ "changes@example.org": { topics: ["tag:china"] } });
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const { request } = makeApp(articles, { DIGEST_QUEUE: queue, DIGEST_SEND: "always" }, STORIES);
    await request(`/admin/digests/${WEEK}/send`, { method: "POST", headers: ADMIN });
    // The first attempt reaches the provider, whose answer is lost (503): the batch has its key.
    const keys: string[] = [];
    const down = {
      name: "down",
      smtpUtf8: true,
      send: async (_: unknown, key: string) => {
        keys.push(key);
        return { ok: false as const, retryable: true, status: 503, message: "down" };
      },
    };
    const first = await sendDigestChunk(sent[0]!.body, 1, {
      db: env.DB,
      config,
      mail: config.mail,
      transport: down,
    });
    expect(first.kind).toBe("retry");
    // The reader now follows the story instead; the retry must not become another payload.
    await env.DB.prepare("UPDATE subscribers SET topics = ?2 WHERE id = ?1")
      .bind(ids["changes@example.org"], '["story:troops-to-russia"]')
      .run();
    await deliver(
      sent.map((m) => m.body),
      { attempts: 2 },
    );
    const mail = await received(request);
    const copy = mail.get("changes@example.org")!;
    expect(copy).toHaveLength(1);
    expect(textOf(copy[0]!)).toContain("Sea of Japan");
    expect(textOf(copy[0]!)).not.toContain("Special forces sent to the Far East");
    const row = await env.DB.prepare(
      "SELECT send_key, variant, status FROM deliveries WHERE week = ?1 AND subscriber_id = ?2",
    )
      .bind(WEEK, ids["changes@example.org"])
      .first();
    expect(row).toEqual({ send_key: keys[0], variant: '["tag:china"]', status: "sent" });
  });
});
