/**
 * Tokens in links. Two kinds, chosen for what each link must do:
 *
 * - Confirmation (double opt-in): random 256-bit tokens, stored only as their SHA-256. They must
 *   be single-use and expire, which needs state anyway; a database leak reveals no usable
 *   token, and the lookup is by hash, so response time says nothing about the token itself.
 * - Unsubscribe: `<id>.<HMAC-SHA-256 of the id and the address under TOKEN_SECRET>`. No state of
 *   its own, so the link in every digest ever sent keeps working (RFC 8058 one-click needs no
 *   login), it cannot be guessed or enumerated, and crypto.subtle.verify compares it in constant
 *   time. The id says whose it claims to be; the address in the MAC makes it that person's
 *   only: another subscriber given the same id (ids were reused before migrations/0009) has
 *   another address, so a link mailed to one can never act on the other.
 */
import { fromBase64Url, toBase64Url } from "../lib/base64.ts";
import { hmacSign, hmacVerify } from "../lib/crypto.ts";

/** Whom an unsubscribe token is for, as the subscribers table holds them. */
export interface TokenHolder {
  readonly id: number;
  /** The normalized address. */
  readonly email: string;
  /**
   * Whether tokens of the first kind (an HMAC of the id alone, mailed before migrations/0009)
   * still prove this subscriber: only where nobody else can have held the id.
   */
  readonly legacyToken?: boolean;
}

const SHAPE = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

const message = (holder: TokenHolder) => `unsubscribe:v2:${holder.id}:${holder.email}`;
const legacyMessage = (id: number) => `unsubscribe:${id}`;

/** `<id>.<base64url HMAC>`: the subscriber's unsubscribe token. */
export async function unsubscribeToken(secret: string, holder: TokenHolder): Promise<string> {
  return `${holder.id}.${toBase64Url(await hmacSign(secret, message(holder)))}`;
}

/**
 * The subscriber id a token names (its first part), or null when it is not shaped like a token.
 * This proves nothing: look the subscriber up, then verifyUnsubscribeToken.
 */
export function unsubscribeTokenId(token: string): number | null {
  const m = SHAPE.exec(token);
  return m ? Number(m[1]) : null;
}

/** Whether `token` is `holder`'s unsubscribe token. Constant-time (crypto.subtle.verify). */
export async function verifyUnsubscribeToken(
  secret: string,
  token: string,
  holder: TokenHolder,
): Promise<boolean> {
  const m = SHAPE.exec(token);
  if (!m || Number(m[1]) !== holder.id) return false;
  const mac = fromBase64Url(m[2]!);
  if (mac === null) return false;
  if (await hmacVerify(secret, mac, message(holder))) return true;
  return holder.legacyToken === true && hmacVerify(secret, mac, legacyMessage(holder.id));
}
