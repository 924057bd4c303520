/** The digests table (migrations/0001_create_digests.sql): every query, typed. */
import { type DigestSummary, upgradeSummary, type WeekKey } from "./summary/model.ts";

export type DigestStatus = "built" | "sending" | "sent";

export interface StoredDigest {
  readonly week: WeekKey;
  readonly id: string;
  readonly status: DigestStatus;
  /** When its last send completed (every queue message done), or null (src/delivery/send-progress.ts). */
  readonly sentAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly timeZone: string;
  readonly articleCount: number;
  readonly summary: DigestSummary;
  readonly html: string;
  readonly text: string;
  readonly contentHash: string;
}

/** A digest without its large columns, for listings and feeds. */
export type DigestListing = Omit<StoredDigest, "html" | "text">;

interface Row {
  week: string;
  id: string;
  status: DigestStatus;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
  time_zone: string;
  article_count: number;
  summary_json: string;
  html?: string;
  text?: string;
  content_hash: string;
}

function fromRow(row: Row): StoredDigest {
  return {
    week: row.week,
    id: row.id,
    status: row.status,
    sentAt: row.sent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    timeZone: row.time_zone,
    articleCount: row.article_count,
    summary: upgradeSummary(JSON.parse(row.summary_json) as DigestSummary),
    html: row.html ?? "",
    text: row.text ?? "",
    contentHash: row.content_hash,
  };
}

const LISTING_COLUMNS =
  "week, id, status, sent_at, created_at, updated_at, time_zone, article_count, summary_json, content_hash";

export interface NewDigest {
  readonly week: WeekKey;
  readonly timeZone: string;
  readonly summary: DigestSummary;
  readonly html: string;
  readonly text: string;
  readonly contentHash: string;
  readonly now: Date;
}

/**
 * When a digest counts as published: the end of its week (Monday 00:00 in its zone), whenever
 * it was built. Its `updated` starts there and moves only when its content changes, so a
 * backfill of old weeks never makes them look new to feed readers.
 */
export function digestPublished(summary: Pick<DigestSummary, "end">): string {
  return summary.end;
}

/**
 * Inserts the week's digest unless it already exists. Returns true when this call created it:
 * a second run (cron retry, backfill) changes nothing.
 */
export async function insertDigestIfAbsent(db: D1Database, d: NewDigest): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO digests (week, id, status, created_at, updated_at, time_zone, article_count, summary_json, html, text, content_hash)
       VALUES (?1, ?2, 'built', ?3, ?10, ?4, ?5, ?6, ?7, ?8, ?9)
       ON CONFLICT (week) DO NOTHING`,
    )
    .bind(
      d.week,
      `urn:uuid:${crypto.randomUUID()}`,
      d.now.toISOString(),
      d.timeZone,
      d.summary.articles.length,
      JSON.stringify(d.summary),
      d.html,
      d.text,
      d.contentHash,
      digestPublished(d.summary),
    )
    .run();
  return result.meta.changes === 1;
}

/**
 * Replaces an existing week's summary and rendering (an operator's rebuild after editing
 * content), keeping its id and created time so readers do not see a new item; its updated time
 * moves to now (never before its publication). Returns false when nothing changed.
 */
export async function replaceDigest(db: D1Database, d: NewDigest): Promise<boolean> {
  const published = digestPublished(d.summary);
  const updated = d.now.toISOString() > published ? d.now.toISOString() : published;
  const result = await db
    .prepare(
      `UPDATE digests SET updated_at = ?2, time_zone = ?3, article_count = ?4, summary_json = ?5, html = ?6, text = ?7, content_hash = ?8
       WHERE week = ?1 AND content_hash <> ?8`,
    )
    .bind(
      d.week,
      updated,
      d.timeZone,
      d.summary.articles.length,
      JSON.stringify(d.summary),
      d.html,
      d.text,
      d.contentHash,
    )
    .run();
  return result.meta.changes === 1;
}

/** The content hash of the week's stored digest, or null when there is none: a cheap check
 * of whether a cached rendering is still current. */
export async function getDigestContentHash(db: D1Database, week: WeekKey): Promise<string | null> {
  const row = await db
    .prepare("SELECT content_hash FROM digests WHERE week = ?1")
    .bind(week)
    .first<{ content_hash: string }>();
  return row?.content_hash ?? null;
}

export async function getDigest(db: D1Database, week: WeekKey): Promise<StoredDigest | null> {
  const row = await db.prepare("SELECT * FROM digests WHERE week = ?1").bind(week).first<Row>();
  return row ? fromRow(row) : null;
}

/** Newest week first. */
export async function listDigests(db: D1Database, limit = 1000): Promise<DigestListing[]> {
  const { results } = await db
    .prepare(`SELECT ${LISTING_COLUMNS} FROM digests ORDER BY week DESC LIMIT ?1`)
    .bind(limit)
    .all<Row>();
  return results.map(fromRow);
}

/**
 * A cheap version stamp of the whole archive, for caching its listings and feeds: every insert
 * adds a row and every rebuild moves updated_at forward.
 */
export async function archiveVersion(db: D1Database): Promise<string> {
  const row = await db
    .prepare("SELECT count(*) AS n, coalesce(max(updated_at), '') AS latest FROM digests")
    .first<{ n: number; latest: string }>();
  return row ? `${row.n}:${row.latest}` : "0:";
}
