/** Double opt-in sign-up, confirmation and unsubscribing. */
import type { MailConfig, SiteConfig } from "../config.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { siteUrls } from "../lib/urls.ts";
import type { MailTransport } from "../mail/transport.ts";
import { normalizeEmail } from "./address.ts";
import { buildConfirmationMessage } from "./confirmation-email.ts";
import {
  confirmByTokenHash,
  type ConfirmResult,
  recordOptInRequest,
  unsubscribeById,
} from "./store.ts";
import { verifyUnsubscribeToken } from "./tokens.ts";

export interface SubscribeRequest {
  readonly email: string | null;
  readonly ip: string | null;
  readonly form: string;
}

export type SubscribeResult = { ok: true } | { ok: false; reason: string };

/**
 * Records the request and, where appropriate, emails a confirmation link. The result is the same
 * whether the address is new, pending, already active or suppressed: the answer must never tell
 * a visitor whether someone is subscribed.
 */
export async function requestSubscription(
  db: D1Database,
  req: SubscribeRequest,
  deps: { config: SiteConfig; mail: MailConfig; transport: MailTransport; now: Date },
): Promise<SubscribeResult> {
  const address = normalizeEmail(req.email);
  if (!address.ok) return address;
  const token = randomToken();
  const expires = new Date(deps.now.getTime() + deps.mail.confirmTtlHours * 3_600_000);
  const id = await recordOptInRequest(
    db,
    address.email,
    await sha256Hex(token),
    expires,
    { ip: req.ip, form: req.form, consentTextVersion: deps.mail.consentTextVersion },
    deps.now,
  );
  if (id !== null) {
    const message = await buildConfirmationMessage(
      address.email,
      siteUrls(deps.config).confirm(token),
      deps.config,
      deps.mail,
      deps.now,
    );
    const sent = await deps.transport.send([message], `confirm:${id}:${token.slice(0, 12)}`);
    if (!sent.ok) console.error(`confirmation email to subscriber ${id} failed: ${sent.message}`);
  }
  return { ok: true };
}

export async function confirmSubscription(
  db: D1Database,
  token: string,
  ip: string | null,
  now: Date,
): Promise<ConfirmResult> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, reason: "unknown" };
  return confirmByTokenHash(db, await sha256Hex(token), ip, now);
}

/** Unsubscribes the holder of a valid token at once. Returns the address, or null if invalid. */
export async function unsubscribe(
  db: D1Database,
  secret: string,
  token: string,
  now: Date,
): Promise<string | null> {
  const id = await verifyUnsubscribeToken(secret, token);
  return id === null ? null : unsubscribeById(db, id, now);
}
