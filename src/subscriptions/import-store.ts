/**
 * The import's queries (migrations/0013_subscriber_imports.sql), on a SqlExecutor so the same
 * statements run through the Worker's D1 binding, the CLI's local D1, and `wrangler d1 execute
 * --remote`. Rows travel as one JSON array per statement (json_each), packed under D1's statement
 * size: 100,000 addresses are some 50 statements, not 100,000.
 *
 * Every write is conditional (ON CONFLICT DO NOTHING, NOT EXISTS) and tied to the import's key,
 * so running the same statements again completes what a stopped run left undone and changes
 * nothing once it is complete.
 */
import { literalBytes, type SqlExecutor, type Statement } from "../lib/sql-batch.ts";
import type { KnownTopics } from "./import-topics.ts";
import type { SubscriberStatus } from "./store.ts";

/** JSON per statement: inlined for `wrangler d1 execute` it stays under D1's 100,000 bytes. */
export const JSON_BYTES = 80_000;
/**
 * JSON per lookup through the D1 binding, which binds it as a value (D1 allows 2 MB) rather
 * than inlining it: 100,000 addresses are 3 queries instead of 35.
 */
export const BOUND_JSON_BYTES = 1_000_000;

/** `items` as JSON arrays of at most `maxBytes` each (as SQL literals). */
export function jsonChunks(items: readonly unknown[], maxBytes = JSON_BYTES): string[] {
  const chunks: string[] = [];
  let parts: string[] = [];
  let bytes = 2;
  for (const item of items) {
    const json = JSON.stringify(item);
    const size = literalBytes(json) + 1;
    if (parts.length > 0 && bytes + size > maxBytes) {
      chunks.push(`[${parts.join(",")}]`);
      parts = [];
      bytes = 2;
    }
    parts.push(json);
    bytes += size;
  }
  if (parts.length > 0) chunks.push(`[${parts.join(",")}]`);
  return chunks;
}

export interface KnownAddress {
  readonly email: string;
  readonly status: SubscriberStatus;
  readonly importId: number | null;
}

/** The subscribers among `emails` (normalized). */
export async function findKnownAddresses(
  exec: SqlExecutor,
  emails: readonly string[],
  chunkBytes = JSON_BYTES,
): Promise<KnownAddress[]> {
  const found: KnownAddress[] = [];
  for (const chunk of jsonChunks(emails, chunkBytes)) {
    found.push(
      ...(await exec.query<KnownAddress>(
        `SELECT email, status, import_id AS importId FROM subscribers
         WHERE email IN (SELECT value FROM json_each(?))`,
        [chunk],
      )),
    );
  }
  return found;
}

/** Up to this many tombstones are read whole (one query) rather than looked up by address. */
const READ_ALL_TOMBSTONES = 20_000;

/** Which of `hashes` (tombstones: SHA-256 of a normalized address) are tombstones. */
export async function findTombstones(
  exec: SqlExecutor,
  hashes: readonly string[],
  chunkBytes = JSON_BYTES,
): Promise<Set<string>> {
  const [count] = await exec.query<{ n: number }>(
    "SELECT count(*) AS n FROM subscriber_tombstones",
  );
  const found = new Set<string>();
  if ((count?.n ?? 0) === 0) return found;
  if (count!.n <= READ_ALL_TOMBSTONES) {
    // Deletions are few: reading them all is one query, however long the list.
    const all = await exec.query<{ h: string }>(
      "SELECT email_sha256 AS h FROM subscriber_tombstones",
    );
    const wanted = new Set(hashes);
    for (const r of all) if (wanted.has(r.h)) found.add(r.h);
    return found;
  }
  for (const chunk of jsonChunks(hashes, chunkBytes)) {
    const rows = await exec.query<{ h: string }>(
      `SELECT email_sha256 AS h FROM subscriber_tombstones
       WHERE email_sha256 IN (SELECT value FROM json_each(?))`,
      [chunk],
    );
    for (const r of rows) found.add(r.h);
  }
  return found;
}

/**
 * The tags and stories of the published version (its ContentMeta, src/content/meta.ts): what a
 * list's topics may name. None before the first publish.
 */
export async function findPublishedTopics(exec: SqlExecutor): Promise<KnownTopics> {
  const rows = await exec.query<{ kind: "tag" | "story"; id: string }>(
    `SELECT 'tag' AS kind, t.value ->> '$.tag' AS id
     FROM content_state cs JOIN content_versions v ON v.version = cs.version, json_each(v.meta, '$.tags') t
     WHERE cs.id = 1
     UNION
     SELECT 'story', s.value ->> '$.id'
     FROM content_state cs JOIN content_versions v ON v.version = cs.version, json_each(v.meta, '$.stories') s
     WHERE cs.id = 1`,
  );
  return {
    tags: new Set(rows.filter((r) => r.kind === "tag").map((r) => r.id)),
    stories: new Set(rows.filter((r) => r.kind === "story").map((r) => r.id)),
  };
}

/** The import recorded under `key`, if an earlier run of the same import wrote it. */
export async function findImport(exec: SqlExecutor, key: string): Promise<number | null> {
  const [row] = await exec.query<{ id: number }>(
    "SELECT id FROM subscriber_imports WHERE import_key = ?",
    [key],
  );
  return row?.id ?? null;
}

/**
 * How many of import `id`'s subscribers have their consent record: the import is complete when
 * that is every address it wrote.
 */
