/**
 * The Worker's queue() handler: digest chunks, an import's confirmation emails
 * (src/subscriptions/import-confirmations.ts), and their dead letters.
 */
import { readConfig } from "../config.ts";
import { confirmationTransport, digestTransport } from "../mail/transports.ts";
import {
  type ImportConfirmMessage,
  sendImportConfirmations,
} from "../subscriptions/import-confirmations.ts";
import { backoffSeconds, releaseDeadChunk, sendDigestChunk } from "./consumer.ts";
import type { DigestChunkMessage } from "./producer.ts";

export type QueueMessage = DigestChunkMessage | ImportConfirmMessage;

/** An import's confirmation emails: sent as one batch, retried as the digest's chunks are. */
async function handleImportConfirm(message: Message<ImportConfirmMessage>, env: Env) {
  const config = readConfig(env);
  const body = message.body;
  const outcome = await sendImportConfirmations(body, {
    db: env.DB,
    config,
    mail: config.mail,
    transport: confirmationTransport(env, config.mail),
    now: new Date(),
  });
  if (outcome.kind === "retry") {
    console.warn(
      `import ${body.importId}: confirmation emails from consent ${body.consentIds[0]} will be retried: ${outcome.reason}`,
    );
    message.retry({ delaySeconds: backoffSeconds(message.attempts, outcome.retryAfterSeconds) });
    return;
  }
  if (outcome.kind === "failed")
    console.error(
      `import ${body.importId}: confirmation emails from consent ${body.consentIds[0]} failed: ${outcome.reason}`,
    );
  message.ack();
}

export async function handleQueueBatch(batch: MessageBatch<QueueMessage>, env: Env): Promise<void> {
  if (batch.queue.endsWith("-dlq")) {
    for (const message of batch.messages as readonly Message<QueueMessage>[]) {
      if (message.body.kind === "import-confirm") {
        // Still marked owed (mailed_at is null): the import's report in /admin keeps them.
        console.error(
          `import ${message.body.importId}: confirmation emails from consent ${message.body.consentIds[0]} kept failing and were dead-lettered`,
        );
        message.ack();
        continue;
      }
      const chunk = message.body;
      const released = await releaseDeadChunk(env.DB, chunk);
      console.error(
        `digest ${chunk.week}: chunk ${chunk.chunkKey} kept failing and was dead-lettered; ${released} recipients released for a later send, which re-sends them under the same idempotency keys (the provider may have accepted them already: send again within its 24-hour idempotency window)`,
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
    if (message.body.kind === "import-confirm") {
      try {
        await handleImportConfirm(message as Message<ImportConfirmMessage>, env);
      } catch (err) {
        console.error(`import ${message.body.importId}: confirmation emails threw`, err);
        message.retry({ delaySeconds: backoffSeconds(message.attempts) });
      }
      continue;
    }
    const digestMessage = message as Message<DigestChunkMessage>;
    try {
      const outcome = await sendDigestChunk(digestMessage.body, message.attempts, deps);
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
