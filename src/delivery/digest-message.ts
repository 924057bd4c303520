/** One recipient's copy of a stored digest, with its RFC 8058 one-click unsubscribe headers. */
import type { MailConfig, SiteConfig } from "../config.ts";
import { fillRecipientSlots } from "../digest/email/slots.ts";
import type { StoredDigest } from "../digest/store.ts";
import { DIGEST_NAME, digestSubject } from "../digest/titles.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { type MailMessage, senderDomain } from "../mail/message.ts";
import { phrase } from "../mail/mime-header.ts";

export interface DigestRecipient {
  readonly email: string;
  /** Where this copy's unsubscribe link, button and List-Unsubscribe header lead. */
  readonly unsubscribeUrl: string;
  /**
   * The recipient's unsubscribe token, for the `mailto:` in List-Unsubscribe; null for a copy
   * that is nobody's (an admin's test), which then advertises the https URL only.
   */
  readonly unsubscribeToken: string | null;
}

/** Message-ID and Date of one copy. */
export interface MessageIdentity {
  readonly messageId: string;
  readonly date: Date;
}

/**
 * The Message-ID of a subscriber's copy, derived from the digest (week), the provider batch it
 * goes out in (its idempotency key) and the recipient: every retry of the batch carries the same
 * one, so the provider sees the same request (RFC 5322 §3.6.4 asks only that it be unique).
 */
export async function digestMessageId(
  week: string,
  sendKey: string,
  subscriberId: number,
  from: string,
): Promise<string> {
  const hash = await sha256Hex(`${week}\n${sendKey}\n${subscriberId}`);
  return `<digest.${week}.${hash.slice(0, 32)}@${senderDomain(from)}>`;
}

/**
 * The `mailto:` of List-Unsubscribe (RFC 2369), when an address is configured: the token in the
 * subject (RFC 6068 `?subject=`), where the email() handler reads it (email-unsubscribe.ts).
 */
export function unsubscribeMailto(mailto: string | null, token: string | null): string | null {
  if (mailto === null || token === null) return null;
  const at = mailto.lastIndexOf("@");
  const address = `${encodeURIComponent(mailto.slice(0, at))}${mailto.slice(at)}`;
  return `mailto:${address}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;
}

export function buildDigestMessage(
  digest: StoredDigest,
  recipient: DigestRecipient,
  config: SiteConfig,
  mail: MailConfig,
  identity: MessageIdentity,
): MailMessage {
  const slots = { unsubscribeUrl: recipient.unsubscribeUrl, baseUrl: config.baseUrl };
  const mailto = unsubscribeMailto(mail.unsubscribeMailto, recipient.unsubscribeToken);
  return {
    from: mail.from,
    to: recipient.email,
    subject: digestSubject(digest.summary),
    text: fillRecipientSlots(digest.text, "text", slots),
    html: fillRecipientSlots(digest.html, "html", slots),
    headers: {
      // RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs
      // "List-Unsubscribe=One-Click" to the https URL, with no login and no page to click through.
      // The mailto: only where something receives it (UNSUBSCRIBE_MAILTO, Email Routing).
      "List-Unsubscribe": [recipient.unsubscribeUrl, ...(mailto ? [mailto] : [])]
        .map((uri) => `<${uri}>`)
        .join(", "),
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      // RFC 2919: a phrase, then the list's id; the phrase encoded if the title needs it.
      "List-Id": `${phrase(`${config.title} ${DIGEST_NAME}`)} <digest.${new URL(config.baseUrl).hostname}>`,
    },
    messageId: identity.messageId,
    date: identity.date,
  };
}
