/**
 * The producer's side of the send: enqueueDigestSend into the in-memory queue, what it enqueued
 * checked against who is active, and the few subscribers who unsubscribe before the consumers run.
 */
import {
  type DigestChunkMessage,
  type EnqueueResult,
  enqueueDigestSend,
} from "../../src/delivery/producer.ts";
import { createRandom } from "../lib/synthetic-content.ts";
import type { CountingD1, QueryCount } from "./counting-d1.ts";
import type { FakeQueue } from "./fake-queue.ts";
import type { SubscriberStatus } from "./population.ts";
import type { Problems } from "./problems.ts";
import { NOW, QUEUE_BATCH_MAX_MESSAGES } from "./settings.ts";
import { ms } from "./util.ts";

/** One call of the producer: what it returned and enqueued, and its D1 queries. */
export interface Enqueued {
  readonly result: EnqueueResult;
  readonly count: QueryCount;
  readonly ms: number;
  readonly messages: readonly DigestChunkMessage[];
  /** Messages per sendBatch call. */
  readonly batches: readonly number[];
}

/** Empties the queue, then runs the producer for `week`. */
export async function enqueue(db: CountingD1, queue: FakeQueue, week: string): Promise<Enqueued> {
  queue.drain();
  const t0 = performance.now();
  const { result, count } = await db.scoped(() => enqueueDigestSend(db.asD1(), queue, week));
  const elapsed = ms(t0);
  return {
    result,
    count,
    ms: elapsed,
    messages: queue.messages.slice(),
    batches: queue.sendBatchSizes.slice(),
  };
}

/** The ids of the active subscribers, ascending. */
export function activeIds(status: readonly SubscriberStatus[]): number[] {
  const active: number[] = [];
  for (let id = 1; id < status.length; id++) if (status[id] === "active") active.push(id);
  return active;
}

/** The first send must hold every active subscriber once, and no one else. */
export function checkFirstSend(
  first: Enqueued,
  week: string,
  status: readonly SubscriberStatus[],
  activeAtEnqueue: readonly number[],
  problems: Problems,
): void {
  const seen = new Map<number, number>();
  const keys = new Set<string>();
  for (const m of first.messages) {
    problems.check(
      m.kind === "digest-chunk" && m.week === week,
      `message ${m.chunkKey}: kind ${m.kind}, week ${m.week}`,
    );
    problems.check(!keys.has(m.chunkKey), `chunk key ${m.chunkKey} enqueued twice`);
    keys.add(m.chunkKey);
    for (const id of m.subscriberIds) seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  const inTwo = [...seen].filter(([, n]) => n > 1).length;
  const notActive = [...seen.keys()].filter((id) => status[id] !== "active").length;
  const missed = activeAtEnqueue.filter((id) => !seen.has(id)).length;
  problems.check(inTwo === 0, `producer: ${inTwo} subscribers in more than one chunk`);
  problems.check(notActive === 0, `producer: ${notActive} non-active subscribers enqueued`);
  problems.check(missed === 0, `producer: ${missed} active subscribers not enqueued`);
  problems.check(
    first.result.messages === first.messages.length &&
      first.result.recipients === activeAtEnqueue.length,
    `producer returned ${JSON.stringify(first.result)}; queue got ${first.messages.length} messages; ${activeAtEnqueue.length} active`,
  );
  problems.check(
    first.batches.every((n) => n <= QUEUE_BATCH_MAX_MESSAGES),
    "a sendBatch call had more than 100 messages",
  );
}

/**
 * A few subscribers (1 in 10,000, at least one) unsubscribe between enqueue and send:
 * suppression is checked at send time. Returns their ids, ascending.
 */
export async function unsubscribeSome(
  D1: D1Database,
  subscribers: number,
  status: SubscriberStatus[],
  activeAtEnqueue: readonly number[],
): Promise<number[]> {
  const r = createRandom(7);
  const want = Math.max(1, Math.round(subscribers / 10_000));
  const picked = new Set<number>();
  while (picked.size < Math.min(want, activeAtEnqueue.length))
    picked.add(activeAtEnqueue[Math.floor(r() * activeAtEnqueue.length)]!);
  const late = [...picked].sort((a, b) => a - b);
  await D1.prepare(
    "UPDATE subscribers SET status = 'unsubscribed', updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))",
  )
    .bind(JSON.stringify(late), NOW.toISOString())
    .run();
  for (const id of late) status[id] = "unsubscribed";
  return late;
}
