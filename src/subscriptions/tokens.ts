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
const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export function randomToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

/** `<id>.<base64url HMAC>`: the subscriber's unsubscribe token. */
export async function unsubscribeToken(secret: string, subscriberId: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(`unsubscribe:${subscriberId}`));
  return `${subscriberId}.${toBase64Url(new Uint8Array(mac))}`;
}

/** The subscriber id an unsubscribe token proves, or null. Constant-time (crypto.subtle.verify). */
export async function verifyUnsubscribeToken(secret: string, token: string): Promise<number | null> {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const mac = fromBase64Url(m[2]!);
  if (mac === null) return null;
  const ok = await crypto.subtle.verify("HMAC", await hmacKey(secret), mac, encoder.encode(`unsubscribe:${m[1]}`));
  return ok ? Number(m[1]) : null;
}

/** Constant-time comparison of two secrets (e.g. the admin token), by comparing their HMACs. */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const key = await hmacKey("compare");
  const [x, y] = await Promise.all([crypto.subtle.sign("HMAC", key, encoder.encode(a)), crypto.subtle.sign("HMAC", key, encoder.encode(b))]);
  return crypto.subtle.timingSafeEqual(x, y);
}
