/**
 * Base64 (RFC 4648 §4) and base64url (§5), the one place the Worker converts bytes to and from
 * them: MIME bodies and encoded words, the outbox's stored bodies, webhook signatures, tokens,
 * CSP hashes and the icons. atob/btoa work on "binary strings" (one char per byte); these take
 * and give bytes, so no caller mixes up text and bytes.
 */
const encoder = new TextEncoder();

/** btoa's argument for `bytes`, built in slices: spreading a large array overflows the stack. */
function binaryString(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return bin;
}

/** Base64 with padding of `data`; a string is encoded as its UTF-8 bytes. */
export function toBase64(data: Uint8Array | string): string {
  return btoa(binaryString(typeof data === "string" ? encoder.encode(data) : data));
}

/** The bytes of standard base64 (padding optional), or null when `text` is not base64. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** base64url without padding (RFC 4648 §5): safe in a URL path segment as it is. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The bytes of a base64url string, or null when it is not one. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  return fromBase64(text.replace(/-/g, "+").replace(/_/g, "/"));
}
