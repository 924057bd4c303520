/**
 * Driving the digest queue without Miniflare's queue: the producer sends to a recording Queue,
 * and the test hands what was sent to the Worker's queue() handler as a batch, then awaits the
 * batch's result. Every assertion after deliver() runs once the consumer has finished, so a check
 * that nobody got a second copy cannot pass just because the consumer had not run yet.
 */
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  type QueueResult,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import worker from "../../src/index.ts";

export const DIGEST_QUEUE_NAME = "axis-dispatch-digest-send";
export const DIGEST_DLQ_NAME = "axis-dispatch-digest-send-dlq";

/** A Queue that only records what is sent to it. */
export function recordingQueue<Body>(): { queue: Queue<Body>; sent: MessageSendRequest<Body>[] } {
  const sent: MessageSendRequest<Body>[] = [];
  const metrics = () => ({ backlogCount: sent.length, backlogBytes: 0 });
  const queue: Queue<Body> = {
    async send(body, options) {
      sent.push({ body, ...options });
      return { metadata: { metrics: metrics() } };
    },
    async sendBatch(messages) {
      for (const m of messages) sent.push(m);
      return { metadata: { metrics: metrics() } };
    },
    async metrics() {
      return metrics();
    },
  };
  return { queue, sent };
}

/**
 * Runs the Worker's queue() handler (src/index.ts) on one batch of `bodies`, with message ids
 * `msg-0`, `msg-1`, …, and returns what it acked and retried once it has finished. `vars`
 * overrides [vars] for this run (e.g. MAIL_TRANSPORT = "http" with its EMAIL_API_URL).
 */
export async function deliver(
  bodies: readonly DigestChunkMessage[],
  options: { attempts?: number; queue?: string; vars?: Partial<Env> } = {},
): Promise<QueueResult> {
  const batch = createMessageBatch<DigestChunkMessage>(
    options.queue ?? DIGEST_QUEUE_NAME,
    bodies.map((body, i) => ({
      id: `msg-${i}`,
      timestamp: new Date("2024-10-28T06:00:00Z"),
      attempts: options.attempts ?? 1,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await (worker as ExportedHandler<Env>).queue!(batch, { ...env, ...options.vars }, ctx);
  return getQueueResult(batch, ctx);
}
