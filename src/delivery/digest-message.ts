/** One recipient's copy of a stored digest, with its RFC 8058 one-click unsubscribe headers. */
import type { MailConfig, SiteConfig } from "../config.ts";
import { fillRecipientSlots } from "../digest/email/slots.ts";
import type { StoredDigest } from "../digest/store.ts";
import { digestHeading } from "../digest/titles.ts";
import { type MailMessage, newMessageId } from "../mail/message.ts";

export interface DigestRecipient {
  readonly email: string;
  /** Where this copy's unsubscribe link, button and List-Unsubscribe header lead. */
  readonly unsubscribeUrl: string;
}

export function buildDigestMessage(
  digest: StoredDigest,
  recipient: DigestRecipient,
  config: SiteConfig,
  mail: MailConfig,
  now: Date,
): MailMessage {
  const slots = { unsubscribeUrl: recipient.unsubscribeUrl, baseUrl: config.baseUrl };
  return {
    from: mail.from,
    to: recipient.email,
    subject: digestHeading(digest.summary),
    text: fillRecipientSlots(digest.text, "text", slots),
    html: fillRecipientSlots(digest.html, "html", slots),
    headers: {
      // RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs
      // "List-Unsubscribe=One-Click" to the https URL, with no login and no page to click through.
      "List-Unsubscribe": `<${recipient.unsubscribeUrl}>, <mailto:${mail.unsubscribeMailto}?subject=unsubscribe>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "List-Id": `${config.title} weekly digest <digest.${new URL(config.baseUrl).hostname}>`,
    },
    messageId: newMessageId(mail.from),
    date: now,
  };
}
