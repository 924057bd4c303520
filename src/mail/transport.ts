/** How messages leave: one interface, a transport per way of sending. */
import type { MailMessage } from "./message.ts";

export type SendResult =
  | { readonly ok: true; readonly providerIds: readonly string[] }
  | {
      readonly ok: false;
      readonly retryable: boolean;
      readonly status: number;
      readonly message: string;
      readonly retryAfterSeconds?: number;
    };

export interface MailTransport {
  readonly name: string;
  /**
   * Sends a batch (at most 100). `idempotencyKey` is the same for every retry of the same
   * batch, so a provider that has already accepted it does not send it again.
   */
  send(messages: readonly MailMessage[], idempotencyKey: string): Promise<SendResult>;
}
