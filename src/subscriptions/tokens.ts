/**
 * Tokens in links. Two kinds, chosen for what each link must do:
 *
 * - Confirmation (double opt-in): random 256-bit tokens, stored only as their SHA-256. They must
 *   be single-use and expire, which needs state anyway; a database leak reveals no usable
 *   token, and the lookup is by hash, so response time says nothing about the token itself.
 * - Unsubscribe: HMAC-SHA-256 of the subscriber id under TOKEN_SECRET. Stateless, so the link in
 *   every digest ever sent keeps working (RFC 8058 one-click needs no login), it cannot be
 *   guessed or enumerated, and crypto.subtle.verify compares it in constant time.
 */
import { fromBase64Url, hmacSign, hmacVerify, toBase64Url } from "../lib/crypto.ts";

/** `<id>.<base64url HMAC>`: the subscriber's unsubscribe token. */
export async function unsubscribeToken(secret: string, subscriberId: number): Promise<string> {
  return `${subscriberId}.${toBase64Url(await hmacSign(secret, `unsubscribe:${subscriberId}`))}`;
}

/** The subscriber id an unsubscribe token proves, or null. Constant-time (crypto.subtle.verify). */
export async function verifyUnsubscribeToken(
  secret: string,
  token: string,
): Promise<number | null> {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const mac = fromBase64Url(m[2]!);
  if (mac === null) return null;
  return (await hmacVerify(secret, mac, `unsubscribe:${m[1]}`)) ? Number(m[1]) : null;
}
