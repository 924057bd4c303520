/**
 * Fault injection: which first deliveries fail, how, and what the consumer must make of each.
 */
import { createRandom } from "../lib/synthetic-content.ts";
import type { ChunkOutcome } from "../../src/delivery/consumer.ts";
import type { MailMessage } from "../../src/mail/message.ts";
import type { MailTransport, SendResult } from "../../src/mail/transport.ts";

export type Fault = "crash-after-send" | "accepted-then-503" | "429" | "permanent-reject";

/** The outcome each fault must give on a first delivery ("threw": the queue retries the message). */
export const EXPECTED_FAULT_OUTCOME: Record<Fault, ChunkOutcome["kind"] | "threw"> = {
  "crash-after-send": "threw",
  "accepted-then-503": "retry",
  "429": "retry",
  "permanent-reject": "failed",
};

/**
 * Which of the `messages` first deliveries fail how, by index. The last (partial) chunk is
 * rejected for good, so the second send has a partial chunk too; at most half the chunks fail.
 */
export function planFaults(messages: number): Map<number, Fault> {
  const faults = new Map<number, Fault>();
  const r = createRandom(42);
  const plan: Fault[] = [
    "crash-after-send",
    "crash-after-send",
    "crash-after-send",
    "crash-after-send",
    "accepted-then-503",
    "429",
    "429",
    "permanent-reject",
  ];
  if (messages >= 2) faults.set(messages - 1, "permanent-reject");
  for (const f of plan) {
    if (faults.size >= Math.floor(messages / 2)) break;
    let i: number;
    do i = Math.floor(r() * (messages - 1));
    while (faults.has(i));
    faults.set(i, f);
  }
  return faults;
}

/** A transport that fails the way `fault` says, around the real one. */
export class FaultyTransport implements MailTransport {
  readonly name: string;
  readonly smtpUtf8: boolean;
  private readonly inner: MailTransport;
  private readonly fault: Fault;
  constructor(inner: MailTransport, fault: Fault) {
    this.inner = inner;
    this.fault = fault;
    this.name = `${inner.name}+${fault}`;
    this.smtpUtf8 = inner.smtpUtf8;
  }

  async send(messages: readonly MailMessage[], idempotencyKey: string): Promise<SendResult> {
    switch (this.fault) {
      case "crash-after-send":
        // The provider took the batch; the isolate dies before markSent.
        await this.inner.send(messages, idempotencyKey);
        throw new Error(`delivery-sim: simulated consumer crash after sending ${idempotencyKey}`);
      case "accepted-then-503": {
        // The provider took the batch but the answer was lost: the consumer sees a 503.
        await this.inner.send(messages, idempotencyKey);
        return {
          ok: false,
          retryable: true,
          status: 503,
          message: "simulated 503 after the batch was accepted",
        };
      }
      case "429":
        return {
          ok: false,
          retryable: true,
          status: 429,
          message: "simulated rate limit",
          retryAfterSeconds: 30,
        };
      case "permanent-reject":
        return {
          ok: false,
          retryable: false,
          status: 422,
          message: "simulated permanent rejection of the batch",
        };
    }
  }
}
