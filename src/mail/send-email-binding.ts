/**
 * Cloudflare Email Routing's `send_email` binding, for confirmation mail where it is configured
 * (https://developers.cloudflare.com/email-routing/email-workers/send-email-workers/). It takes
 * one raw MIME message at a time, to verified destination addresses.
 */
import { type MailMessage, toMime } from "./message.ts";
import type { MailTransport, SendResult } from "./transport.ts";

export class SendEmailBindingTransport implements MailTransport {
  readonly name = "send_email";
  readonly #binding: SendEmail;

  constructor(binding: SendEmail) {
    this.#binding = binding;
  }

  async send(messages: readonly MailMessage[]): Promise<SendResult> {
    // Imported when used: cloudflare:email exists only in workerd, and Node scripts import this.
    const { EmailMessage } = await import("cloudflare:email");
    const ids: string[] = [];
    for (const m of messages) {
      const from = /<([^>]+)>/.exec(m.from)?.[1] ?? m.from;
      try {
        await this.#binding.send(new EmailMessage(from, m.to, toMime(m)));
      } catch (err) {
        return {
          ok: false,
          retryable: true,
          status: 0,
          message: `send_email failed: ${String(err)}`,
        };
      }
      ids.push(m.messageId);
    }
    return { ok: true, providerIds: ids };
  }
}
