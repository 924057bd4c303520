/**
 * What a reader receives (migrations/0015_reader_topics.sql): their topics and their pause, and
 * the record of every change, which is part of the consent record. Every query, typed.
 */
import { type Topic, topicsKey, topicsOfKey } from "../model/topic.ts";

/** Where a change came from, as the consent record names it. */
export type PreferenceSource = "sign-up" | "preferences" | "import" | "admin";

export interface ReaderPreferences {
  readonly id: number;
  readonly email: string;
  readonly status: string;
  /** Empty: everything. */
  readonly topics: readonly Topic[];
  /** ISO 8601, or null when not paused. */
  readonly pausedUntil: string | null;
}

export async function readPreferences(
  db: D1Database,
  subscriberId: number,
): Promise<ReaderPreferences | null> {
  const row = await db
    .prepare("SELECT id, email, status, topics, paused_until FROM subscribers WHERE id = ?1")
    .bind(subscriberId)
    .first<{
      id: number;
      email: string;
      status: string;
      topics: string | null;
      paused_until: string | null;
    }>();
  return row
    ? {
        id: row.id,
        email: row.email,
        status: row.status,
        topics: topicsOfKey(row.topics),
        pausedUntil: row.paused_until,
      }
    : null;
}

/** The change's line in the consent record, written with the subscriber's new values. */
function recordChange(
  db: D1Database,
  subscriberId: number,
  source: PreferenceSource,
  now: Date,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO preference_changes (subscriber_id, changed_at, source, topics, paused_until)
       SELECT id, ?2, ?3, topics, paused_until FROM subscribers WHERE id = ?1`,
    )
    .bind(subscriberId, now.toISOString(), source);
}

/**
 * Sets a subscriber's topics (empty: everything), recorded in the consent record with its
 * source. For the preferences page, and for importers that bring readers' topics along.
 * Returns false when there is no such subscriber.
 */
export async function setSubscriberTopics(
  db: D1Database,
  subscriberId: number,
  topics: readonly Topic[],
  source: PreferenceSource,
  now: Date,
): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .prepare("UPDATE subscribers SET topics = ?2, updated_at = ?3 WHERE id = ?1")
      .bind(subscriberId, topicsKey(topics), now.toISOString()),
    recordChange(db, subscriberId, source, now),
  ]);
  return updated!.meta.changes === 1;
}

/** Pauses until `until` (null: resumes now), recorded in the consent record. */
export async function setSubscriberPause(
  db: D1Database,
  subscriberId: number,
  until: Date | null,
  source: PreferenceSource,
  now: Date,
): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .prepare("UPDATE subscribers SET paused_until = ?2, updated_at = ?3 WHERE id = ?1")
      .bind(subscriberId, until?.toISOString() ?? null, now.toISOString()),
    recordChange(db, subscriberId, source, now),
  ]);
  return updated!.meta.changes === 1;
}

/** One line of a subscriber's preference history, oldest first. */
export interface PreferenceChange {
  readonly changedAt: string;
  readonly source: string;
  readonly topics: readonly Topic[];
  readonly pausedUntil: string | null;
}

export async function preferenceHistory(
  db: D1Database,
  subscriberId: number,
): Promise<PreferenceChange[]> {
  const { results } = await db
    .prepare(
      `SELECT changed_at, source, topics, paused_until FROM preference_changes
       WHERE subscriber_id = ?1 ORDER BY id`,
    )
    .bind(subscriberId)
    .all<{
      changed_at: string;
      source: string;
      topics: string | null;
      paused_until: string | null;
    }>();
  return results.map((r) => ({
    changedAt: r.changed_at,
    source: r.source,
    topics: topicsOfKey(r.topics),
    pausedUntil: r.paused_until,
  }));
}