export async function countImported(exec: SqlExecutor, id: number): Promise<number> {
  const [row] = await exec.query<{ n: number }>(
    `SELECT count(*) AS n FROM subscribers s
     WHERE s.import_id = ? AND EXISTS (SELECT 1 FROM consents c WHERE c.subscriber_id = s.id AND c.import_id = s.import_id)`,
    [id],
  );
  return row?.n ?? 0;
}

export interface ImportRecord {
  readonly key: string;
  readonly source: string;
  readonly importedBy: string;
  readonly consentNote: string | null;
  /** The site's consent text version, recorded with the opt-in requests of a confirming import. */
  readonly consentTextVersion: string;
}

/**
 * One row to write: [line, email, name, subscribed_at, topics]; topics as the subscriber stores
 * them (src/model/topic.ts topicsKey), null: everything.
 */
export type ImportTuple = readonly [number, string, string | null, string | null, string | null];

const IMPORT_ID = "(SELECT id FROM subscriber_imports WHERE import_key = ?)";

export interface ImportStatements {
  /**
   * The import's row and its rows as the file had them, in statements of at most `chunkBytes`:
   * run in as many round trips as suits the connection; nobody is subscribed by them.
   */
  readonly staging: readonly Statement[];
  /**
   * The subscribers made from the staged rows (active with --consented, else pending) with their
   * topics, the record of those topics (source "import"), their consent records and, without consent, the confirmation emails they are owed: a few small
   * statements, for one round trip (one transaction through the D1 binding).
   */
  readonly finish: readonly Statement[];
}

/** The statements that import `tuples` (addresses no subscriber has) under `record`. */
export function importStatements(
  record: ImportRecord,
  tuples: readonly ImportTuple[],
  now: Date,
  chunkBytes = JSON_BYTES,
): ImportStatements {
  const at = now.toISOString();
  const consented = record.consentNote !== null;
  const staging: Statement[] = [
    {
      sql: `INSERT INTO subscriber_imports (import_key, source, imported_by, imported_at, consent_note)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT (import_key) DO NOTHING`,
      params: [record.key, record.source, record.importedBy, at, record.consentNote],
    },
  ];
  for (const chunk of jsonChunks(tuples, chunkBytes)) {
    staging.push({
      // WHERE true: SQLite's parser needs it before an upsert's ON CONFLICT after a SELECT.
      sql: `INSERT INTO subscriber_import_rows (import_id, email, line, name, subscribed_at, topics)
            SELECT ${IMPORT_ID}, j.value ->> 1, j.value ->> 0, j.value ->> 2, j.value ->> 3, j.value ->> 4
            FROM json_each(?) j WHERE true ON CONFLICT (import_id, email) DO NOTHING`,
      params: [record.key, chunk],
    });
  }
  const finish: Statement[] = [
    {
      // In the file's order, so ids follow it. An address someone else took since (a sign-up
      // while the import ran) keeps its row and its own topics: DO NOTHING, and it gets none of
      // what follows.
      sql: `INSERT INTO subscribers (email, status, created_at, updated_at, import_id, topics)
            SELECT r.email, ?, ?, ?, r.import_id, r.topics FROM subscriber_import_rows r
            WHERE r.import_id = ${IMPORT_ID} ORDER BY r.line
            ON CONFLICT (email) DO NOTHING`,
      params: [consented ? "active" : "pending", at, at, record.key],
    },
    {
      // The topics an import gave, in the consent record of what each reader receives
      // (migrations/0015_reader_topics.sql), once. Before the consents: a run that stopped
      // between the two is completed by the next (import.ts skips only a run whose consent
      // records are all written).
      sql: `INSERT INTO preference_changes (subscriber_id, changed_at, source, topics, paused_until)
            SELECT s.id, ?, 'import', r.topics, NULL FROM subscribers s
            JOIN subscriber_import_rows r ON r.import_id = s.import_id AND r.email = s.email
            WHERE s.import_id = ${IMPORT_ID} AND r.topics IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM preference_changes p WHERE p.subscriber_id = s.id AND p.source = 'import')`,
      params: [at, record.key],
    },
    {
      // The consent record: an import (form), which one (import_id: the file, who and when, and
      // the operator's words on the opt-in), confirmed at once with --consented. With the row's
      // topics, as a sign-up's request has its own: confirming a pending one sets the reader's
      // topics to the request's (confirmation-store.ts), which must not wipe the imported ones.
      sql: `INSERT INTO consents (subscriber_id, email, requested_at, request_ip, form, consent_text_version, confirmed_at, import_id, topics)
            SELECT s.id, s.email, ?, NULL, 'import', ?, ?, s.import_id,
              (SELECT r.topics FROM subscriber_import_rows r WHERE r.import_id = s.import_id AND r.email = s.email)
            FROM subscribers s
            WHERE s.import_id = ${IMPORT_ID}
              AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.subscriber_id = s.id AND c.import_id = s.import_id)`,
      params: [
        at,
        consented ? "import" : record.consentTextVersion,
        consented ? at : null,
        record.key,
      ],
    },
  ];
  if (!consented)
    finish.push({
      sql: `INSERT INTO import_confirmations (consent_id, import_id)
            SELECT c.id, c.import_id FROM subscribers s
            JOIN consents c ON c.subscriber_id = s.id AND c.import_id = s.import_id
            WHERE s.import_id = ${IMPORT_ID} ON CONFLICT (consent_id) DO NOTHING`,
      params: [record.key],
    });
  return { staging, finish };
}
