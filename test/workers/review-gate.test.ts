/**
 * The review gate (issue 16): nothing a program extracted reaches a reader's inbox unless a
 * person approved it or the operator chose DIGEST_SEND=always. Through the Worker's real
 * scheduled() and queue() handlers and the admin's routes, on fresh fixture articles; what is
 * checked is what people would notice: queue messages, mail in the outbox, pages and statuses.
 * Before the gate, the cron mailed every digest, extracted items and all.
 */
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type DefaultTreeAdapterMap, parse } from "parse5";
import { describe, expect, it } from "vitest";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import worker from "../../src/index.ts";
import { weekRange } from "../../src/lib/time.ts";
import { listOutbox } from "../../src/mail/outbox.ts";
import type { Article } from "../../src/model/article.ts";
import { publishFixtures, resetContent } from "../helpers/content.ts";
import { makeActors, makeApp, makeArticle, testEnv } from "../helpers/fixtures.ts";
import { htmlLinks, htmlTexts } from "../helpers/html.ts";
import { deliver, recordingQueue } from "../helpers/queue.ts";
import { onlyActiveSubscribers } from "../helpers/subscribers.ts";

const TOKEN = "test-admin-token-0123456789abcdefghij";
/** A person in a browser, logged in as "editor", using the admin's own forms. */
const BROWSER = {
  Authorization: `Basic ${btoa(`editor:${TOKEN}`)}`,
  Accept: "text/html",
  "Sec-Fetch-Site": "same-origin",
};
const BASE = "http://localhost:8787"; // wrangler.toml's BASE_URL

/** A Tuesday 09:30 UTC in `week`. */
const dayIn = (week: string) =>
  new Date(weekRange(week, "UTC").start.getTime() + 86_400_000 + 9.5 * 3_600_000).toISOString();

/** A brief with an editor's key point: its digest item is the editor's. */
function keyPointBrief(week: string): Article {
  return makeArticle({
    slug: `drills-${week.toLowerCase()}`,
    title: "Joint drills",
    published: dayIn(week),
    keyPoints: [
      "North Korea's foreign ministry said on 22 October 2024 that it would send 3,000 more workers to Russia.",
    ],
    html: "<p>The workers would go to building sites in Russia's Far East.</p>",
  });
}

/** A brief without key points: its digest item is a sentence the summarizer took. */
function extractedBrief(week: string, body = "with 12 ships taking part"): Article {
  return makeArticle({
    slug: `exercise-${week.toLowerCase()}`,
    title: "Naval exercise",
    published: dayIn(week),
    html: `<p>China and Russia held joint naval drills near Vladivostok, ${body}.</p>`,
  });
}

/**
 * The Worker's cron for `week` (Monday 06:00 after it, as wrangler.toml fires it) over
 * `articles`, published as `npm run publish` does; returns what it enqueued.
 */
async function fireCron(week: string, articles: readonly Article[], vars: Partial<Env> = {}) {
  await resetContent(env.DB);
  await publishFixtures(env.DB, { articles, actors: makeActors() });
  const { queue, sent } = recordingQueue<DigestChunkMessage>();
  await (worker as ExportedHandler<Env>).scheduled!(
    createScheduledController({
      scheduledTime: weekRange(week, "UTC").end.getTime() + 6 * 3_600_000,
      cron: "0 6 * * 1",
    }),
    testEnv({ DIGEST_QUEUE: queue, ...vars }),
    createExecutionContext(),
  );
  return sent.map((m) => m.body);
}

/** Digest copies in the outbox for `week`, per address. */
async function copies(week: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT to_addr, count(*) AS n FROM outbox WHERE idempotency_key LIKE ?1 GROUP BY to_addr",
  )
    .bind(`digest:${week}:%`)
    .all<{ to_addr: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.to_addr, r.n]));
}

