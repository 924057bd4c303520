/**
 * The Worker's email() handler: the `mailto:` of List-Unsubscribe (RFC 2369), received through
 * Cloudflare Email Routing (https://developers.cloudflare.com/email-routing/email-workers/).
 *
 * Each digest advertises `mailto:<UNSUBSCRIBE_MAILTO>?subject=unsubscribe%20<token>`, the token
 * being the recipient's unsubscribe token (the one in their https link). A message to that
 * address whose Subject carries a valid token unsubscribes its holder, exactly as the link does;
 * anything else is rejected (a permanent SMTP error to the sender) and logged.
 *
 * Why the token is in the subject, not in the address (`unsubscribe+<token>@…`):
 *  - mail clients send the subject of a mailto: URI as it is (RFC 6068 §2), while an address's
 *    local part may be case-folded on the way and is limited to 64 octets (RFC 5321 §4.5.3.1.1);
 *    the token is case-sensitive base64url and up to 59 characters;
 *  - one plain Email Routing custom address routes it: no catch-all or subaddressing rule.
 * The sender's address is not what proves it, the token is: like the link, it works from
 * whatever mailbox the digest was read in, and a forged From cannot unsubscribe anyone else.
 */
import { readConfig } from "../config.ts";
import { decodeEncodedWords, headerValue, readHeaderBlock } from "../mail/inbound.ts";
import { unsubscribe } from "../subscriptions/service.ts";

/** An unsubscribe token (subscriptions/tokens.ts): `<id>.<43 base64url characters>`. */
const TOKEN = /(?:^|[^A-Za-z0-9_.-])(\d{1,15}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/;

export type EmailOutcome = "unsubscribed" | "rejected";

function reject(message: ForwardableEmailMessage, reason: string, log: string): EmailOutcome {
  console.warn(`email(): rejected a message to ${message.to}: ${log}`);
  message.setReject(reason);
  return "rejected";
}

export async function handleUnsubscribeEmail(
  message: ForwardableEmailMessage,
  env: Env,
  now: Date = new Date(),
): Promise<EmailOutcome> {
  const { mail } = readConfig(env);
  if (mail.unsubscribeMailto === null)
    return reject(
      message,
      "This address does not receive mail.",
      "UNSUBSCRIBE_MAILTO is not set, so no address receives unsubscribe requests",
    );
  if (message.to.trim().toLowerCase() !== mail.unsubscribeMailto)
    return reject(
      message,
      "This address does not receive mail.",
      `only ${mail.unsubscribeMailto} (UNSUBSCRIBE_MAILTO) receives mail`,
    );
  if (mail.tokenSecret === null) {
    console.error("email(): cannot check unsubscribe tokens: the TOKEN_SECRET secret is not set");
    return reject(
      message,
      "Unsubscribing by email is not available right now: please use the unsubscribe link in the message.",
      "TOKEN_SECRET is not set",
    );
  }
  const subject = decodeEncodedWords(
    headerValue(await readHeaderBlock(message.raw), "Subject") ?? "",
  );
  const token = TOKEN.exec(subject)?.[1];
  if (token === undefined)
    return reject(
      message,
      "No unsubscribe token in the subject: please use the unsubscribe link in the message.",
      "no unsubscribe token in the subject",
    );
  const address = await unsubscribe(env.DB, mail.tokenSecret, token, now);
  if (address === null)
    return reject(
      message,
      "This unsubscribe token is not valid: please use the unsubscribe link in the message.",
      "the subject's unsubscribe token is not valid",
    );
  // The subscriber's id (the token's first part), not the address: logs keep no addresses.
  console.log(`email(): subscriber ${token.split(".")[0]} unsubscribed by email`);
  return "unsubscribed";
}
