/**
 * The subscriber import (issue 18) against the real D1: what a dry run, a real run and a re-run
 * write; rows reported by line; erased, bounced and complained addresses never brought back;
 * consented imports active with their consent record; the others owed one confirmation email,
 * sent through the queue consumer with a link that confirms. Then /admin's upload. Every test
 * uses its own domain, since a file's tests share D1.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
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
import { suppress } from "../../src/subscriptions/store.ts";
import { makeApp } from "../helpers/fixtures.ts";
import { htmlText, htmlTexts } from "../helpers/html.ts";
import { deliver, recordingQueue } from "../helpers/queue.ts";

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
    await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('old@rerun.example', 'unsubscribed', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
    ).run();
    const text =
      "email,name,subscribed_at,topics\nnew@rerun.example,“Nan”,2024-03-01,china;russia\nold@rerun.example,,,\n";
    const first = await run(text, { consentNote: "old site form, 2019–2024" });
    expect(first).toMatchObject({ added: 1, consented: true });
    expect(first.known).toEqual([
      { line: 3, email: "old@rerun.example", status: "unsubscribed", sameImport: false },
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
        topics: '["china","russia"]',
      },
    ]);
    const again = await run(text, {
      consentNote: "old site form, 2019–2024",
      now: new Date("2026-12-01T00:00:00Z"),
    });
    expect(again).toMatchObject({ added: 0, importId: first.importId });
    expect(await snapshot("rerun.example")).toEqual(after);
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
    const report = await run("email\nfirst@confirm.example\nsecond@confirm.example\n");
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
