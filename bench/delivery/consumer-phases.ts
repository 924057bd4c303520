/**
 * The consumers' side of the send, message by message through the real sendDigestChunk: the
 * first delivery with faults injected, ~5% of the messages delivered again, the failed chunks
 * retried, then a second send of the same week (only the rejected chunks' recipients) and a
 * third that must enqueue nothing.
 */
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import { createRandom } from "../lib/synthetic-content.ts";
import type { ChunkRunner } from "./chunk-runner.ts";
import type { CountingD1 } from "./counting-d1.ts";
import type { FakeQueue } from "./fake-queue.ts";
import { EXPECTED_FAULT_OUTCOME, type Fault } from "./faults.ts";
import type { SubscriberStatus } from "./population.ts";
import type { Problems } from "./problems.ts";
import { type Enqueued, enqueue } from "./producer-phase.ts";
import { fmt, ms } from "./util.ts";

/** What the phases of the send share. */
export interface SendContext {
  readonly db: CountingD1;
  readonly queue: FakeQueue;
  readonly runner: ChunkRunner;
  readonly problems: Problems;
}

/** Every first-send message once, `faults` injected; returns the ones to retry and the time. */
export async function firstDelivery(
  { runner, problems }: SendContext,
  messages: readonly DigestChunkMessage[],
  faults: ReadonlyMap<number, Fault>,
) {
  const toRetry: DigestChunkMessage[] = [];
  const t0 = performance.now();
  let lastProgress = performance.now();
  for (const [i, msg] of messages.entries()) {
    const run = await runner.run("first-delivery", msg, 1, faults.get(i) ?? null);
    if (run.outcome === "threw" || run.outcome === "retry") toRetry.push(msg);
    if (performance.now() - lastProgress > 10_000) {
      lastProgress = performance.now();
      const done = i + 1;
      console.log(
        `  consumers: ${fmt(done)}/${fmt(messages.length)} chunks, ${fmt((done / ms(t0)) * 1000, 1)} chunks/s`,
      );
    }
  }
  const firstPassMs = ms(t0);
  for (const run of runner.runs) {
    if (run.fault)
      problems.check(
        run.outcome === EXPECTED_FAULT_OUTCOME[run.fault],
        `chunk ${run.chunkKey} with fault ${run.fault}: outcome ${run.outcome}, expected ${EXPECTED_FAULT_OUTCOME[run.fault]}`,
      );
    else
      problems.check(
        run.outcome === "sent",
        `chunk ${run.chunkKey}: outcome ${run.outcome}, expected sent`,
      );
  }
  console.log(
    `consumers, first delivery: ${fmt(messages.length)} chunks in ${fmt(firstPassMs)} ms (${[...faults.values()].join(", ") || "no faults"} injected)`,
  );
  return { toRetry, firstPassMs };
}

/** ~5% of the chunks that went through, delivered again: each must send nothing. */
export async function redeliver(
  { runner, problems }: SendContext,
  messages: readonly DigestChunkMessage[],
  faults: ReadonlyMap<number, Fault>,
) {
  const t0 = performance.now();
  const redelivered: DigestChunkMessage[] = [];
  const r = createRandom(5);
  const candidates = messages.filter((_, i) => !faults.has(i));
  const want = Math.max(1, Math.round(messages.length * 0.05));
  const picked = new Set<number>();
  while (picked.size < Math.min(want, candidates.length))
    picked.add(Math.floor(r() * candidates.length));
  for (const i of [...picked].sort((a, b) => a - b)) redelivered.push(candidates[i]!);
  for (const msg of redelivered) {
    const run = await runner.run("redelivery", msg, 2, null);
    problems.check(
      run.outcome === "nothing-to-send",
      `redelivered chunk ${msg.chunkKey}: outcome ${run.outcome}, expected nothing-to-send`,
    );
  }
  return { redelivered, redeliveryMs: ms(t0) };
}

/** The crashed and retryable chunks, retried normally: each must send. Returns the time. */
export async function retry(
  { runner, problems }: SendContext,
  messages: readonly DigestChunkMessage[],
): Promise<number> {
  const t0 = performance.now();
  for (const msg of messages) {
    const run = await runner.run("retry", msg, 2, null);
    problems.check(
      run.outcome === "sent",
      `retried chunk ${msg.chunkKey}: outcome ${run.outcome}, expected sent`,
    );
  }
  return ms(t0);
}

/** Who the permanently rejected chunks held and is still active: the second send's recipients. */
export function rejectedRecipients(
  messages: readonly DigestChunkMessage[],
  faults: ReadonlyMap<number, Fault>,
  status: readonly SubscriberStatus[],
): number[] {
  return [...faults]
    .filter(([, f]) => f === "permanent-reject")
    .flatMap(([i]) => messages[i]!.subscriberIds.filter((id) => status[id] === "active"));
}

/** A second send of the same week enqueues only who is still missing, and sends them. */
export async function secondSend(
  { db, queue, runner, problems }: SendContext,
  week: string,
  rejected: readonly number[],
) {
  const second = await enqueue(db, queue, week);
  // Late unsubscribers were never sent, but they are no longer active, so they are not enqueued again.
  const ids = new Set(second.messages.flatMap((m) => m.subscriberIds));
  const expected = new Set(rejected);
  problems.check(
    ids.size === expected.size && [...expected].every((id) => ids.has(id)),
    `second send enqueued ${ids.size} recipients, expected the ${expected.size} whose chunk was rejected`,
  );
  const t0 = performance.now();
  for (const msg of second.messages) {
    const run = await runner.run("second-send", msg, 1, null);
    problems.check(
      run.outcome === "sent",
      `second-send chunk ${msg.chunkKey} (${msg.subscriberIds.length} recipients): outcome ${run.outcome}, expected sent`,
    );
  }
  const secondConsumeMs = ms(t0);
  console.log(
    `second send: ${second.messages.length} messages (${second.result.recipients} recipients) enqueued in ${fmt(second.ms)} ms, consumed in ${fmt(secondConsumeMs)} ms`,
  );
  return { second, secondConsumeMs };
}

/** A third send must find nobody. */
export async function thirdSend(
  { db, queue, runner, problems }: SendContext,
  week: string,
): Promise<Enqueued> {
  const third = await enqueue(db, queue, week);
  for (const msg of third.messages) await runner.run("third-send", msg, 1, null);
  problems.check(
    third.result.messages === 0,
    `third send enqueued ${third.result.messages} messages (${third.result.recipients} recipients), expected none`,
  );
  return third;
}
