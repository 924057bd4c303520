/** The double opt-in confirmation email. */
import { html } from "hono/html";
import type { MailConfig, SiteConfig } from "../config.ts";
import { type MailMessage, newMessageId } from "../mail/message.ts";

export async function buildConfirmationMessage(
  to: string,
  confirmUrl: string,
  config: SiteConfig,
  mail: MailConfig,
  now: Date,
): Promise<MailMessage> {
  const hours = mail.confirmTtlHours;
  const text = [
    `Please confirm that you want ${config.title}'s weekly digest at ${to}.`,
    "",
    `Confirm: ${confirmUrl}`,
    "",
    `The link works for ${hours} hours. If you did not ask for this, ignore this email: nothing will be sent.`,
    "",
    config.publisherContact,
  ].join("\n");
  const body = await html`<!doctype html>
<html lang="${config.language}"><head><meta charset="utf-8"><title>Confirm your subscription</title></head>
<body style="margin:0;padding:24px;background:#ffffff;color:#1b1b1b;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;">
<p>Please confirm that you want ${config.title}’s weekly digest at <strong>${to}</strong>.</p>
<p><a href="${confirmUrl}" style="color:#0b4f8a;">Confirm my subscription</a></p>
<p>The link works for ${hours} hours. If you did not ask for this, ignore this email: nothing will be sent.</p>
<p style="color:#5a5a5a;font-size:13px;">${config.publisherContact}</p>
</body></html>`;
  return {
    from: mail.from,
    to,
    subject: `Confirm your subscription to ${config.title}`,
    text,
    html: String(body),
    headers: {},
    messageId: newMessageId(mail.from),
    date: now,
  };
}
