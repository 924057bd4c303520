/**
 * Reader topics and the preferences page (issue 18): a reader picks stories or tags at sign-up
 * or later behind their token link, may pause, and every change lands in the consent record.
 * Pages are read with the runtime's HTML parser (HTMLRewriter); rows straight from D1.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listOutbox } from "../../src/mail/outbox.ts";
import { setSubscriberTopics } from "../../src/subscriptions/preferences-store.ts";
import { unsubscribeToken } from "../../src/subscriptions/tokens.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlLinks } from "../helpers/html.ts";

const SECRET = env.TOKEN_SECRET as string;
const STORIES = [{ id: "troops-to-russia", title: "Troops to Russia" }];

function articles() {
  return [
    makeArticle({ slug: "troops", story: "troops-to-russia", tags: ["north-korea"] }),
    makeArticle({ slug: "drills", story: null, tags: ["china", "russia"] }),
  ];
}

const { app } = makeApp(articles(), {}, STORIES);

async function send(path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await app.request(path, init, env, ctx);
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, body };
}

let host = 0;
const post = (fields: Record<string, string>) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "CF-Connecting-IP": `198.19.${++host >> 8}.${host & 255}` },
});

/** Every checkbox of a page: its name, and whether it is ticked. */
async function checkboxes(html: string): Promise<Record<string, boolean>> {
  const boxes: Record<string, boolean> = {};
  await new HTMLRewriter()
    .on("input[type=checkbox]", {
      element(el) {
        boxes[el.getAttribute("name") ?? ""] = el.hasAttribute("checked");
      },
    })
    .transform(new Response(html))
    .text();
  return boxes;
}

async function subscriber(email: string) {
  return env.DB.prepare(
    "SELECT id, email, status, topics, paused_until FROM subscribers WHERE email = ?1",
  )
    .bind(email)
    .first<{
      id: number;
      email: string;
      status: string;
      topics: string | null;
      paused_until: string | null;
    }>();
}

async function history(id: number) {
  const { results } = await env.DB.prepare(
    "SELECT source, topics, paused_until FROM preference_changes WHERE subscriber_id = ?1 ORDER BY id",
  )
    .bind(id)
    .all<{ source: string; topics: string | null; paused_until: string | null }>();
  return results;
}

async function activeReader(email: string) {
  const row = await env.DB.prepare(
    "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'active', '2024-01-01', '2024-01-01') RETURNING id",
  )
    .bind(email)
    .first<{ id: number }>();
  const id = row!.id;
  return { id, token: await unsubscribeToken(SECRET, { id, email }) };
}

