/**
 * The cryptographic primitives every feature uses, on Web Crypto (workerd and Node alike):
 * SHA-256 hex, random tokens, HMAC-SHA-256 (RFC 2104) and constant-time comparisons.
 */
import { toBase64, toBase64Url } from "./base64.ts";

const encoder = new TextEncoder();

/** Lowercase hex of SHA-256 over `data` (a string is hashed as UTF-8). */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** 256 random bits as base64url (43 characters). */
export function randomToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

// importKey costs more than signing a short message; keys are reused for the isolate's life.
// Only imported keys are kept, never a promise another request started.
const keys = new Map<string, CryptoKey>();

/**
 * An HMAC secret: text (used as its UTF-8 bytes, e.g. TOKEN_SECRET) or raw key bytes (e.g. a
 * webhook signing secret, which the provider hands out base64-encoded).
 */
export type HmacSecret = string | Uint8Array<ArrayBuffer>;

async function hmacKey(secret: HmacSecret): Promise<CryptoKey> {
  // The cache is keyed by text; key bytes go in as base64, prefixed so no text secret meets them.
  const id = typeof secret === "string" ? `text:${secret}` : `bytes:${toBase64(secret)}`;
  let key = keys.get(id);
  if (!key) {
    key = await crypto.subtle.importKey(
      "raw",
      typeof secret === "string" ? encoder.encode(secret) : secret,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    keys.set(id, key);
  }
  return key;
}

/** HMAC-SHA-256 of `message` under `secret`. */
export async function hmacSign(secret: HmacSecret, message: string): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(message)),
  );
}

/** Whether `mac` is the HMAC of `message` under `secret`; crypto.subtle.verify is constant-time. */
export async function hmacVerify(
  secret: HmacSecret,
  mac: Uint8Array,
  message: string,
): Promise<boolean> {
  return crypto.subtle.verify("HMAC", await hmacKey(secret), mac, encoder.encode(message));
}

/**
 * Constant-time comparison of two secrets (e.g. the admin token): their HMACs under a fixed key
 * have the same length whatever the inputs' lengths, so the comparison leaks neither.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([hmacSign("compare", a), hmacSign("compare", b)]);
  return crypto.subtle.timingSafeEqual(x, y);
}
