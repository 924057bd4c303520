/**
 * Importing a subscriber list (issue 18): `npm run subscribers:import` and /admin's upload both
 * run importSubscribers, and show the report it returns.
 *
 * - Each address is normalized and validated as a sign-up's is; a row that fails is reported
 *   with its line, and so is an address repeated in the file (its first row is the one used).
 * - Topics must be tags or stories of the published content (import-topics.ts): a row naming
 *   another is rejected with its line and the topic.
 * - An address that is already a subscriber is reported and left as it is, whatever its status,
 *   topics included: the import never overwrites a reader's choice;
 *   one that was erased (tombstone), bounced or complained is refused and reported: an import
 *   never brings anyone back.
 * - The rest are staged (the file's rows, under the import's key: the SHA-256 of the file and
 *   its consent), then subscribed in one last round trip (import-store.ts). A run that stops
 *   half-way has subscribed nobody, or (a remote file that fails between statements) some of
 *   the list: the same command again completes it, and a finished import run again changes
 *   nothing.
 * - With a consent note (--consented), the new subscribers are active at once and their consent
 *   record points at the import (where and when they opted in, who imported them and when).
 *   Without, each is pending and owed one confirmation email, sent through the queue
 *   (import-confirmations.ts), never from the request that imported them.
 */
import { groupStatements, type SqlExecutor } from "../lib/sql-batch.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { type Topic, topicsKey } from "../model/topic.ts";
import { tombstoneOf } from "./admin-store.ts";
import {
  type ImportList,
  readImportList,
  type RejectedRow,
  type RepeatedRow,
} from "./import-rows.ts";
import {
  countImported,
  findImport,
  findKnownAddresses,
  findPublishedTopics,
  findTombstones,
  type ImportTuple,
  importStatements,
  JSON_BYTES,
} from "./import-store.ts";
import { resolveTopics } from "./import-topics.ts";
import type { SubscriberStatus } from "./store.ts";

/**
 * Staging statements per round trip: 2 MB of rows (25 of 80 KB inlined, 2 of 1 MB bound), which
 * local D1's proxy and a `wrangler d1 execute` file both take comfortably.
 */
const stagingPerRoundTrip = (jsonBytes: number) => Math.max(1, Math.floor(2_000_000 / jsonBytes));

export interface ImportOptions {
  /** The file's name, as the operator gave it. */
  readonly source: string;
  /** Who imports: recorded with the import. */
  readonly importedBy: string;
  /** Where and when the people on the list opted in; null: send confirmation emails. */
  readonly consentNote: string | null;
  /** The sign-up form's consent text version (CONSENT_TEXT_VERSION). */
  readonly consentTextVersion: string;
  /** Report only: read and check everything, write nothing. */
  readonly dryRun: boolean;
  readonly now: Date;
  /**
   * SHA-256 (hex) of an address, for the tombstone check: Web Crypto's by default; the CLI
   * passes Node's synchronous one, some ten times faster over 100,000 addresses.
   */
  readonly sha256Hex?: (text: string) => string | Promise<string>;
  /**
   * JSON per statement (lookups and staged rows): BOUND_JSON_BYTES through the D1 binding
   * (the Worker, local D1); the default, JSON_BYTES, when values are inlined into SQL (`--remote`).
   */
  readonly jsonChunkBytes?: number;
}

export interface KnownRow {
  readonly line: number;
  readonly email: string;
  readonly status: SubscriberStatus;
  /** Imported by an earlier run of this same import (same file, same consent). */
  readonly sameImport: boolean;
  /**
   * The topics the file gives a subscriber who was there before (not sameImport): not applied,
   * their own stand. Empty when the row has none.
   */
  readonly fileTopics: readonly Topic[];
}

export interface RefusedRow {
  readonly line: number;
  readonly email: string;
  /** erased: the operator deleted the address (only its hash is kept). */
  readonly reason: "erased" | "bounced" | "complained";
}

export interface ImportReport {
  readonly source: string;
  readonly dryRun: boolean;
  readonly consented: boolean;
  /** Data rows in the file. */
  readonly records: number;
  /** New subscribers (to be) added. */
  readonly added: number;
  /** Confirmation emails (to be) owed: one per new subscriber without --consented. */
  readonly confirmationEmails: number;
  /** The import's id once written (or found from an earlier run); null on a dry run of a new one. */
  readonly importId: number | null;
  readonly rejected: readonly RejectedRow[];
  readonly repeated: readonly RepeatedRow[];
  readonly known: readonly KnownRow[];
  readonly refused: readonly RefusedRow[];
  readonly ignoredColumns: readonly string[];
  /** Whether the file had a topics column. */
  readonly hasTopics: boolean;
  /** New subscribers (to be) added with topics (the others get everything). */
  readonly withTopics: number;
}

