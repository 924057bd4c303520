/**
 * The subscriber import (issue 18) against the real D1: what a dry run, a real run and a re-run
 * write; rows reported by line; erased, bounced and complained addresses never brought back;
 * consented imports active with their consent record; the others owed one confirmation email,
 * sent through the queue consumer with a link that confirms. Topics: the published content's
 * tags and stories only, given to new subscribers and recorded once as the import's, never to
 * known ones, and what those readers then receive. Then /admin's upload. Every test uses its own
 * domain, since a file's tests share D1.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { d1Executor } from "../../src/lib/sql-batch.ts";
import { listOutbox } from "../../src/mail/outbox.ts";
import { deleteSubscriber } from "../../src/subscriptions/admin-store.ts";
import {
  type ImportConfirmMessage,
  releaseImportConfirmations,
} from "../../src/subscriptions/import-confirmations.ts";
import { ImportFileError } from "../../src/subscriptions/import-rows.ts";
import { importStatements } from "../../src/subscriptions/import-store.ts";
import {
  type ImportOptions,
  importKey,
  importSubscribers,
} from "../../src/subscriptions/import.ts";
import { importDetailLines, importSummary } from "../../src/subscriptions/import-report.ts";
import { setSubscriberTopics } from "../../src/subscriptions/preferences-store.ts";
import { suppress } from "../../src/subscriptions/store.ts";
import { publishFixtures, resetContent } from "../helpers/content.ts";
import { makeApp, makeDigestDeps } from "../helpers/fixtures.ts";
import { parseMime } from "../helpers/mime.ts";
import { htmlText, htmlTexts } from "../helpers/html.ts";
import { deliver, recordingQueue } from "../helpers/queue.ts";
import { TOPIC_STORIES, topicWeekArticles } from "../helpers/topic-week.ts";

const NOW = new Date("2026-11-30T10:00:00Z");
const options = (over: Partial<ImportOptions> = {}): ImportOptions => ({
  source: "list.csv",
  importedBy: "Ana (test)",
  consentNote: null,
  consentTextVersion: "2026-11-21",
  dryRun: false,
  now: NOW,
  ...over,
});
const run = (text: string, over: Partial<ImportOptions> = {}) =>
  importSubscribers(d1Executor(env.DB), text, options(over));

const STORIES = TOPIC_STORIES;

/** Publishes topicWeekArticles(): the tags china, north-korea and russia, the story troops-to-russia. */
async function publishWeek(): Promise<void> {
  await resetContent(env.DB);
  await publishFixtures(env.DB, { articles: topicWeekArticles(), stories: STORIES });
}

/** The subscribers' topics and their preference history, for the addresses under `domain`. */
async function topicsOf(domain: string) {
  const like = `%@${domain}`;
  const all = (sql: string) =>
    env.DB.prepare(sql)
      .bind(like)
      .all()
      .then((r) => r.results);
  return {
    subscribers: await all(
      "SELECT email, topics FROM subscribers WHERE email LIKE ?1 ORDER BY email",
    ),
    changes: await all(
      `SELECT s.email, p.source, p.topics, p.changed_at FROM preference_changes p
       JOIN subscribers s ON s.id = p.subscriber_id WHERE s.email LIKE ?1 ORDER BY s.email, p.id`,
    ),
  };
}

/** Every row of the tables an import writes, for the addresses under `domain`. */
async function snapshot(domain: string) {
  const like = `%@${domain}`;
  const q = (sql: string) =>
    env.DB.prepare(sql)
      .bind(like)
      .all()
      .then((r) => r.results);
  return {
    subscribers: await q(
      "SELECT email, status, created_at, updated_at, import_id FROM subscribers WHERE email LIKE ?1 ORDER BY email",
    ),
    consents: await q(
      "SELECT email, form, requested_at, confirmed_at, consent_text_version, import_id FROM consents WHERE email LIKE ?1 ORDER BY email",
    ),
    rows: await q(
      "SELECT email, line, name, subscribed_at, topics FROM subscriber_import_rows WHERE email LIKE ?1 ORDER BY email",
    ),
    owed: await q(
      "SELECT ic.consent_id, ic.queued_at, ic.mailed_at FROM import_confirmations ic JOIN consents c ON c.id = ic.consent_id WHERE c.email LIKE ?1",
    ),
  };
}

