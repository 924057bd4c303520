/** The Worker's queue() handler: digest chunks, and their dead letters. */
import { readConfig } from "../config.ts";
import { digestTransport } from "../mail/transports.ts";
import { backoffSeconds, releaseDeadChunk, sendDigestChunk } from "./consumer.ts";
import type { DigestChunkMessage } from "./producer.ts";

export async function handleQueueBatch(
  batch: MessageBatch<DigestChunkMessage>,
  env: Env,
): Promise<void> {
  if (batch.queue.endsWith("-dlq")) {
    for (const message of batch.messages) {
      const released = await releaseDeadChunk(env.DB, message.body);
      console.error(
        `digest ${message.body.week}: chunk ${message.body.chunkKey} kept failing and was dead-lettered; ${released} recipients released for a later send, which re-sends them under the same idempotency keys (the provider may have accepted them already: send again within its 24-hour idempotency window)`,
      );
      message.ack();
    }
    return;
  }
  const config = readConfig(env);
  const deps = {
    db: env.DB,
    config,
    mail: config.mail,
    transport: digestTransport(env, config.mail),
    hashes: new Map<string, Promise<string | null>>(),
  };
  for (const message of batch.messages) {
    try {
      const outcome = await sendDigestChunk(message.body, message.attempts, deps);
      if (outcome.kind === "retry") {
        console.warn(
          `digest ${message.body.week}: chunk ${message.body.chunkKey} will be retried in ${outcome.delaySeconds} s: ${outcome.reason}`,
        );
        message.retry({ delaySeconds: outcome.delaySeconds });
      } else {
        if (outcome.kind === "held")
          console.warn(
            `digest ${message.body.week}: chunk ${message.body.chunkKey} not sent, the digest waits for review (${outcome.reason})`,
          );
        if (outcome.kind === "failed")
          console.error(
            `digest ${message.body.week}: chunk ${message.body.chunkKey} failed: ${outcome.reason}`,
          );
        message.ack();
      }
    } catch (err) {
      console.error(`digest ${message.body.week}: chunk ${message.body.chunkKey} threw`, err);
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}