describe("reader topics", () => {
  it("a story page's 'follow this story by email' leads to sign-up with that story ticked, and confirming makes it the reader's only topic, in the consent record", async () => {
    const story = await send("/stories/troops-to-russia");
    expect(story.status).toBe(200);
    const follow = (await htmlLinks(story.body)).find(
      (l) => l.text === "Follow this story by email",
    );
    expect(follow).toBeDefined();
    const signUp = await send(new URL(follow!.href).pathname + new URL(follow!.href).search);
    expect(signUp.status).toBe(200);
    const boxes = await checkboxes(signUp.body);
    expect(boxes).toMatchObject({
      "t:story:troops-to-russia": true,
      "t:tag:north-korea": false,
      "t:tag:russia": false,
    });

    const email = "follower@example.org";
    expect(
      (
        await send(
          "/subscribe",
          post({ email, form: "subscribe-page", "t:story:troops-to-russia": "on" }),
        )
      ).status,
    ).toBe(200);
    const consent = await env.DB.prepare("SELECT topics FROM consents WHERE email = ?1")
      .bind(email)
      .first<{ topics: string | null }>();
    expect(JSON.parse(consent!.topics!)).toEqual(["story:troops-to-russia"]);
    // Not the reader's until confirmed.
    expect((await subscriber(email))!.topics).toBeNull();
    const mail = (await listOutbox(env.DB, 100)).find((m) => m.to === email)!;
    const token = /\/confirm\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    expect((await send(`/confirm/${token}`, { method: "POST" })).status).toBe(200);
    const row = await subscriber(email);
    expect(row!.status).toBe("active");
    expect(JSON.parse(row!.topics!)).toEqual(["story:troops-to-russia"]);
    expect(await history(row!.id)).toEqual([
      { source: "sign-up", topics: '["story:troops-to-russia"]', paused_until: null },
    ]);
  });

  it("a sign-up with a malformed topic is refused naming it, and nothing is stored", async () => {
    const email = "bad-topic@example.org";
    const res = await send("/subscribe", post({ email, "t:story:Not Kebab": "on" }));
    expect(res.status).toBe(400);
    expect(res.body).toContain("expected tag:&lt;tag&gt; or story:&lt;story id&gt;");
    expect(await subscriber(email)).toBeNull();
  });

  it("the preferences page behind the token shows the reader's topics and saves new ones, a pause and a resume, each in the consent record", async () => {
    const { id, token } = await activeReader("prefs@example.org");
    const page = await send(`/preferences/${token}`);
    expect(page.status).toBe(200);
    expect(Object.values(await checkboxes(page.body)).some(Boolean)).toBe(false);
    // The digest's link (the unsubscribe URL) shows the same page.
    const viaUnsubscribe = await send(`/unsubscribe/${token}`);
    expect(viaUnsubscribe.status).toBe(200);
    expect(await checkboxes(viaUnsubscribe.body)).toEqual(await checkboxes(page.body));

    const saved = await send(
      `/preferences/${token}`,
      post({ action: "topics", "t:tag:russia": "on", "t:story:troops-to-russia": "on" }),
    );
    expect(saved.status).toBe(200);
    expect(await checkboxes(saved.body)).toMatchObject({
      "t:tag:russia": true,
      "t:story:troops-to-russia": true,
      "t:tag:north-korea": false,
    });
    expect(JSON.parse((await subscriber("prefs@example.org"))!.topics!)).toEqual([
      "story:troops-to-russia",
      "tag:russia",
    ]);

    const before = Date.now();
    expect(
      (await send(`/preferences/${token}`, post({ action: "pause", weeks: "2" }))).status,
    ).toBe(200);
    const paused = Date.parse((await subscriber("prefs@example.org"))!.paused_until!);
    expect(paused - before).toBeGreaterThanOrEqual(14 * 86_400_000 - 1000);
    expect(paused - before).toBeLessThan(14 * 86_400_000 + 60_000);
    const refused = await send(`/preferences/${token}`, post({ action: "pause", weeks: "52" }));
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("from 0 (resume) to 12");
    expect(
      (await send(`/preferences/${token}`, post({ action: "pause", weeks: "0" }))).status,
    ).toBe(200);
    // Back to everything: no box ticked.
    await send(`/preferences/${token}`, post({ action: "topics" }));
    const row = await subscriber("prefs@example.org");
    expect(row).toMatchObject({ topics: null, paused_until: null });
    const changes = await history(id);
    expect(changes.map((c) => c.source)).toEqual([
      "preferences",
      "preferences",
      "preferences",
      "preferences",
    ]);
    expect(changes[0]!.topics).toBe('["story:troops-to-russia","tag:russia"]');
    expect(changes[1]!.paused_until).not.toBeNull();
    expect(changes[2]!.paused_until).toBeNull();
    expect(changes[3]!.topics).toBeNull();
  });

  it("a token that is not the reader's shows nothing and changes nothing", async () => {
    const { id } = await activeReader("victim@example.org");
    const forged = `${id}.${"A".repeat(43)}`;
    expect((await send(`/preferences/${forged}`)).status).toBe(404);
    expect(
      (await send(`/preferences/${forged}`, post({ action: "topics", "t:tag:russia": "on" })))
        .status,
    ).toBe(404);
    expect((await subscriber("victim@example.org"))!.topics).toBeNull();
  });

  it("setSubscriberTopics (for importers) sets canonical topics and records its source", async () => {
    const { id } = await activeReader("imported@example.org");
    expect(
      await setSubscriberTopics(
        env.DB,
        id,
        ["tag:russia", "story:troops-to-russia"],
        "import",
        new Date(),
      ),
    ).toBe(true);
    expect((await subscriber("imported@example.org"))!.topics).toBe(
      '["story:troops-to-russia","tag:russia"]',
    );
    expect(await history(id)).toEqual([
      { source: "import", topics: '["story:troops-to-russia","tag:russia"]', paused_until: null },
    ]);
    expect(await setSubscriberTopics(env.DB, 987654, [], "import", new Date())).toBe(false);
  });
});
