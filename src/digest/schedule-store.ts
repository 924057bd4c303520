/**
 * The digest_schedules table (migrations/0014_scheduled_sends_and_issues.sql): when each week's
 * digest goes out, every query typed. A claim is one conditional UPDATE, so of two cron runs
 * that overlap only one gets a due row.
 */
import type { WeekKey } from "./summary/model.ts";

export type ScheduleState = "scheduled" | "cancelled" | "claimed" | "waiting" | "done";

export interface DigestSchedule {
  readonly week: WeekKey;
  /** Milliseconds since the epoch. */
  readonly sendAt: number;
  /** auto: the cron's, at DIGEST_SEND_AT; admin: a time set in /admin. */
  readonly origin: "auto" | "admin";
  readonly state: ScheduleState;
  readonly changedBy: string | null;
  readonly updatedAt: string;
}

interface Row {
  week: string;
  send_at: number;
  origin: "auto" | "admin";
  state: ScheduleState;
  changed_by: string | null;
  updated_at: string;
}

const fromRow = (r: Row): DigestSchedule => ({
  week: r.week,
  sendAt: r.send_at,
  origin: r.origin,
  state: r.state,
  changedBy: r.changed_by,
  updatedAt: r.updated_at,
});

export async function getSchedule(db: D1Database, week: WeekKey): Promise<DigestSchedule | null> {
  const row = await db
    .prepare("SELECT * FROM digest_schedules WHERE week = ?1")
    .bind(week)
    .first<Row>();
  return row ? fromRow(row) : null;
}

/** Sends not yet started or waiting for approval, soonest first (the admin home lists them). */
export async function listPendingSchedules(db: D1Database): Promise<DigestSchedule[]> {
  const { results } = await db
    .prepare(
      "SELECT * FROM digest_schedules WHERE state IN ('scheduled', 'waiting') ORDER BY send_at, week",
    )
    .all<Row>();
  return results.map(fromRow);
}

/**
 * The cron's own plan for `week` (DIGEST_SEND_AT). Changes nothing when the week already has
 * one: an admin's time or cancellation stands, and a sent week is not planned again.
 */
export async function planAutomaticSend(
  db: D1Database,
  week: WeekKey,
  sendAt: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO digest_schedules (week, send_at, origin, state, updated_at)
       VALUES (?1, ?2, 'auto', 'scheduled', ?3) ON CONFLICT (week) DO NOTHING`,
    )
    .bind(week, sendAt, now.toISOString())
    .run();
  return result.meta.changes === 1;
}

/**
 * The admin's "send later": `week` goes at `sendAt`, replacing a plan not yet started (or one
 * cancelled, or one whose send is over, for a second send to whoever was added since). Returns
 * false when a cron run is sending it right now or it waits for review (approving sends it).
 */
export async function scheduleSend(
  db: D1Database,
  week: WeekKey,
  sendAt: number,
  by: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO digest_schedules (week, send_at, origin, state, changed_by, updated_at)
       VALUES (?1, ?2, 'admin', 'scheduled', ?3, ?4)
       ON CONFLICT (week) DO UPDATE SET send_at = ?2, origin = 'admin', state = 'scheduled',
         changed_by = ?3, updated_at = ?4, claimed_at = NULL
       WHERE digest_schedules.state IN ('scheduled', 'cancelled', 'done')`,
    )
    .bind(week, sendAt, by, now.toISOString())
    .run();
  return result.meta.changes === 1;
}

/** Cancels a send that has not started. False when there is none (or it already started). */
export async function cancelSend(
  db: D1Database,
  week: WeekKey,
  by: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE digest_schedules SET state = 'cancelled', changed_by = ?2, updated_at = ?3
       WHERE week = ?1 AND state = 'scheduled'`,
    )
    .bind(week, by, now.toISOString())
    .run();
  return result.meta.changes === 1;
}

/**
 * Claims every send due at `now`: each row moves from scheduled to claimed in this one
 * statement, so a row is returned to exactly one caller however many run at once.
 */
export async function claimDueSends(db: D1Database, now: number): Promise<WeekKey[]> {
  const { results } = await db
    .prepare(
      `UPDATE digest_schedules SET state = 'claimed', claimed_at = ?2, updated_at = ?2
       WHERE state = 'scheduled' AND send_at <= ?1 RETURNING week`,
    )
    .bind(now, new Date(now).toISOString())
    .all<{ week: string }>();
  return results.map((r) => r.week).sort();
}

/**
 * Weeks whose send the review gate held at their time, if that time is later than `since`:
 * the cron asks the gate again for them (approving one on its page sends it whenever).
 */
export async function listWaitingSends(db: D1Database, since: number): Promise<WeekKey[]> {
  const { results } = await db
    .prepare(
      "SELECT week FROM digest_schedules WHERE state = 'waiting' AND send_at > ?1 ORDER BY week",
    )
    .bind(since)
    .all<{ week: string }>();
  return results.map((r) => r.week);
}

/**
 * Where a claimed or waiting send ended: done (sent, or nothing to send), waiting (held by the
 * review gate), or scheduled again (the attempt failed: the next cron run tries again).
 */
export async function settleSend(
  db: D1Database,
  week: WeekKey,
  state: "done" | "waiting" | "scheduled",
  now: Date,
): Promise<void> {
  await db
    .prepare(
      `UPDATE digest_schedules SET state = ?2, updated_at = ?3
       WHERE week = ?1 AND state IN ('claimed', 'waiting')`,
    )
    .bind(week, state, now.toISOString())
    .run();
}

/**
 * A send made by hand (the admin's send, or an approval that sent): a plan for the week that has
 * not started is over too, so the week does not go out a second time at its hour.
 */
export async function markSentByHand(db: D1Database, week: WeekKey, now: Date): Promise<void> {
  await db
    .prepare(
      `UPDATE digest_schedules SET state = 'done', updated_at = ?2
       WHERE week = ?1 AND state IN ('scheduled', 'waiting')`,
    )
    .bind(week, now.toISOString())
    .run();
}
