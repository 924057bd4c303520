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
   * Whether it can deliver to a UTF-8 local part (josé@…, SMTPUTF8, RFC 6531). Sign-up refuses
   * such an address, with a message saying so, where the confirmation's transport cannot.
   */
  readonly smtpUtf8: boolean;
  /**
   * Sends a batch (at most 100). `idempotencyKey` is the same for every retry of the same
   * batch, so a provider that has already accepted it does not send it again.
   */
  send(messages: readonly MailMessage[], idempotencyKey: string): Promise<SendResult>;
}