/** The import's identity: the same bytes imported with the same consent are the same import. */
export function importKey(text: string, consentNote: string | null): Promise<string> {
  return sha256Hex(`${consentNote === null ? "confirm" : `consented:${consentNote}`}\n${text}`);
}

type TopicRow = ImportList["rows"][number] & { readonly resolved: readonly Topic[] };

function tuple(row: TopicRow): ImportTuple {
  return [row.line, row.email, row.name, row.subscribedAt, topicsKey(row.resolved)];
}

/** The rows whose topics are all the content's, with them resolved; the others rejected. */
async function settleTopics(
  exec: SqlExecutor,
  list: ImportList,
): Promise<{ rows: TopicRow[]; rejected: RejectedRow[] }> {
  const rejected = [...list.rejected];
  if (!list.rows.some((r) => r.topics !== null))
    return { rows: list.rows.map((r) => ({ ...r, resolved: [] })), rejected };
  const known = await findPublishedTopics(exec);
  const rows: TopicRow[] = [];
  for (const row of list.rows) {
    const topics = resolveTopics(row.topics ?? [], known);
    if (topics.ok) rows.push({ ...row, resolved: topics.topics });
    else rejected.push({ line: row.line, reason: topics.reason });
  }
  return { rows, rejected: rejected.sort((a, b) => a.line - b.line) };
}

/** Reads, checks and (unless a dry run) imports `text`; throws ImportFileError for a bad file. */
export async function importSubscribers(
  exec: SqlExecutor,
  text: string,
  options: ImportOptions,
): Promise<ImportReport> {
  const list = readImportList(text, options.now);
  const key = await importKey(text, options.consentNote);
  const { rows, rejected } = await settleTopics(exec, list);
  const emails = rows.map((r) => r.email);
  const [known, hashes, earlier] = await Promise.all([
    findKnownAddresses(exec, emails, options.jsonChunkBytes),
    Promise.all(emails.map((e) => (options.sha256Hex ?? tombstoneOf)(e))),
    findImport(exec, key),
  ]);
  const erased = await findTombstones(exec, hashes, options.jsonChunkBytes);
  const byEmail = new Map(known.map((k) => [k.email, k]));

  const knownRows: KnownRow[] = [];
  const refused: RefusedRow[] = [];
  const write: ImportTuple[] = [];
  let added = 0;
  let withTopics = 0;
  rows.forEach((row, i) => {
    const existing = byEmail.get(row.email);
    if (erased.has(hashes[i]!)) {
      refused.push({ line: row.line, email: row.email, reason: "erased" });
    } else if (existing?.status === "bounced" || existing?.status === "complained") {
      refused.push({ line: row.line, email: row.email, reason: existing.status });
    } else if (existing) {
      const sameImport = earlier !== null && existing.importId === earlier;
      knownRows.push({
        line: row.line,
        email: row.email,
        status: existing.status,
        sameImport,
        fileTopics: sameImport ? [] : row.resolved,
      });
      // An earlier run of this import created it: its statements run again and complete
      // whatever that run left undone (nothing, if it finished).
      if (sameImport) write.push(tuple(row));
    } else {
      write.push(tuple(row));
      added++;
      if (row.resolved.length > 0) withTopics++;
    }
  });

  // A re-run of a finished import has nothing to complete: skip its writes (no-ops, but 100,000
  // rows of them).
  const complete =
    added === 0 && earlier !== null && (await countImported(exec, earlier)) === write.length;
  if (!options.dryRun && write.length > 0 && !complete) {
    const { staging, finish } = importStatements(
      {
        key,
        source: options.source,
        importedBy: options.importedBy,
        consentNote: options.consentNote,
        consentTextVersion: options.consentTextVersion,
      },
      write,
      options.now,
      options.jsonChunkBytes,
    );
    for (const group of groupStatements(
      staging,
      stagingPerRoundTrip(options.jsonChunkBytes ?? JSON_BYTES),
    ))
      await exec.execute(group);
    await exec.execute(finish);
  }
  return {
    source: options.source,
    dryRun: options.dryRun,
    consented: options.consentNote !== null,
    records: list.records,
    added,
    confirmationEmails: options.consentNote === null ? added : 0,
    importId: options.dryRun || write.length === 0 ? earlier : await findImport(exec, key),
    rejected,
    repeated: list.repeated,
    known: knownRows,
    refused,
    ignoredColumns: list.ignoredColumns,
    hasTopics: list.hasTopics,
    withTopics,
  };
}
