/**
 * Fan-out: turns "send this week's digest" into queue messages of at most 100 recipients.
 * Enqueues only active subscribers not yet sent this digest, so calling it again (a second send,
 * a re-run cron, a resumed send after a crash) adds only who is missing. Paused readers, and
 * readers whose topics have nothing this week, are not enqueued. Each message holds readers of
 * one variant (the same topics), so a chunk renders at most one: with V variants, a send takes
 * at most V more messages than with none (each variant's last, partly filled one).
 */
import { getDigest } from "../digest/store.ts";
import { unsentSubscriberPage } from "./deliveries.ts";
import { completeSendIfDone, forgetChunks, recordChunks, startSend } from "./send-progress.ts";
import { weekTopicsJson } from "./variants.ts";

export const CHUNK_SIZE = 100;
/** Subscriber ids read per query while paging (one indexed range scan each): 10 queries for
 * 100,000 subscribers, well inside a Worker invocation's D1 query limit. */
const PAGE_SIZE = 10_000;
/** Queues take at most 100 messages per sendBatch call. */
const SEND_BATCH = 100;

export interface DigestChunkMessage {
  readonly kind: "digest-chunk";
  readonly week: string;
  /** Unique per enqueued chunk; every retry of the message carries the same key. */
  readonly chunkKey: string;
  readonly subscriberIds: readonly number[];
  /**
   * The version the review gate let out (src/delivery/gated-send.ts). A consumer that finds
   * the week rebuilt since, into a version the gate holds, sends nothing (consumer.ts).
   */
  readonly contentHash?: string;
}

export interface EnqueueResult {
  readonly recipients: number;
  readonly messages: number;
  readonly queries: number;
}

export async function enqueueDigestSend(
  db: D1Database,
  queue: Queue<DigestChunkMessage>,
  week: string,
  contentHash?: string,
  now: Date = new Date(),
): Promise<EnqueueResult> {
  const sendId = crypto.randomUUID().slice(0, 8);
  let afterId = 0;
  let recipients = 0;
  let messages = 0;
  let queries = 0;
  let pending: MessageSendRequest<DigestChunkMessage>[] = [];
  // Each chunk is recorded before it is enqueued (send-progress.ts): its consumer may finish it
  // at once, and the last to finish marks the digest sent.
  const flush = async () => {
    if (pending.length === 0) return;
    const keys = pending.map((m) => m.body.chunkKey);
    await recordChunks(db, week, keys).run();
    queries++;
    try {
      await queue.sendBatch(pending);
    } catch (err) {
      await forgetChunks(db, keys);
      throw err;
    }
    pending = [];
  };
  const digest = await getDigest(db, week);
  queries++;
  const topics = digest === null ? "[]" : await weekTopicsJson(db, digest);
  if (digest !== null) queries++;
  /** Recipients waiting for a full chunk, by variant (topics; "" for everything). */
  const waiting = new Map<string, number[]>();
  const enqueueChunk = async (chunk: number[]) => {
    // 'sending' before the first chunk is enqueued, so a consumer never finishes one before.
    if (messages === 0) {
      await db.batch(startSend(db, week));
      queries++;
    }
    pending.push({
      body: {
        kind: "digest-chunk",
        week,
        chunkKey: `${week}:${sendId}:${messages}`,
        subscriberIds: chunk,
        ...(contentHash === undefined ? {} : { contentHash }),
      },
    });
    messages++;
    recipients += chunk.length;
    if (pending.length >= SEND_BATCH) await flush();
  };
  for (;;) {
    const page = await unsentSubscriberPage(db, week, afterId, PAGE_SIZE, now, topics);
    queries++;
    if (page.length === 0) break;
    for (const r of page) {
      const key = r.variant ?? "";
      let chunk = waiting.get(key);
      if (!chunk) waiting.set(key, (chunk = []));
      chunk.push(r.id);
      if (chunk.length === CHUNK_SIZE) {
        waiting.delete(key);
        await enqueueChunk(chunk);
      }
    }
    afterId = page.at(-1)!.id;
    if (page.length < PAGE_SIZE) break;
  }
  for (const chunk of waiting.values()) await enqueueChunk(chunk);
  await flush();
  if (messages === 0) {
    // Nobody is left to send to: a send whose chunks are all done is complete (one begun before
    // chunks were recorded, for instance).
    await completeSendIfDone(db, week, new Date()).run();
    queries++;
  }
  return { recipients, messages, queries };
}
