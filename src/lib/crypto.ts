/**
 * The cryptographic primitives every feature uses, on Web Crypto (workerd and Node alike):
 * SHA-256 hex, base64url (RFC 4648 §5), HMAC-SHA-256 and a constant-time comparison.
 */
const encoder = new TextEncoder();

/** Lowercase hex of SHA-256 over `data` (a string is hashed as UTF-8). */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** base64url without padding (RFC 4648 §5): safe in a URL path segment as it is. */
export function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The bytes of a base64url string, or null when it is not one. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** 256 random bits as base64url (43 characters). */
export function randomToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

// importKey costs more than signing a short message; keys are reused for the isolate's life.
// Only imported keys are kept, never a promise another request started.
const keys = new Map<string, CryptoKey>();

async function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = await crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    keys.set(secret, key);
  }
  return key;
}

/** HMAC-SHA-256 of `message` under `secret`. */
export async function hmacSign(secret: string, message: string): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(message)),
  );
}

/** Whether `mac` is the HMAC of `message` under `secret`; crypto.subtle.verify is constant-time. */
export async function hmacVerify(
  secret: string,
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
