/** The digest_reviews table (migrations/0012_digest_review.sql): every query, typed. */
import type { DigestStatus } from "./store.ts";
import { type DigestSummary, upgradeSummary, type WeekKey } from "./summary/model.ts";

export interface DigestReview {
  readonly week: WeekKey;
  /** The version the gate last held, and when it first held it; null if it never held one. */
  readonly heldHash: string | null;
  readonly heldAt: string | null;
  /** The version ADMIN_EMAIL was told about. */
  readonly noticedHash: string | null;
  /** The version a person approved, who and when. */
  readonly approvedHash: string | null;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
}

interface Row {
  week: string;
  held_hash: string | null;
  held_at: string | null;
  noticed_hash: string | null;
  approved_hash: string | null;
  approved_by: string | null;
  approved_at: string | null;
}

function fromRow(row: Row): DigestReview {
  return {
    week: row.week,
    heldHash: row.held_hash,
    heldAt: row.held_at,
    noticedHash: row.noticed_hash,
    approvedHash: row.approved_hash,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
  };
}

export async function getDigestReview(db: D1Database, week: WeekKey): Promise<DigestReview | null> {
  const row = await db
    .prepare("SELECT * FROM digest_reviews WHERE week = ?1")
    .bind(week)
    .first<Row>();
  return row ? fromRow(row) : null;
}

/**
 * Records that the gate held this version of the week's digest. `held_at` keeps the time it
 * first held this version, so the admin can say how long it has waited.
 */
export async function recordHold(
  db: D1Database,
  week: WeekKey,
  contentHash: string,
  now: Date,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO digest_reviews (week, held_hash, held_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (week) DO UPDATE SET held_hash = ?2, held_at = ?3
       WHERE held_hash IS NOT ?2`,
    )
    .bind(week, contentHash, now.toISOString())
    .run();
}

/**
 * Approves the week's digest if its stored version is still `contentHash`: the version the
 * reviewer saw. False when it changed meanwhile (a rebuild) or there is none: nothing recorded.
 */
export async function recordApproval(
  db: D1Database,
  week: WeekKey,
  contentHash: string,
  by: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO digest_reviews (week, approved_hash, approved_by, approved_at)
       SELECT week, content_hash, ?3, ?4 FROM digests WHERE week = ?1 AND content_hash = ?2
       ON CONFLICT (week) DO UPDATE SET approved_hash = excluded.approved_hash,
         approved_by = excluded.approved_by, approved_at = excluded.approved_at`,
    )
    .bind(week, contentHash, by, now.toISOString())
    .run();
  return result.meta.changes === 1;
}

/**
 * Takes the right to tell ADMIN_EMAIL about this version: true for exactly one caller per
 * version, even when two cron runs overlap. A caller whose notice then fails gives it back
 * (releaseNotice), so a later run tries again.
 */
export async function claimNotice(
  db: D1Database,
  week: WeekKey,
  contentHash: string,
): Promise<boolean> {
  const result = await db
    .prepare(
      "UPDATE digest_reviews SET noticed_hash = ?2 WHERE week = ?1 AND noticed_hash IS NOT ?2",
    )
    .bind(week, contentHash)
    .run();
  return result.meta.changes === 1;
}

export async function releaseNotice(
  db: D1Database,
  week: WeekKey,
  contentHash: string,
): Promise<void> {
  await db
    .prepare("UPDATE digest_reviews SET noticed_hash = NULL WHERE week = ?1 AND noticed_hash = ?2")
    .bind(week, contentHash)
    .run();
}

/** A digest the gate held: unsent, or held again mid-send after a rebuild. */
export interface HeldDigest {
  readonly review: DigestReview;
  readonly status: DigestStatus;
  readonly summary: DigestSummary;
  readonly contentHash: string;
}

/**
 * Every week the gate held that has not started sending, or whose current version it held,
 * newest first: whether each still waits for a person is the gate's call (review.ts).
 */
export async function listHeldDigests(db: D1Database): Promise<HeldDigest[]> {
  const { results } = await db
    .prepare(
      `SELECT r.*, d.summary_json, d.content_hash, d.status FROM digest_reviews r
       JOIN digests d ON d.week = r.week
       WHERE r.held_hash IS NOT NULL AND (d.status = 'built' OR r.held_hash = d.content_hash)
       ORDER BY r.week DESC`,
    )
    .all<Row & { summary_json: string; content_hash: string; status: DigestStatus }>();
  return results.map((row) => ({
    review: fromRow(row),
    status: row.status,
    summary: upgradeSummary(JSON.parse(row.summary_json) as DigestSummary),
    contentHash: row.content_hash,
  }));
}
