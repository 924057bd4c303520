/**
 * Whether a digest's send is complete (migrations/0010_digest_send_completion.sql). Each queue
 * message (chunk) of a send is recorded before it is enqueued, and marked when its consumer is
 * done with it; the chunk that leaves none of the week's chunks outstanding marks the digest
 * sent, with the time.
 *
 * Exactly once, with any number of consumers and retries: a chunk's mark and the completion
 * check are one transaction (db.batch), every chunk marks itself before it checks, so whichever
 * chunk finishes last sees all the others done; and the digest moves from 'sending' to 'sent'
 * in one conditional UPDATE, which only one statement can win. A chunk delivered again after
 * that changes nothing.
 */
import type { WeekKey } from "../lib/time.ts";

export type ChunkEnd = "done" | "failed";

/**
 * Records chunks about to be enqueued (one statement, however many). Call before handing them
 * to the queue: a consumer must never finish a chunk that is not recorded yet.
 */
export function recordChunks(
  db: D1Database,
  week: WeekKey,
  chunkKeys: readonly string[],
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO digest_chunks (chunk_key, week, state)
       SELECT value, ?1, 'pending' FROM json_each(?2) WHERE true
       ON CONFLICT (chunk_key) DO NOTHING`,
    )
    .bind(week, JSON.stringify(chunkKeys));
}

/** Forgets chunks that were enqueued but never reached a queue (sendBatch failed). */
export async function forgetChunks(db: D1Database, chunkKeys: readonly string[]): Promise<void> {
  await db
    .prepare(
      "DELETE FROM digest_chunks WHERE chunk_key IN (SELECT value FROM json_each(?1)) AND state = 'pending'",
    )
    .bind(JSON.stringify(chunkKeys))
    .run();
}

/**
 * A new send of `week` starts: the digest is 'sending' again (from 'built', or 'sent' when
 * subscribers were added since), and chunks that gave up are dropped, since this send covers
 * their recipients. Chunks still pending (a send in flight) are kept: they finish on their own.
 */
export function startSend(db: D1Database, week: WeekKey): D1PreparedStatement[] {
  return [
    db
      .prepare(
        "UPDATE digests SET status = 'sending', sent_at = NULL WHERE week = ?1 AND status IN ('built', 'sent')",
      )
      .bind(week),
    db.prepare("DELETE FROM digest_chunks WHERE week = ?1 AND state = 'failed'").bind(week),
  ];
}

/**
 * Marks the digest sent at `now` if no chunk of its send is pending or failed; the statement
 * returns the week when it did.
 */
export function completeSendIfDone(db: D1Database, week: WeekKey, now: Date): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE digests SET status = 'sent', sent_at = ?2
       WHERE week = ?1 AND status = 'sending'
         AND NOT EXISTS (SELECT 1 FROM digest_chunks WHERE week = ?1 AND state <> 'done')
       RETURNING week`,
    )
    .bind(week, now.toISOString());
}

/** A chunk's end (only a pending chunk changes), then the completion check. */
export function finishChunk(
  db: D1Database,
  week: WeekKey,
  chunkKey: string,
  end: ChunkEnd,
  now: Date,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        "UPDATE digest_chunks SET state = ?3 WHERE week = ?1 AND chunk_key = ?2 AND state = 'pending'",
      )
      .bind(week, chunkKey, end),
    completeSendIfDone(db, week, now),
  ];
}
