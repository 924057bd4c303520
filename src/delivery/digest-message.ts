/** One recipient's copy of a stored digest, with its RFC 8058 one-click unsubscribe headers. */
import type { SiteConfig } from "../config.ts";
import { fillRecipientSlots } from "../digest/email.ts";
import { weekSpan } from "../digest/links.ts";
import type { StoredDigest } from "../digest/store.ts";
import type { MailConfig } from "../mail/config.ts";
import { type MailMessage, newMessageId } from "../mail/message.ts";
import { siteUrls } from "../site/urls.ts";

export function digestSubject(digest: Pick<StoredDigest, "summary">): string {
  return `Axis developments: ${weekSpan(digest.summary.start, digest.summary.end, digest.summary.timeZone)}`;
}

export function buildDigestMessage(
  digest: StoredDigest,
  recipient: { email: string; unsubscribeToken: string },
  config: SiteConfig,
  mail: MailConfig,
  now: Date,
): MailMessage {
  const unsubscribeUrl = siteUrls(config).unsubscribe(recipient.unsubscribeToken);
  return {
    from: mail.from,
    to: recipient.email,
    subject: digestSubject(digest),
    text: fillRecipientSlots(digest.text, "text", { unsubscribeUrl, baseUrl: config.baseUrl }),
    html: fillRecipientSlots(digest.html, "html", { unsubscribeUrl, baseUrl: config.baseUrl }),
    headers: {
      // RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs
      // "List-Unsubscribe=One-Click" to the https URL, with no login and no page to click through.
      "List-Unsubscribe": `<${unsubscribeUrl}>, <mailto:${mail.unsubscribeMailto}?subject=unsubscribe>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "List-Id": `${config.title} weekly digest <digest.${new URL(config.baseUrl).hostname}>`,
    },
    messageId: newMessageId(mail.from),
    date: now,
  };
}
