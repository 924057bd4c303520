/** The email a subscriber gets once, right after confirming: what comes next and how to leave. */
import { html } from "hono/html";
import type { MailConfig, SiteConfig } from "../config.ts";
import { type MailMessage, newMessageId } from "../mail/message.ts";

export interface WelcomeLinks {
  /** The newest digest's page, or the digest archive while there is none. */
  readonly digest: string;
  readonly digestIsLatest: boolean;
  /** This subscriber's unsubscribe link (RFC 8058 one-click, as in every digest). */
  readonly unsubscribe: string;
}

export async function buildWelcomeMessage(
  to: string,
  links: WelcomeLinks,
  config: SiteConfig,
  mail: MailConfig,
  now: Date,
): Promise<MailMessage> {
  const digestLine = links.digestIsLatest
    ? "Read the latest digest now"
    : "The first digest will be in the archive";
  const text = [
    `You are subscribed to ${config.title}'s weekly digest at ${to}. It comes every Monday.`,
    "",
    `${digestLine}: ${links.digest}`,
    "",
    `To unsubscribe at any time: ${links.unsubscribe}`,
    "",
    config.publisherContact,
  ].join("\n");
  const body = await html`<!doctype html>
<html lang="${config.language}"><head><meta charset="utf-8"><title>Welcome</title></head>
<body style="margin:0;padding:24px;background:#ffffff;color:#1b1b1b;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;">
<p>You are subscribed to ${config.title}’s weekly digest at <strong>${to}</strong>. It comes every Monday.</p>
<p><a href="${links.digest}" style="color:#0b4f8a;">${digestLine}</a></p>
<p style="color:#5a5a5a;font-size:13px;">To unsubscribe at any time: <a href="${links.unsubscribe}" style="color:#5a5a5a;">unsubscribe</a>.</p>
<p style="color:#5a5a5a;font-size:13px;">${config.publisherContact}</p>
</body></html>`;
  return {
    from: mail.from,
    to,
    subject: `Welcome to ${config.title}`,
    text,
    html: String(body),
    headers: {
      "List-Unsubscribe": `<${links.unsubscribe}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    messageId: newMessageId(mail.from),
    date: now,
  };
}
