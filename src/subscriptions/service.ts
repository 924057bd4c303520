/**
 * Double opt-in sign-up, confirmation and unsubscribing.
 *
 * A sign-up is answered before anything that depends on the address is looked at: the route
 * validates the address and counts the client network's requests (the same work for every
 * address), answers, and only then runs processSignUp (waitUntil). So neither the answer nor
 * its timing can tell whether an address is new, pending, subscribed, unsubscribed or
 * suppressed, and a slow mail provider never delays it.
 */
import { type MailConfig, SUBSCRIBE_WINDOW_SECONDS, type SiteConfig } from "../config.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { weakSecret } from "../lib/secret-strength.ts";
import { siteUrls } from "../lib/urls.ts";
import type { MailTransport } from "../mail/transport.ts";
import { buildConfirmationMessage } from "./confirmation-email.ts";
import {
  confirmByTokenHash,
  type ConfirmResult,
  pruneExpiredLinks,
  recordConsentWithinLimit,
  storeConfirmationToken,
} from "./confirmation-store.ts";
import { ADDRESS_SEND_LIMIT } from "./limits.ts";
import { countRequest, pruneRateLimits } from "./rate-limit-store.ts";
import { isTombstoned } from "./admin-store.ts";
import { findOrCreateSubscriber, findTokenHolder, unsubscribeById } from "./store.ts";
import { unsubscribeToken, unsubscribeTokenId, verifyUnsubscribeToken } from "./tokens.ts";
import { buildWelcomeMessage } from "./welcome-email.ts";

/** A valid sign-up: the normalized address, the client's IP as given, and which form. */
export interface SignUp {
  readonly email: string;
  readonly ip: string | null;
  readonly form: string;
  /** The topics chosen on the form (topicsKey); null or absent: everything. */
  readonly topics?: string | null;
}

/** What a sign-up did; only for logs and tests, never for the answer (it has gone already). */
export type SignUpOutcome = "sent" | "send-failed" | "limited" | "not-eligible";

export interface SignUpDeps {
  readonly config: SiteConfig;
  readonly mail: MailConfig;
  readonly transport: MailTransport;
  readonly now: Date;
}

/**
 * Counts a sign-up against its client network's budget (SUBSCRIBE_RATE_LIMIT per window) and
 * says whether it is within it. `network` is the client's address, or its /64 for IPv6: every
 * address of a /64 is the same customer's for free. Exactly one D1 statement.
 */
export async function withinNetworkLimit(
  db: D1Database,
  network: string,
  limit: number,
  now: Date,
): Promise<boolean> {
  const key = `subscribe:${network}`;
  return (await countRequest(db, key, SUBSCRIBE_WINDOW_SECONDS, now)) <= limit;
}

/**
 * The part of a sign-up that depends on the address's state, run after answering. A new
 * address is recorded as pending. A pending or unsubscribed one (its status untouched until a
 * link is used) gets a new link, within ADDRESS_SEND_LIMIT, and its earlier links keep
 * working. Active, bounced and complained addresses are sent nothing.
 */
export async function processSignUp(
  db: D1Database,
  signUp: SignUp,
  deps: SignUpDeps,
): Promise<SignUpOutcome> {
  const { mail, now } = deps;
  // Old counters and long-expired links are dead weight; clear them now and then.
  if (Math.random() < 0.01)
    await Promise.all([pruneRateLimits(db, now), pruneExpiredLinks(db, now)]);
  // A deleted address (admin) is never mailed again, and its deletion is not undone by a sign-up.
  if (await isTombstoned(db, signUp.email)) return "not-eligible";
  const subscriber = await findOrCreateSubscriber(db, signUp.email, now);
  if (subscriber.status !== "pending" && subscriber.status !== "unsubscribed")
    return "not-eligible";
  const consentId = await recordConsentWithinLimit(
    db,
    subscriber.id,
    signUp.email,
    {
      ip: signUp.ip?.slice(0, 64) ?? null,
      form: signUp.form,
      consentTextVersion: mail.consentTextVersion,
      topics: signUp.topics ?? null,
    },
    ADDRESS_SEND_LIMIT,
    now,
  );
  if (consentId === null) return "limited";
  const token = randomToken();
  await storeConfirmationToken(db, {
    tokenHash: await sha256Hex(token),
    subscriberId: subscriber.id,
    consentId,
    expiresAt: new Date(now.getTime() + mail.confirmTtlHours * 3_600_000),
  });
  const message = await buildConfirmationMessage(
    signUp.email,
    siteUrls(deps.config).confirm(token),
    deps.config,
    mail,
    now,
  );
  const sent = await deps.transport.send([message], `confirm:${consentId}`);
  if (sent.ok) return "sent";
  console.error(`confirmation email to subscriber ${subscriber.id} failed: ${sent.message}`);
  return "send-failed";
}

export async function confirmSubscription(
  db: D1Database,
  token: string,
  ip: string | null,
  now: Date,
): Promise<ConfirmResult> {
  if (!isConfirmToken(token)) return { ok: false, reason: "unknown" };
  return confirmByTokenHash(db, await sha256Hex(token), ip?.slice(0, 64) ?? null, now);
}

/** Whether `token` has the shape of a confirmation token (256 bits, base64url). */
export function isConfirmToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * The id of the subscriber `token` is the unsubscribe token of, or null: no such subscriber
 * (deleted, or never), or a token that is not theirs (another secret, another holder of the id).
 */
export async function unsubscribeTokenHolder(
  db: D1Database,
  secret: string,
  token: string,
): Promise<number | null> {
  const id = unsubscribeTokenId(token);
  if (id === null) return null;
  const holder = await findTokenHolder(db, id);
  return holder !== null && (await verifyUnsubscribeToken(secret, token, holder)) ? id : null;
}

/** Unsubscribes the holder of a valid token at once. Returns the address, or null if invalid. */
export async function unsubscribe(
  db: D1Database,
  secret: string,
  token: string,
  now: Date,
): Promise<string | null> {
  const id = await unsubscribeTokenHolder(db, secret, token);
  return id === null ? null : unsubscribeById(db, id, now);
}

/** Where the welcome email points: the newest digest's page, or the archive while there is none. */
export interface DigestLink {
  readonly url: string;
  /** Whether `url` is a digest's page (true) or the archive (false). */
  readonly latest: boolean;
}

/**
 * The welcome email, sent once per confirmation (only the request whose confirmation activated
 * the address gets here), through the confirmation mail's transport. Its unsubscribe link is
 * signed with TOKEN_SECRET: with a weak or missing one (anybody could forge such links), none
 * is sent, as no digest would be.
 */
export async function sendWelcome(
  subscriber: { readonly id: number; readonly email: string },
  digest: DigestLink,
  deps: SignUpDeps,
): Promise<boolean> {
  const secret = deps.mail.tokenSecret;
  if (secret === null || weakSecret("TOKEN_SECRET", secret) !== null) return false;
  const message = await buildWelcomeMessage(
    subscriber.email,
    {
      digest: digest.url,
      digestIsLatest: digest.latest,
      unsubscribe: siteUrls(deps.config).unsubscribe(await unsubscribeToken(secret, subscriber)),
    },
    deps.config,
    deps.mail,
    deps.now,
  );
  const sent = await deps.transport.send(
    [message],
    `welcome:${subscriber.id}:${deps.now.getTime()}`,
  );
  if (!sent.ok)
    console.error(`welcome email to subscriber ${subscriber.id} failed: ${sent.message}`);
  return sent.ok;
}
