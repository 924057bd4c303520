/**
 * The editor's issue of a week (issue 18), end to end: content/issues/{week}.md as publish
 * writes it to D1, a time set in /admin, and then what people see: the email a subscriber gets
 * at that time (subject line, preheader, introduction in both parts), the admin's preview, the
 * web page and the digest feeds; and the introduction gone once the file is removed. Through the
 * Worker's real scheduled() and queue() handlers, on fresh fixtures, decoded with independent
 * parsers (MIME, HTML, XML, JSON). Before, a week had no subject or words of its own.
 */
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { publishIssues } from "../../scripts/content/publish-issues.ts";
import { d1Executor } from "../../src/lib/sql-batch.ts";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import worker from "../../src/index.ts";
import { weekRange } from "../../src/lib/time.ts";
import { getOutboxRaw, listOutbox } from "../../src/mail/outbox.ts";
import type { Article } from "../../src/model/article.ts";
import { publishFixtures, resetContent } from "../helpers/content.ts";
import { ISSUE, ISSUE_WEEK } from "../helpers/editor-issue.ts";
import { makeActors, makeApp, makeArticle, testEnv } from "../helpers/fixtures.ts";
import { htmlLinks, htmlTexts } from "../helpers/html.ts";
import { parseMime } from "../helpers/mime.ts";
import { deliver, recordingQueue } from "../helpers/queue.ts";
import { parseXml } from "../helpers/xml.ts";
import { onlyActiveSubscribers } from "../helpers/subscribers.ts";

const TOKEN = "test-admin-token-0123456789abcdefghij";
const ADMIN = {
  Authorization: `Basic ${btoa(`editor:${TOKEN}`)}`,
  Accept: "application/json",
  "Sec-Fetch-Site": "same-origin",
};
const BASE = "http://localhost:8787";
const week = ISSUE_WEEK; // 2030-W20: ends Monday 20 May 2030 (the admin's times must be ahead)
const INTRO =
  "North Korea said it would send 3,000 more workers to Russia; the ministry's statement gives no dates.";
const STATEMENT = "https://kcna.example/statement?id=1&lang=en";

const articles: Article[] = [
  makeArticle({
    slug: "workers-2030",
    title: "More workers",
    published: new Date(weekRange(week, "UTC").start.getTime() + 33 * 3_600_000).toISOString(),
    keyPoints: [
      "North Korea's foreign ministry said on 14 May 2030 that it would send 3,000 more workers to Russia.",
    ],
    html: "<p>The workers would go to building sites in Russia's Far East.</p>",
  }),
];

async function cronAt(iso: string): Promise<DigestChunkMessage[]> {
  const { queue, sent } = recordingQueue<DigestChunkMessage>();
  await (worker as ExportedHandler<Env>).scheduled!(
    createScheduledController({ scheduledTime: Date.parse(iso), cron: "*/15 * * * *" }),
    testEnv({ DIGEST_QUEUE: queue }),
    createExecutionContext(),
  );
  return sent.map((m) => m.body);
}