describe("importing a list", () => {
  it("a dry run reports what would happen and writes nothing", async () => {
    const text = "email,name\nA@dry.example,Ann\nb@dry.example,Bob\n";
    const report = await run(text, { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, records: 2, added: 2, confirmationEmails: 2 });
    expect(report.importId).toBeNull();
    expect(await snapshot("dry.example")).toEqual({
      subscribers: [],
      consents: [],
      rows: [],
      owed: [],
    });
  });

  it("lists each rejected or repeated row at its physical line (quoted line breaks counted)", async () => {
    await publishWeek();
    const text = [
      "\uFEFFemail,name,subscribed_at,topics",
      'one@lines.example,"Ann\r\nof two lines",2024-03-01,china',
      "not an address,x,,",
      "two@lines.example,,2024-02-30,",
      "three@lines.example,,,North Korea!",
      "ONE@lines.example,again,,",
      "four@lines.example,a,b,c,d",
      "five@lines.example,,2024-05-06T07:08:09+02:00,china; russia",
    ].join("\r\n");
    const report = await run(text, { dryRun: true });
    expect(report.rejected.map((r) => r.line)).toEqual([4, 5, 6, 8]);
    expect(report.rejected[0]!.reason).toMatch(/^email: That is not an email address/);
    expect(report.rejected[1]!.reason).toMatch(/subscribed_at “2024-02-30” is not a date/);
    expect(report.rejected[2]!.reason).toMatch(/topic “korea!” is not a topic/);
    expect(report.rejected[3]!.reason).toMatch(/5 fields where the header has 4/);
    expect(report.repeated).toEqual([{ line: 7, email: "one@lines.example", firstLine: 2 }]);
    expect(report.added).toBe(2);
  });

  it("refuses a file it cannot read as a whole, naming the line, and writes nothing", async () => {
    await expect(run('email\nok@broken.example\n"open@broken.example\n')).rejects.toThrow(
      new ImportFileError(
        "line 3: a quoted field is never closed: expected a closing quote (RFC 4180 CSV)",
      ),
    );
    await expect(run("name\nAnn\n")).rejects.toThrow(/line 1: no “email” column/);
    expect((await snapshot("broken.example")).subscribers).toEqual([]);
  });

  it("imports new addresses once: the same file again changes nothing, and known ones are left alone", async () => {
    await publishWeek();
    await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('old@rerun.example', 'unsubscribed', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
    ).run();
    const text =
      "email,name,subscribed_at,topics\nnew@rerun.example,“Nan”,2024-03-01,china;russia\nold@rerun.example,,,\n";
    const first = await run(text, { consentNote: "old site form, 2019–2024" });
    expect(first).toMatchObject({ added: 1, consented: true });
    expect(first.known).toEqual([
      {
        line: 3,
        email: "old@rerun.example",
        status: "unsubscribed",
        sameImport: false,
        fileTopics: [],
      },
    ]);
    const after = await snapshot("rerun.example");
    expect(after.subscribers).toEqual([
      expect.objectContaining({ email: "new@rerun.example", status: "active" }),
      expect.objectContaining({
        email: "old@rerun.example",
        status: "unsubscribed",
        import_id: null,
      }),
    ]);
    expect(after.rows).toEqual([
      {
        email: "new@rerun.example",
        line: 2,
        name: "“Nan”",
        subscribed_at: "2024-03-01T00:00:00.000Z",
        topics: '["tag:china","tag:russia"]',
      },
    ]);
    const again = await run(text, {
      consentNote: "old site form, 2019–2024",
      now: new Date("2026-12-01T00:00:00Z"),
    });
    expect(again).toMatchObject({ added: 0, importId: first.importId });
    expect(await snapshot("rerun.example")).toEqual(after);
  });

  it("gives a new subscriber the topics of their row, recorded once as the import's; a known reader keeps their own", async () => {
    await publishWeek();
    // A reader who chose their topics before the import: the list must not overwrite them.
    const own = await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('own@topics.example', 'active', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z') RETURNING id",
    ).first<{ id: number }>();
    await setSubscriberTopics(env.DB, own!.id, ["tag:russia"], "preferences", NOW);
    const text = [
      "email,topics",
      "tags@topics.example,China; story:troops-to-russia",
      "bare@topics.example,troops-to-russia north-korea",
      "all@topics.example,",
      "own@topics.example,china",
    ].join("\n");
    const consentNote = "old site form, 2019–2024";
    const report = await run(text, { consentNote });
    expect(report).toMatchObject({ added: 3, withTopics: 2, rejected: [] });
    expect(report.known).toEqual([
      {
        line: 5,
        email: "own@topics.example",
        status: "active",
        sameImport: false,
        fileTopics: ["tag:china"],
      },
    ]);
    expect(importSummary(report)).toContain(
      "Topics: 2 new subscribers given the topics of their row (recorded as chosen by the import); the others get everything. 1 already known address keeps its own topics: the file's are not applied.",
    );
    expect(importDetailLines(report)).toEqual([
      "line 5: own@topics.example already known (active): left as it is, its own topics kept (the file's tag:china not applied)",
    ]);
    const after = await topicsOf("topics.example");
    expect(after.subscribers).toEqual([
      { email: "all@topics.example", topics: null },
      // A bare id is the tag of that name, else the story.
      { email: "bare@topics.example", topics: '["story:troops-to-russia","tag:north-korea"]' },
      { email: "own@topics.example", topics: '["tag:russia"]' },
      { email: "tags@topics.example", topics: '["story:troops-to-russia","tag:china"]' },
    ]);
    const at = NOW.toISOString();
    expect(after.changes).toEqual([
      {
        email: "bare@topics.example",
        source: "import",
        topics: '["story:troops-to-russia","tag:north-korea"]',
        changed_at: at,
      },
      {
        email: "own@topics.example",
        source: "preferences",
        topics: '["tag:russia"]',
        changed_at: at,
      },
      {
        email: "tags@topics.example",
        source: "import",
        topics: '["story:troops-to-russia","tag:china"]',
        changed_at: at,
      },
    ]);

    // Run again, later: nothing changes, and the topics are not recorded a second time.
    const again = await run(text, { consentNote, now: new Date("2026-12-01T00:00:00Z") });
    expect(again).toMatchObject({ added: 0, withTopics: 0, importId: report.importId });
    expect(await topicsOf("topics.example")).toEqual(after);
  });

  it("a run that stopped before recording the topics records them once when run again", async () => {
    await publishWeek();
    const text = "email,topics\nhalf@topics-resume.example,china\n";
    const record = {
      key: await importKey(text, "fair"),
      source: "list.csv",
      importedBy: "Ana (test)",
      consentNote: "fair",
      consentTextVersion: "2026-11-21",
    };
    const { staging, finish } = importStatements(
      record,
      [[2, "half@topics-resume.example", null, null, '["tag:china"]']],
      NOW,
    );
    const exec = d1Executor(env.DB);
    await exec.execute(staging);
    await exec.execute(finish.slice(0, 1));
    await run(text, { consentNote: "fair" });
    await run(text, { consentNote: "fair" });
    expect((await topicsOf("topics-resume.example")).changes).toEqual([
      {
        email: "half@topics-resume.example",
        source: "import",
        topics: '["tag:china"]',
        changed_at: NOW.toISOString(),
      },
    ]);
  });

  it("rejects a row naming a topic the published content does not have, with its line and the topic", async () => {
    await publishWeek();
    const text = [
      "email,topics",
      "ok@unknown-topic.example,china",
      "typo@unknown-topic.example,chinaa",
      "tag@unknown-topic.example,russia;tag:troops-to-russia",
      "story@unknown-topic.example,story:china",
    ].join("\n");
    const report = await run(text, { consentNote: "fair" });
    expect(report.rejected).toEqual([
      {
        line: 3,
        reason:
          "topic “chinaa” is not a tag or story of the published content: expected one of its tags or story ids (they are listed on the preferences page), or an empty cell (everything)",
      },
      { line: 4, reason: expect.stringMatching(/^topic “tag:troops-to-russia” is not a tag of/) },
      { line: 5, reason: expect.stringMatching(/^topic “story:china” is not a story of/) },
    ]);
    expect(report).toMatchObject({ added: 1, withTopics: 1 });
    expect((await topicsOf("unknown-topic.example")).subscribers).toEqual([
      { email: "ok@unknown-topic.example", topics: '["tag:china"]' },
    ]);

    // Before anything is published there is no topic to name: the message says so.
    await resetContent(env.DB);
    const early = await run("email,topics\nearly@unknown-topic.example,china\n", { dryRun: true });
    expect(early.rejected[0]!.reason).toMatch(
      /^topic “china” is not a tag or story of the published content, which has none yet: publish the content first/,
    );
  });

  it("a reader imported with topics receives only their topics' items; one without, the whole digest", async () => {
    const articles = topicWeekArticles();
    // Building the digest publishes the articles, and with them their tags and story.
    await buildDigest(env.DB, parseConfig(env), makeDigestDeps(articles, STORIES), "2024-W43");
    await run(
      "email,topics\nstory@topic-mail.example,story:troops-to-russia\nchina@topic-mail.example,china\nall@topic-mail.example,\n",
      { consentNote: "fair" },
    );
    const { queue, sent } = recordingQueue<DigestChunkMessage>();
    const { request } = makeApp(articles, { DIGEST_QUEUE: queue, DIGEST_SEND: "always" }, STORIES);
    const admin = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };
    const res = await request("/admin/digests/2024-W43/send", { method: "POST", headers: admin });
    expect(res.status).toBe(202);
    expect((await deliver(sent.map((m) => m.body))).retryMessages).toEqual([]);

    const list = (await (await request("/admin/outbox.json", { headers: admin })).json()) as {
      id: number;
      to: string;
      subject: string;
    }[];
    const text = new Map<string, string>();
    for (const m of list.filter((m) => m.to.endsWith("@topic-mail.example"))) {
      expect(m.subject).toMatch(/^Axis developments:/);
      const eml = await request(`/admin/outbox/${m.id}.eml`, { headers: admin });
      const mime = parseMime(new TextDecoder().decode(await eml.arrayBuffer()));
      text.set(m.to, mime.parts.find((p) => p.contentType.mediaType === "text/plain")!.body);
    }
    expect([...text.keys()].sort()).toEqual([
      "all@topic-mail.example",
      "china@topic-mail.example",
      "story@topic-mail.example",
    ]);
    expect(text.get("story@topic-mail.example")).toContain("1,500 special forces");
    expect(text.get("story@topic-mail.example")).not.toContain("Sea of Japan");
    expect(text.get("china@topic-mail.example")).toContain("Sea of Japan");
    expect(text.get("china@topic-mail.example")).not.toContain("1,500 special forces");
    expect(text.get("all@topic-mail.example")).toContain("1,500 special forces");
    expect(text.get("all@topic-mail.example")).toContain("Sea of Japan");
  });

  it("a run that stopped half-way is completed by the same command, to the same end state", async () => {
    const text = "email,name\na@resume.example,A\nb@resume.example,B\n";
    const exec = d1Executor(env.DB);
    const record = {
      key: await importKey(text, null),
      source: "list.csv",
      importedBy: "Ana (test)",
      consentNote: null,
      consentTextVersion: "2026-11-21",
    };
    const tuples = [
      [2, "a@resume.example", "A", null, null],
      [3, "b@resume.example", "B", null, null],
    ] as const;
    const { staging, finish } = importStatements(record, tuples, NOW);
    // Stopped after the subscribers were written, before their consent records.
    await exec.execute(staging);
    await exec.execute(finish.slice(0, 1));
    const report = await run(text);
    expect(report.known.map((k) => k.sameImport)).toEqual([true, true]);
    const resumed = await snapshot("resume.example");
    expect(resumed.subscribers.map((s) => s.status)).toEqual(["pending", "pending"]);
    expect(resumed.consents).toHaveLength(2);
    expect(resumed.owed).toHaveLength(2);
    // And once more: nothing changes.
    await run(text);
    expect(await snapshot("resume.example")).toEqual(resumed);
  });

  it("never brings back an erased, bounced or complained address, and reports each", async () => {
    const db = env.DB;
    for (const [email, status] of [
      ["gone@never.example", "active"],
      ["bounce@never.example", "active"],
      ["spam@never.example", "active"],
    ])
      await db
        .prepare(
          "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, ?2, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
        )
        .bind(email, status)
        .run();
    await deleteSubscriber(db, "gone@never.example", NOW);
    await suppress(db, "bounce@never.example", "bounced", NOW);
    await suppress(db, "spam@never.example", "complained", NOW);
    const before = await snapshot("never.example");
    const report = await run(
      "email\nGone@never.example\nbounce@never.example\nspam@never.example\n",
      { consentNote: "trade fair sign-up sheet, May 2025" },
    );
    expect(report.refused).toEqual([
      { line: 2, email: "gone@never.example", reason: "erased" },
      { line: 3, email: "bounce@never.example", reason: "bounced" },
      { line: 4, email: "spam@never.example", reason: "complained" },
    ]);
    expect(report.added).toBe(0);
    expect(await snapshot("never.example")).toEqual(before);
  });

  it("with consent: active at once, the consent record naming the import, who, where and when; no email", async () => {
    const report = await run("email\nyes@consented.example\n", {
      consentNote: "ticked the box at the 2025 conference",
    });
    const snap = await snapshot("consented.example");
    expect(snap.subscribers).toEqual([expect.objectContaining({ status: "active" })]);
    expect(snap.consents).toEqual([
      {
        email: "yes@consented.example",
        form: "import",
        requested_at: NOW.toISOString(),
        confirmed_at: NOW.toISOString(),
        consent_text_version: "import",
        import_id: report.importId,
      },
    ]);
    const record = await env.DB.prepare(
      "SELECT source, imported_by, imported_at, consent_note FROM subscriber_imports WHERE id = ?1",
    )
      .bind(report.importId)
      .first();
    expect(record).toEqual({
      source: "list.csv",
      imported_by: "Ana (test)",
      imported_at: NOW.toISOString(),
      consent_note: "ticked the box at the 2025 conference",
    });
    expect(snap.owed).toEqual([]);
  });

  it("without consent: pending, one confirmation email each through the queue, whose link confirms", async () => {
    await publishWeek();
    const report = await run(
      "email,topics\nfirst@confirm.example,china\nsecond@confirm.example,\n",
    );
    expect(report).toMatchObject({ added: 2, confirmationEmails: 2, consented: false });
    const snap = await snapshot("confirm.example");
    expect(snap.subscribers.map((s) => s.status)).toEqual(["pending", "pending"]);
    expect(snap.consents.map((c) => c.confirmed_at)).toEqual([null, null]);
    // Nothing is sent by the import itself.
    const mailTo = async (email: string) =>
      (await listOutbox(env.DB, 1000)).filter((m) => m.to === email);
    expect(await mailTo("first@confirm.example")).toEqual([]);

    const { queue, sent } = recordingQueue<ImportConfirmMessage>();
    expect(await releaseImportConfirmations(env.DB, queue, report.importId!, NOW)).toBe(2);
    // Released once: a second press queues nothing.
    expect(await releaseImportConfirmations(env.DB, queue, report.importId!, NOW)).toBe(0);
    expect(sent).toHaveLength(1);
    const bodies = sent.map((m) => m.body) as never[];
    expect((await deliver(bodies)).explicitAcks).toEqual(["msg-0"]);
    // The same message again (a redelivery) sends nothing more.
    await deliver(bodies);
    const [mail] = await mailTo("first@confirm.example");
    expect(await mailTo("first@confirm.example")).toHaveLength(1);
    expect(await mailTo("second@confirm.example")).toHaveLength(1);
    const token = /\/confirm\/([A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!;
    const { request } = makeApp([]);
    const confirmed = await request(`/confirm/${token}`, {
      method: "POST",
      headers: { "Sec-Fetch-Site": "same-origin" },
    });
    expect(confirmed.status).toBe(200);
    const statuses = (await snapshot("confirm.example")).subscribers.map((s) => s.status);
    expect(statuses).toEqual(["active", "pending"]);
    // Confirming sets the reader's topics to what the request asked for: the import's row's
    // (regression: the import's consent record had none, and confirming cleared them).
    expect((await topicsOf("confirm.example")).subscribers).toEqual([
      { email: "first@confirm.example", topics: '["tag:china"]' },
      { email: "second@confirm.example", topics: null },
    ]);
  });

  it("erasing an imported subscriber erases the import's record of them too", async () => {
    await run("email,name\nerase@erase.example,Eve\n");
    await deleteSubscriber(env.DB, "erase@erase.example", NOW);
    expect(await snapshot("erase.example")).toEqual({
      subscribers: [],
      consents: [],
      rows: [],
      owed: [],
    });
  });
});

const TOKEN = "test-admin-token-0123456789abcdefghij";
const BROWSER = {
  Authorization: `Basic ${btoa(`admin:${TOKEN}`)}`,
  "Sec-Fetch-Site": "same-origin",
  Accept: "text/html",
};

function upload(csv: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.set("list", new File([csv], "people.csv", { type: "text/csv" }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

describe("/admin/subscribers/import", () => {
  const { request } = makeApp([]);

  it("shows the form with its size limit", async () => {
    const res = await request("/admin/subscribers/import", { headers: BROWSER });
    expect(res.status).toBe(200);
    expect(await htmlText(await res.text(), "label")).toContain("at most 1024 KB");
  });

  it("uploads a list and shows the same report, with every named row and its line", async () => {
    const csv = "email,name\nfine@upload.example,Ann\nnope,Bob\nfine@upload.example,again\n";
    const dry = await request("/admin/subscribers/import", {
      method: "POST",
      headers: BROWSER,
      body: upload(csv, { dry_run: "1" }),
    });
    expect(dry.status).toBe(200);
    expect(await htmlTexts(await dry.text(), "h2")).toContain("Dry run: nothing was written");
    expect((await snapshot("upload.example")).subscribers).toEqual([]);

    const res = await request("/admin/subscribers/import", {
      method: "POST",
      headers: BROWSER,
      body: upload(csv),
    });
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(await htmlTexts(page, "p")).toContain(
      "1 new subscriber added as pending; 1 confirmation email owed.",
    );
    expect(await htmlTexts(page, "td")).toEqual(
      expect.arrayContaining([
        "3",
        expect.stringMatching(/^rejected: email: That is not an email address/),
        "4",
        "repeats line 2: skipped",
      ]),
    );
    expect(await htmlTexts(page, "p")).toContain("1 confirmation emails were handed to the queue.");
    const snap = await snapshot("upload.example");
    expect(snap.subscribers).toEqual([expect.objectContaining({ status: "pending" })]);
    expect(snap.owed).toEqual([expect.objectContaining({ queued_at: expect.any(String) })]);
  });

  it("reports the topics it gave, the unknown one by line, and the known reader's it did not apply", async () => {
    const { request: withContent } = makeApp(topicWeekArticles(), {}, STORIES);
    await publishWeek();
    const own = await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('own@upload-topics.example', 'active', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z') RETURNING id",
    ).first<{ id: number }>();
    await setSubscriberTopics(env.DB, own!.id, ["tag:russia"], "preferences", NOW);
    const csv = [
      "email,topics",
      "new@upload-topics.example,china",
      "typo@upload-topics.example,chna",
      "own@upload-topics.example,story:troops-to-russia",
    ].join("\n");
    const res = await withContent("/admin/subscribers/import", {
      method: "POST",
      headers: BROWSER,
      body: upload(csv, { consented: "fair" }),
    });
    expect(res.status).toBe(200);
    const page = await res.text();
    const paragraphs = await htmlTexts(page, "p");
    // Regression: the page said topics were checked but never applied.
    expect(paragraphs.filter((p) => /not applied|none are applied/.test(p))).toEqual([
      "Topics: 1 new subscriber given the topics of their row (recorded as chosen by the import); the others get everything. 1 already known address keeps its own topics: the file's are not applied.",
    ]);
    expect(await htmlTexts(page, "td")).toEqual(
      expect.arrayContaining([
        "3",
        expect.stringMatching(
          /^rejected: topic “chna” is not a tag or story of the published content/,
        ),
        "4",
        "already known (active): left as it is, its own topics kept (the file's story:troops-to-russia not applied)",
      ]),
    );
    expect((await topicsOf("upload-topics.example")).subscribers).toEqual([
      { email: "new@upload-topics.example", topics: '["tag:china"]' },
      { email: "own@upload-topics.example", topics: '["tag:russia"]' },
    ]);
  });

  it("refuses a file over the limit (413), another site's form (403), and no credentials (401)", async () => {
    const big = `email\n${"x".repeat(1_048_576)}\n`;
    const tooLarge = await request("/admin/subscribers/import", {
      method: "POST",
      headers: BROWSER,
      body: upload(big),
    });
    expect(tooLarge.status).toBe(413);
    const forged = await request("/admin/subscribers/import", {
      method: "POST",
      headers: { ...BROWSER, "Sec-Fetch-Site": "cross-site" },
      body: upload("email\nforged@csrf.example\n"),
    });
    expect(forged.status).toBe(403);
    const anonymous = await request("/admin/subscribers/import", {
      method: "POST",
      headers: { "Sec-Fetch-Site": "same-origin" },
      body: upload("email\nanon@csrf.example\n"),
    });
    expect(anonymous.status).toBe(401);
    expect((await snapshot("csrf.example")).subscribers).toEqual([]);
  });

  it("a broken file is a 400 naming the field, the file and the line", async () => {
    const res = await request("/admin/subscribers/import", {
      method: "POST",
      headers: { ...BROWSER, Accept: "application/json" },
      body: upload('email\n"unclosed@bad.example\n'),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/list.*people\.csv: line 2: a quoted field is never closed/);
  });
});
