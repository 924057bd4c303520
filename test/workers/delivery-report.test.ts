/**
 * The delivery report (issue 18): per digest and variant, recipients, sent, failed, bounced,
 * complained and unsubscribed, in /admin and as CSV, with no tracking. A real send through D1
 * and the Worker's queue() handler; bounces and complaints through the signed webhook, the
 * unsubscribe through the reader's own link; the CSV read back with an RFC 4180 parser.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { buildDigest } from "../../src/digest/service.ts";
import type { Article } from "../../src/model/article.ts";
import { makeApp, makeArticle, makeDigestDeps } from "../helpers/fixtures.ts";
import { htmlText, htmlTexts } from "../helpers/html.ts";
import { listUnsubscribeUris, parseMime } from "../helpers/mime.ts";
import { deliver, recordingQueue } from "../helpers/queue.ts";
import { parseCsv } from "../helpers/csv.ts";

const WEEK = "2024-W43";
const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };
const STORIES = [{ id: "troops-to-russia", title: "Troops to Russia" }];
const KEY = Uint8Array.from({ length: 24 }, (_, i) => i * 5 + 1);
const WEBHOOK_SECRET = `whsec_${btoa(String.fromCharCode(...KEY))}`;

function weekArticles(): Article[] {
  return [
    makeArticle({
      slug: "troops-sent",
      published: "2024-10-22T09:00:00Z",
      story: "troops-to-russia",
      keyPoints: [
        "North Korea sent 1,500 special forces to Russia's Far East in October 2024, Seoul said.",
      ],
    }),
    makeArticle({
      slug: "drills",
      published: "2024-10-23T09:00:00Z",
      tags: ["china"],
      keyPoints: [
        "China and Russia began joint naval drills in the Sea of Japan on 21 October 2024.",
      ],
    }),
  ];
}

/** Svix's signature over `id.timestamp.body` (HMAC-SHA256, base64), made independently here. */
async function signedWebhook(
  request: (path: string, init?: RequestInit) => Promise<Response>,
  id: string,
  event: unknown,
) {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = await crypto.subtle.importKey("raw", KEY, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    new TextEncoder().encode(`${id}.${timestamp}.${body}`),
  );
  return request("/webhooks/email", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "svix-id": id,
      "svix-timestamp": timestamp,
      "svix-signature": `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`,
    },
    body,
  });
}

describe("the delivery report", () => {
  it("counts each digest's recipients, sent, bounced, complained and unsubscribed by variant, in /admin and as CSV", async () => {
    const articles = weekArticles();
    await buildDigest(env.DB, parseConfig(env), makeDigestDeps(articles, STORIES), WEEK);
    const ids: Record<string, number> = {};
    for (const [email, topics] of [
      ["all@example.org", null],
      ["bounces@example.org", null],
      ["complains@example.org", null],
      ["story@example.org", '["story:troops-to-russia"]'],
      ["story2@example.org", '["story:troops-to-russia"]'],
    ] as const) {
      const row = await env.DB.prepare(
        "INSERT INTO subscribers (email, status, created_at, updated_at, topics) VALUES (?1, 'active', '2024-01-01', '2024-01-01', ?2) RETURNING id",
      )
        .bind(email, topics)
        .first<{ id: number }>();
      ids[email] = row!.id;
    }
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const { request } = makeApp(
      articles,
      {
        DIGEST_QUEUE: queue,
        DIGEST_SEND: "always",
        EMAIL_WEBHOOK_SECRET: WEBHOOK_SECRET,
      } as Partial<Env>,
      STORIES,
    );
    expect(
      (await request(`/admin/digests/${WEEK}/send`, { method: "POST", headers: ADMIN })).status,
    ).toBe(202);
    await deliver(sent.map((m) => m.body));

    // The bounced copy's Message-ID, as the provider echoes it: it names the digest.
    const outbox = (await (await request("/admin/outbox.json", { headers: ADMIN })).json()) as {
      id: number;
      to: string;
    }[];
    const eml = async (to: string) =>
      parseMime(
        new TextDecoder().decode(
          await (
            await request(`/admin/outbox/${outbox.find((m) => m.to === to)!.id}.eml`, {
              headers: ADMIN,
            })
          ).arrayBuffer(),
        ),
      );
    const bounced = await eml("bounces@example.org");
    expect(
      (
        await signedWebhook(request, "msg_bounce", {
          type: "email.bounced",
          data: {
            to: ["bounces@example.org"],
            headers: [{ name: "Message-ID", value: bounced.header("Message-ID") }],
          },
        })
      ).status,
    ).toBe(200);
    // A complaint that names no message: the last digest sent to that address.
    expect(
      (
        await signedWebhook(request, "msg_complaint", {
          type: "email.complained",
          data: { to: "complains@example.org" },
        })
      ).status,
    ).toBe(200);
    // The follower unsubscribes with their own link (one click); clicking twice counts once.
    const link = listUnsubscribeUris(
      (await eml("story@example.org")).header("List-Unsubscribe"),
    )[0]!;
    for (let i = 0; i < 2; i++)
      expect(
        (
          await request(new URL(link).pathname, {
            method: "POST",
            body: "List-Unsubscribe=One-Click",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
          })
        ).status,
      ).toBe(200);

    const csv = await request("/admin/delivery-report.csv", { headers: ADMIN });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8; header=present");
    const records = parseCsv(await csv.text());
    expect(records).toEqual([
      ["week", "variant", "recipients", "sent", "failed", "bounced", "complained", "unsubscribed"],
      [WEEK, "everything", "3", "3", "0", "1", "1", "0"],
      [WEEK, "story:troops-to-russia", "2", "2", "0", "0", "0", "1"],
    ]);

    const admin = await request("/admin", { headers: ADMIN });
    // The second table: the report, after the digests.
    const table = (await htmlTexts(await admin.text(), "table"))[1]!;
    expect(table).toContain("story:troops-to-russia");
    expect(table).toContain("everything");
    const json = (await (
      await request("/admin", { headers: { ...ADMIN, Accept: "application/json" } })
    ).json()) as { report: unknown[] };
    expect(json.report).toEqual([
      {
        week: WEEK,
        variant: "everything",
        recipients: 3,
        sent: 3,
        failed: 0,
        bounced: 1,
        complained: 1,
        unsubscribed: 0,
      },
      {
        week: WEEK,
        variant: "story:troops-to-russia",
        recipients: 2,
        sent: 2,
        failed: 0,
        bounced: 0,
        complained: 0,
        unsubscribed: 1,
      },
    ]);
  });

  it("the sign-up page says there is no tracking", async () => {
    const { request } = makeApp(weekArticles(), {}, STORIES);
    const page = await (await request("/subscribe")).text();
    expect(await htmlText(page, "form.subscribe p.meta")).toContain(
      "our emails carry no tracking pixels and their links are not rewritten",
    );
  });
});
