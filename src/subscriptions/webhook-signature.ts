/**
 * Verifies the provider's webhook signatures, Svix-style as Resend sends them
 * (https://docs.svix.com/receiving/verifying-payloads/how-manual): `svix-signature` holds one or
 * more space-separated `v1,<base64 HMAC-SHA-256>` of `${svix-id}.${svix-timestamp}.${body}`,
 * keyed with the base64-decoded secret after its `whsec_` prefix. A timestamp more than five
 * minutes away from now is refused, so a captured request cannot be replayed later (and the
 * svix-id, recorded once handled, stops a replay within those minutes).
 */
import { fromBase64 } from "../lib/base64.ts";
import { hmacVerify } from "../lib/crypto.ts";

/** How far a message's timestamp may be from now, either way, in seconds (Svix's tolerance). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export interface SignedWebhook {
  readonly id: string | null;
  readonly timestamp: string | null;
  readonly signatures: string | null;
  readonly body: string;
}

export type WebhookVerdict = { ok: true; id: string } | { ok: false; reason: string };

/** The HMAC key's bytes from `whsec_<base64>`, or null when the secret is not in that form. */
export function webhookKeyBytes(secret: string): Uint8Array<ArrayBuffer> | null {
  const key = fromBase64(secret.trim().replace(/^whsec_/, ""));
  return key !== null && key.length >= 16 ? key : null;
}

export async function verifyWebhook(
  key: Uint8Array<ArrayBuffer>,
  message: SignedWebhook,
  now: Date,
): Promise<WebhookVerdict> {
  const { id, timestamp, signatures, body } = message;
  if (!id || !timestamp || !signatures)
    return { ok: false, reason: "expected the svix-id, svix-timestamp and svix-signature headers" };
  if (id.length > 200) return { ok: false, reason: "svix-id is longer than 200 characters" };
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: "svix-timestamp is not a Unix time in seconds" };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS)
    return { ok: false, reason: "svix-timestamp is more than 5 minutes from now" };
  const signed = `${id}.${timestamp}.${body}`;
  // Several signatures during a secret rotation: any one valid v1 signature is enough. Each is
  // checked by hmacVerify (constant-time), so the answer's timing tells nothing of the MAC.
  let valid = false;
  for (const entry of signatures.trim().split(/\s+/)) {
    const [version, value] = entry.split(",", 2);
    const presented = version === "v1" && value ? fromBase64(value) : null;
    if (presented !== null && (await hmacVerify(key, presented, signed))) valid = true;
  }
  return valid
    ? { ok: true, id }
    : { ok: false, reason: "no valid v1 signature in svix-signature" };
}
