/**
 * Cloudflare Email Routing's `send_email` binding, for confirmation mail where it is configured
 * (https://developers.cloudflare.com/email-routing/email-workers/send-email-workers/). It takes
 * one raw MIME message at a time, to verified destination addresses.
 */
import type { MailMessage } from "./message.ts";
import { toMime } from "./mime.ts";
import { parseMailbox } from "./mime-header.ts";
import type { MailTransport, SendResult } from "./transport.ts";

export class SendEmailBindingTransport implements MailTransport {
  readonly name = "send_email";
  /**
   * The binding takes raw RFC 5322 mail, built with ASCII headers (mime-header.ts), and
   * documents no SMTPUTF8.
   */
  readonly smtpUtf8 = false;
  readonly #binding: SendEmail;

  constructor(binding: SendEmail) {
    this.#binding = binding;
  }

  async send(messages: readonly MailMessage[]): Promise<SendResult> {
    // Imported when used: cloudflare:email exists only in workerd, and Node scripts import this.
    const { EmailMessage } = await import("cloudflare:email");
    const ids: string[] = [];
    for (const m of messages) {
      let raw: string;
      try {
        raw = toMime(m);
      } catch (err) {
        // A message that cannot be written (a bad address) will not get better by retrying.
        return { ok: false, retryable: false, status: 0, message: `not sent: ${String(err)}` };
      }
      try {
        await this.#binding.send(new EmailMessage(parseMailbox(m.from).address, m.to, raw));
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
