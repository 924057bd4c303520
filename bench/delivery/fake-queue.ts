/** An in-memory Queue for the producer, which records every way it breaks Queues' limits. */
import type {
  MessageSendRequest,
  Queue,
  QueueMetrics,
  QueueSendBatchOptions,
  QueueSendBatchResponse,
  QueueSendOptions,
  QueueSendResponse,
} from "@cloudflare/workers-types/index.ts";
import { CHUNK_SIZE, type DigestChunkMessage } from "../../src/delivery/producer.ts";
import {
  QUEUE_BATCH_MAX_BYTES,
  QUEUE_BATCH_MAX_MESSAGES,
  QUEUE_MESSAGE_MAX_BYTES,
} from "./settings.ts";
import { utf8Bytes } from "./util.ts";

export class FakeQueue implements Queue<DigestChunkMessage> {
  /** Messages per sendBatch call. */
  readonly sendBatchSizes: number[] = [];
  readonly messages: DigestChunkMessage[] = [];
  readonly violations: string[] = [];
  maxMessageBytes = 0;
  maxBatchBytes = 0;

  /** Empties the queue (not the violations or maxima) before the next send. */
  drain(): void {
    this.messages.length = 0;
    this.sendBatchSizes.length = 0;
  }

  private accept(body: DigestChunkMessage, options: { delaySeconds?: number } | undefined): number {
    const bytes = utf8Bytes(JSON.stringify(body));
    this.maxMessageBytes = Math.max(this.maxMessageBytes, bytes);
    if (bytes > QUEUE_MESSAGE_MAX_BYTES)
      this.violations.push(
        `message ${body.chunkKey} is ${bytes} bytes (Queues' limit: ${QUEUE_MESSAGE_MAX_BYTES})`,
      );
    if (body.subscriberIds.length > CHUNK_SIZE)
      this.violations.push(
        `message ${body.chunkKey} has ${body.subscriberIds.length} recipients (limit ${CHUNK_SIZE})`,
      );
    if (body.subscriberIds.length === 0)
      this.violations.push(`message ${body.chunkKey} has no recipients`);
    if (options?.delaySeconds)
      this.violations.push(`message ${body.chunkKey} was delayed ${options.delaySeconds} s`);
    // A real queue serializes the body: the consumer never shares the producer's objects.
    this.messages.push(structuredClone(body));
    return bytes;
  }

  async send(body: DigestChunkMessage, options?: QueueSendOptions): Promise<QueueSendResponse> {
    this.sendBatchSizes.push(1);
    this.accept(body, options);
    return { metadata: { metrics: { backlogCount: this.messages.length, backlogBytes: 0 } } };
  }

  async sendBatch(
    messages: Iterable<MessageSendRequest<DigestChunkMessage>>,
    options?: QueueSendBatchOptions,
  ): Promise<QueueSendBatchResponse> {
    const list = [...messages];
    this.sendBatchSizes.push(list.length);
    if (list.length > QUEUE_BATCH_MAX_MESSAGES)
      this.violations.push(
        `sendBatch of ${list.length} messages (Queues' limit: ${QUEUE_BATCH_MAX_MESSAGES})`,
      );
    if (list.length === 0) this.violations.push("sendBatch of 0 messages");
    let bytes = 0;
    for (const m of list)
      bytes += this.accept(m.body, { delaySeconds: m.delaySeconds ?? options?.delaySeconds ?? 0 });
    this.maxBatchBytes = Math.max(this.maxBatchBytes, bytes);
    if (bytes > QUEUE_BATCH_MAX_BYTES)
      this.violations.push(`sendBatch of ${bytes} bytes (Queues' limit: ${QUEUE_BATCH_MAX_BYTES})`);
    return { metadata: { metrics: { backlogCount: this.messages.length, backlogBytes: 0 } } };
  }

  async metrics(): Promise<QueueMetrics> {
    return { backlogCount: this.messages.length, backlogBytes: 0 };
  }
}