describe("an editor's issue with a time set for its week", () => {
  it("reaches the email at that time, once, and the preview, the web page and the feeds; removed, it is gone", async () => {
    await onlyActiveSubscribers("reader@issue.example");
    await resetContent(env.DB);
    await publishFixtures(env.DB, { articles, actors: makeActors() });
    const exec = d1Executor(env.DB);
    expect(
      await publishIssues(exec, [ISSUE], new Map([[week, `content/issues/${week}.md`]])),
    ).toEqual({ added: [week], changed: [], removed: [] });

    // The week ends; the cron builds its digest and plans it for DIGEST_SEND_AT; the editor
    // previews it and sets Tuesday 08:30 instead.
    expect(await cronAt("2030-05-20T00:15:00Z")).toEqual([]);
    const { request } = makeApp(articles);
    const preview = await (await request(`/digests/${week}/email.html`)).text();
    expect(await htmlTexts(preview, "h2")).toContain(ISSUE.subject);
    expect(await htmlTexts(preview, "p")).toContain(INTRO);
    const set = await request(`/admin/digests/${week}/schedule`, {
      method: "POST",
      headers: ADMIN,
      body: new URLSearchParams({ send_at: "2030-05-21T08:30" }),
    });
    expect(set.status).toBe(200);

    expect(await cronAt("2030-05-20T06:00:00Z")).toEqual([]);
    expect(await cronAt("2030-05-21T08:15:00Z")).toEqual([]);
    const sent = await cronAt("2030-05-21T08:30:00Z");
    expect(sent.map((m) => [m.week, m.subscriberIds.length])).toEqual([[week, 1]]);
    expect(await cronAt("2030-05-21T08:45:00Z")).toEqual([]);
    await deliver(sent);

    // The email: the editor's subject and preheader, the introduction above the digest.
    const stored = (await listOutbox(env.DB, 1000)).filter((m) => m.to === "reader@issue.example");
    expect(stored).toHaveLength(1);
    const message = parseMime((await getOutboxRaw(env.DB, stored[0]!.id))!);
    expect(message.header("Subject")).toBe(ISSUE.subject);
    const part = (type: string) => message.parts.find((p) => p.contentType.mediaType === type)!;
    const html = part("text/html").body;
    const h2s = await htmlTexts(html, "h2");
    expect(h2s.slice(0, 2)).toEqual([ISSUE.subject, "Key developments"]);
    const ps = await htmlTexts(html, "p");
    expect(ps).toEqual(
      expect.arrayContaining([INTRO, "• Drills near Vladivostok", "• A warning from Seoul"]),
    );
    expect(await htmlLinks(html)).toContainEqual({
      href: STATEMENT,
      text: "the ministry's statement",
    });
    // The preheader: the hidden first text of the body, where clients take the preview line.
    expect((await htmlTexts(html, "div")).some((t) => t.startsWith(ISSUE.preheader!))).toBe(true);
    const text = part("text/plain").body;
    expect(text).toContain(
      `${ISSUE.subject}\n\nNorth Korea said it would send 3,000 more workers to Russia; the ministry's statement (${STATEMENT}) gives no dates.\n\n• Drills near Vladivostok\n`,
    );
    expect(text.indexOf(ISSUE.subject)).toBeLessThan(text.indexOf("KEY DEVELOPMENTS"));

    // The web page: the subject as its heading, the introduction (sanitised) first.
    const page = await (await request(`/digests/${week}`)).text();
    expect(await htmlTexts(page, "h1")).toEqual([ISSUE.subject]);
    expect(await htmlTexts(page, "section.intro p")).toEqual([INTRO]);
    expect(await htmlLinks(page, "section.intro a")).toEqual([
      { href: STATEMENT, text: "the ministry's statement" },
    ]);

    // The digest feeds: the entry's title is the subject, its content starts with the intro.
    const json = (await (await request("/digests/feed.json")).json()) as {
      items: { url: string; title: string; content_html: string }[];
    };
    const item = json.items.find((i) => i.url === `${BASE}/digests/${week}`)!;
    expect(item.title).toBe(ISSUE.subject);
    expect((await htmlTexts(item.content_html, "p"))[0]).toBe(INTRO);
    const atom = parseXml(await (await request("/digests/atom.xml")).text());
    const entries = [atom.feed.entry].flat() as { title: unknown; content: unknown }[];
    const entry = entries.find((e) => JSON.stringify(e).includes(`/digests/${week}`))!;
    expect(JSON.stringify(entry.title)).toContain(ISSUE.subject);
    expect(JSON.stringify(entry.content)).toContain("the ministry");

    // The file removed: the next publish removes the introduction; the rebuilt week has none.
    expect(await publishIssues(exec, [], new Map())).toEqual({
      added: [],
      changed: [],
      removed: [week],
    });
    const rebuilt = await request(`/admin/digests/${week}/rebuild`, {
      method: "POST",
      headers: ADMIN,
    });
    expect(await rebuilt.json()).toEqual({ week, outcome: "replaced" });
    const after = await (await request(`/digests/${week}`)).text();
    expect(await htmlTexts(after, "section.intro")).toEqual([]);
    expect((await htmlTexts(after, "h1"))[0]).toMatch(/^Axis developments: /);
    const afterText = await (await request(`/digests/${week}/email.txt`)).text();
    expect(afterText).not.toContain(ISSUE.subject);
  });
});