type Element = DefaultTreeAdapterMap["element"];
/** Every element of a parsed page, depth first. */
function elements(html: string): Element[] {
  const out: Element[] = [];
  const walk = (node: DefaultTreeAdapterMap["parentNode"]) => {
    for (const child of node.childNodes) {
      if ("tagName" in child) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(parse(html));
  return out;
}
const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value ?? null;

/** The review page's approve form: its action and the version it approves. */
function approveForm(html: string): { action: string; hash: string } | null {
  const form = elements(html).find(
    (el) => el.tagName === "form" && attr(el, "action")?.endsWith("/approve"),
  );
  if (!form) return null;
  const input = elements(html).find((el) => el.tagName === "input" && attr(el, "name") === "hash");
  return { action: attr(form, "action")!, hash: attr(input!, "value")! };
}

describe("the cron under DIGEST_SEND=auto (the default)", () => {
  it("sends a digest whose items are all editors' key points", async () => {
    const week = "2024-W43";
    await onlyActiveSubscribers("a@auto.example", "b@auto.example");
    const sent = await fireCron(week, [keyPointBrief(week)]);
    expect(sent.map((m) => m.subscriberIds.length)).toEqual([2]);
    await deliver(sent);
    expect(await copies(week)).toEqual({ "a@auto.example": 1, "b@auto.example": 1 });
  });

  it("holds one with an extracted item: no queue message, no mail, and the admin home lists the week", async () => {
    const week = "2024-W44";
    await onlyActiveSubscribers("a@hold.example");
    const articles = [keyPointBrief(week), extractedBrief(week)];
    expect(await fireCron(week, articles)).toEqual([]);
    expect(await copies(week)).toEqual({});
    // The same digest on the cron's next run is still held.
    expect(await fireCron(week, articles)).toEqual([]);

    const { request } = makeApp(articles);
    const home = await (await request("/admin", { headers: BROWSER })).text();
    expect(await htmlLinks(home, "ul.waiting a")).toEqual([
      { href: `${BASE}/admin/digests/${week}/review`, text: week },
    ]);
    expect(await htmlTexts(home, "ul.waiting li")).toEqual([
      expect.stringMatching(new RegExp(`^${week}: needs review: 1 extracted item`)),
    ]);
    const json = (await (
      await request("/admin", { headers: { ...BROWSER, Accept: "application/json" } })
    ).json()) as { waiting: { week: string; state: string }[] };
    expect(json.waiting.map((w) => w.week)).toEqual([week]);
  });
});

describe("the cron under the other modes", () => {
  it("DIGEST_SEND=review holds every digest, even one of editors' key points", async () => {
    const week = "2024-W45";
    await onlyActiveSubscribers("a@review.example");
    expect(await fireCron(week, [keyPointBrief(week)], { DIGEST_SEND: "review" })).toEqual([]);
    expect(await copies(week)).toEqual({});
    const { request } = makeApp([keyPointBrief(week)], { DIGEST_SEND: "review" });
    const home = await (await request("/admin", { headers: BROWSER })).text();
    expect(await htmlTexts(home, "ul.waiting li")).toContainEqual(
      expect.stringMatching(new RegExp(`^${week}: needs review: DIGEST_SEND=review`)),
    );
  });

  it("DIGEST_SEND=always sends a digest with an extracted item", async () => {
    const week = "2024-W46";
    await onlyActiveSubscribers("a@always.example");
    const sent = await fireCron(week, [extractedBrief(week)], { DIGEST_SEND: "always" });
    expect(sent).toHaveLength(1);
    await deliver(sent, { vars: { DIGEST_SEND: "always" } });
    expect(await copies(week)).toEqual({ "a@always.example": 1 });
  });
});

describe("the review page and the approval", () => {
  it("shows each extracted item with its original sentence, rewrites and reason, all escaped", async () => {
    const week = "2024-W47";
    const hostile = extractedBrief(
      week,
      'with 12 ships taking part, &lt;script&gt;alert("x")&lt;/script&gt; officials said',
    );
    const articles = [
      { ...hostile, title: `<img src=x onerror="alert(1)"> Naval exercise` },
      keyPointBrief(week),
      makeArticle({
        slug: "kursk-2024-w47",
        title: "Troops at Kursk",
        published: dayIn(week),
        html: "<p>Russia's defence ministry said on Monday that North Korean troops had reached Kursk.</p>",
      }),
    ];
    await fireCron(week, articles);
    const { request } = makeApp(articles);
    const res = await request(`/admin/digests/${week}/review`, { headers: BROWSER });
    expect(res.status).toBe(200);
    const page = await res.text();
    // Nothing from the article became markup.
    const tags = elements(page).map((el) => el.tagName);
    expect(tags).not.toContain("script");
    expect(tags).not.toContain("img");
    expect(await htmlTexts(page, "li.key-point .meta")).toEqual([
      expect.stringContaining("an editor's key point"),
    ]);
    expect(await htmlTexts(page, "li.extracted .provenance")).toEqual(["Extracted", "Extracted"]);
    const originals = await htmlTexts(page, "li.extracted .original");
    expect(originals).toContainEqual(expect.stringContaining('<script>alert("x")</script>'));
    // The relative date was resolved: the original keeps it, the rewrite says what it became.
    expect(originals).toContainEqual(expect.stringContaining("said on Monday that"));
    expect(await htmlTexts(page, "li.extracted .rewrites li")).toEqual([
      expect.stringMatching(/on Monday.*→.*on 18 November 2024/),
    ]);
    for (const reason of await htmlTexts(page, "li.extracted .reason")) expect(reason).not.toBe("");
    expect((await htmlTexts(page, "li.extracted .meta a"))[0]).toBe(
      `<img src=x onerror="alert(1)"> Naval exercise`,
    );
    // The email as recipients get it: its text part, and links to both parts.
    expect(await htmlTexts(page, "pre.email-text")).toEqual([
      expect.stringContaining("China and Russia held joint naval drills"),
    ]);
    expect((await htmlLinks(page)).map((l) => l.href)).toContain(
      `${BASE}/digests/${week}/email.html`,
    );
    expect((await htmlTexts(page, "[role=status]"))[0]).toMatch(/^Needs review: 2 extracted items/);
    expect(approveForm(page)?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("sends the approved version once: the send page and its POST refuse it before approval", async () => {
    const week = "2024-W48";
    await onlyActiveSubscribers("a@approve.example", "b@approve.example");
    const articles = [extractedBrief(week)];
    expect(await fireCron(week, articles)).toEqual([]);
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const { request } = makeApp(articles, { DIGEST_QUEUE: queue });

    // "Send" is not approval: the page points to the review, and a forged POST is refused.
    const sendPage = await (
      await request(`/admin/digests/${week}/send`, { headers: BROWSER })
    ).text();
    expect(elements(sendPage).some((el) => attr(el, "action")?.endsWith("/send"))).toBe(false);
    expect(await htmlLinks(sendPage, "[role=alert] a")).toEqual([
      { href: `${BASE}/admin/digests/${week}/review`, text: "Review and approve it" },
    ]);
    const forced = await request(`/admin/digests/${week}/send`, {
      method: "POST",
      headers: BROWSER,
    });
    expect(forced.status).toBe(409);
    expect(sent).toEqual([]);

    const review = await (
      await request(`/admin/digests/${week}/review`, { headers: BROWSER })
    ).text();
    const form = approveForm(review)!;
    expect(form.action).toBe(`${BASE}/admin/digests/${week}/approve`);
    const approve = () =>
      request(`/admin/digests/${week}/approve`, {
        method: "POST",
        headers: { ...BROWSER, Accept: "application/json" },
        body: new URLSearchParams({ hash: form.hash }),
      });
    const approved = await approve();
    expect(approved.status).toBe(202);
    expect(await approved.json()).toMatchObject({
      week,
      approved: form.hash,
      by: "editor",
      recipients: 2,
    });
    expect(sent).toHaveLength(1);
    await deliver(sent.map((m) => m.body));
    expect(await copies(week)).toEqual({ "a@approve.example": 1, "b@approve.example": 1 });

    // The approved week is no longer waiting; approving again or the cron again sends no copy.
    const home = await (await request("/admin", { headers: BROWSER })).text();
    expect((await htmlLinks(home, "ul.waiting a")).map((l) => l.text)).not.toContain(week);
    expect(((await (await approve()).json()) as { recipients: number }).recipients).toBe(0);
    expect(await fireCron(week, articles)).toEqual([]);
    await deliver(sent.slice(1).map((m) => m.body));
    expect(await copies(week)).toEqual({ "a@approve.example": 1, "b@approve.example": 1 });
  });

  it("a rebuild that changes the digest voids the approval: the old version's form is refused", async () => {
    const week = "2024-W49";
    await onlyActiveSubscribers();
    const before = [extractedBrief(week)];
    expect(await fireCron(week, before)).toEqual([]);
    const { request: oldApp } = makeApp(before);
    const seen = approveForm(
      await (await oldApp(`/admin/digests/${week}/review`, { headers: BROWSER })).text(),
    )!;
    // Approved while nobody was subscribed: it stays unsent, so the approval is still pending use.
    const first = await oldApp(`/admin/digests/${week}/approve`, {
      method: "POST",
      headers: BROWSER,
      body: new URLSearchParams({ hash: seen.hash }),
    });
    expect(first.status).toBe(202);

    // The article is edited, published and the week rebuilt: a new version.
    await onlyActiveSubscribers("a@rebuild.example");
    const after = [{ ...before[0]!, html: before[0]!.html.replace("12 ships", "14 ships") }];
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const { request } = makeApp(after, { DIGEST_QUEUE: queue });
    const rebuilt = await request(`/admin/digests/${week}/rebuild`, {
      method: "POST",
      headers: { ...BROWSER, Accept: "application/json" },
    });
    expect(await rebuilt.json()).toEqual({ week, outcome: "replaced" });

    // The cron holds the new version, and the old version's approval cannot send it.
    expect(await fireCron(week, after)).toEqual([]);
    const stale = await request(`/admin/digests/${week}/approve`, {
      method: "POST",
      headers: BROWSER,
      body: new URLSearchParams({ hash: seen.hash }),
    });
    expect(stale.status).toBe(409);
    expect(sent).toEqual([]);
    expect(await copies(week)).toEqual({});

    const review = await (
      await request(`/admin/digests/${week}/review`, { headers: BROWSER })
    ).text();
    expect(await htmlTexts(review, ".note.editor")).toContainEqual(
      expect.stringMatching(/^An earlier version was approved by editor/),
    );
    const fresh = approveForm(review)!;
    expect(fresh.hash).not.toBe(seen.hash);
    const home = await (await request("/admin", { headers: BROWSER })).text();
    expect(await htmlLinks(home, "ul.waiting a")).toContainEqual({
      href: `${BASE}/admin/digests/${week}/review`,
      text: week,
    });
    const ok = await request(`/admin/digests/${week}/approve`, {
      method: "POST",
      headers: BROWSER,
      body: new URLSearchParams({ hash: fresh.hash }),
    });
    expect(ok.status).toBe(202);
    await deliver(sent.map((m) => m.body));
    expect(await copies(week)).toEqual({ "a@rebuild.example": 1 });
  });
});

describe("a rebuild while the approved version is in the queue", () => {
  it("sends nobody the new version: the queue's chunks are held until it is approved", async () => {
    const week = "2024-W52";
    await onlyActiveSubscribers("a@inflight.example");
    const before = [extractedBrief(week)];
    expect(await fireCron(week, before)).toEqual([]);
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const { request } = makeApp(before, { DIGEST_QUEUE: queue });
    const seen = approveForm(
      await (await request(`/admin/digests/${week}/review`, { headers: BROWSER })).text(),
    )!;
    const approve = (hash: string, app = request) =>
      app(`/admin/digests/${week}/approve`, {
        method: "POST",
        headers: BROWSER,
        body: new URLSearchParams({ hash }),
      });
    expect((await approve(seen.hash)).status).toBe(202);
    expect(sent).toHaveLength(1);

    // Rebuilt before the consumer runs: the chunk finds a version nobody approved.
    const after = [{ ...before[0]!, html: before[0]!.html.replace("12 ships", "16 ships") }];
    const { request: newApp } = makeApp(after, { DIGEST_QUEUE: queue });
    await newApp(`/admin/digests/${week}/rebuild`, { method: "POST", headers: BROWSER });
    const held = await deliver([sent[0]!.body]);
    expect(held.explicitAcks).toEqual(["msg-0"]);
    expect(await copies(week)).toEqual({});
    const home = await (await newApp("/admin", { headers: BROWSER })).text();
    expect(await htmlTexts(home, "ul.waiting li")).toContainEqual(
      expect.stringMatching(new RegExp(`^${week}: needs review`)),
    );

    // Approving the new version sends it, once.
    const fresh = approveForm(
      await (await newApp(`/admin/digests/${week}/review`, { headers: BROWSER })).text(),
    )!;
    expect((await approve(fresh.hash, newApp)).status).toBe(202);
    expect(sent).toHaveLength(2);
    await deliver([sent[1]!.body]);
    expect(await copies(week)).toEqual({ "a@inflight.example": 1 });
    const home2 = await (await newApp("/admin", { headers: BROWSER })).text();
    expect((await htmlLinks(home2, "ul.waiting a")).map((l) => l.text)).not.toContain(week);
  });
});

describe("the notice to ADMIN_EMAIL", () => {
  it("is sent once per waiting version, not once per cron run, through the outbox", async () => {
    const week = "2024-W50";
    const vars = { ADMIN_EMAIL: "editor@notice.example" };
    const notices = async () =>
      (await listOutbox(env.DB)).filter((m) => m.to === "editor@notice.example");
    const before = [extractedBrief(week)];
    await fireCron(week, before, vars);
    await fireCron(week, before, vars);
    const [notice, ...more] = await notices();
    expect(more).toEqual([]);
    expect(notice!.subject).toBe(`Review needed: the digest of ${week}`);
    expect(notice!.text).toContain(`${BASE}/admin/digests/${week}/review`);
    expect(notice!.text).toContain("China and Russia held joint naval drills near Vladivostok");

    // A rebuild that still needs review is a new version: one more notice.
    const after = [{ ...before[0]!, html: before[0]!.html.replace("12 ships", "14 ships") }];
    const { request } = makeApp(after, vars);
    await request(`/admin/digests/${week}/rebuild`, { method: "POST", headers: BROWSER });
    await fireCron(week, after, vars);
    await fireCron(week, after, vars);
    expect(await notices()).toHaveLength(2);
    // Without ADMIN_EMAIL nobody is mailed: the log and the admin home still tell.
    await fireCron("2024-W51", [extractedBrief("2024-W51")]);
    const reviewNotices = (await listOutbox(env.DB)).filter((m) =>
      m.subject.startsWith("Review needed"),
    );
    expect(reviewNotices.map((m) => m.subject)).toEqual([
      `Review needed: the digest of ${week}`,
      `Review needed: the digest of ${week}`,
    ]);
  });

  it("that the provider refused is tried again on the next cron run, then not again", async () => {
    const week = "2025-W02";
    const baseUrl = `${env.EMAIL_API_URL}/ns/review-notice`;
    const api = (path: string, body?: unknown) =>
      fetch(`${baseUrl}${path}`, {
        method: body === undefined ? "GET" : "POST",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    await api("/__reset", {});
    await api("/__script", [503]);
    const vars = {
      ADMIN_EMAIL: "editor@retry.example",
      MAIL_TRANSPORT: "http",
      EMAIL_API_URL: baseUrl,
    };
    const received = async () =>
      ((await (await api("/__received")).json()) as { to: string[]; subject: string }[]).map(
        (m) => `${m.to.join()}: ${m.subject}`,
      );
    const articles = [extractedBrief(week)];
    await fireCron(week, articles, vars);
    expect(await received()).toEqual([]);
    await fireCron(week, articles, vars);
    await fireCron(week, articles, vars);
    expect(await received()).toEqual([
      `editor@retry.example: Review needed: the digest of ${week}`,
    ]);
  });
});
