/**
 * The queue consumer: sends one chunk of a digest per message, as one provider batch, then
 * records the deliveries and acks. Exactly once per (digest, subscriber):
 *  - recipients are claimed in D1 before sending, so two chunks never hold the same recipient;
 *  - a retried message (provider 429/5xx, or a consumer that crashed) re-sends its own claimed
 *    recipients with the same idempotency key, which the provider (or the outbox's unique index)
 *    has already seen if the first attempt got through;
 *  - recipients already sent are never claimed again.
 */
import type { MailConfig, SiteConfig } from "../config.ts";
import { getDigest, getDigestContentHash, type StoredDigest } from "../digest/store.ts";
import { siteUrls } from "../lib/urls.ts";
import type { MailTransport } from "../mail/transport.ts";
import { unsubscribeToken } from "../subscriptions/tokens.ts";
import { claimRecipients, markFailed, markSent } from "./deliveries.ts";
import { buildDigestMessage } from "./digest-message.ts";
import type { DigestChunkMessage } from "./producer.ts";

export type ChunkOutcome =
  | { readonly kind: "sent"; readonly recipients: number }
  | { readonly kind: "nothing-to-send" }
  | { readonly kind: "retry"; readonly delaySeconds: number; readonly reason: string }
  | { readonly kind: "failed"; readonly reason: string };

export interface ConsumerDeps {
  readonly db: D1Database;
  readonly config: SiteConfig;
  readonly mail: MailConfig;
  readonly transport: MailTransport;
  readonly now?: () => Date;
  /**
   * Week → content hash, looked up once per queue invocation and shared by its messages: a
   * batch of 10 chunks then costs one hash query, not ten (Workers Free allows 50 D1 queries
   * per invocation).
   */
  readonly hashes?: Map<string, Promise<string | null>>;
}

/**
 * Stored digests by content hash. A chunk asks D1 only for the week's hash, a few bytes, and
 * loads the whole digest (up to ~100 KB of HTML) once per isolate and version: after an
 * operator's rebuild the hash changes, so a warm isolate sends the new version, never the old.
 */
const digestCache = new Map<string, StoredDigest>();

async function loadDigest(deps: ConsumerDeps, week: string): Promise<StoredDigest | null> {
  const { db, hashes } = deps;
  let lookup = hashes?.get(week);
  if (!lookup) {
    lookup = getDigestContentHash(db, week);
    hashes?.set(week, lookup);
  }
  const hash = await lookup;
  if (hash === null) return null;
  const hit = digestCache.get(hash);
  if (hit) return hit;
  const digest = await getDigest(db, week);
  if (digest) {
    if (digestCache.size > 20) digestCache.clear();
    digestCache.set(digest.contentHash, digest);
  }
  return digest;
}

/** Exponential backoff with a cap, in seconds, for the attempt number (1-based). */
export function backoffSeconds(attempt: number, retryAfter?: number): number {
  return Math.min(Math.max(retryAfter ?? 0, 10 * 2 ** (attempt - 1)), 600);
}

export async function sendDigestChunk(
  msg: DigestChunkMessage,
  attempt: number,
  deps: ConsumerDeps,
): Promise<ChunkOutcome> {
  const now = deps.now?.() ?? new Date();
  const digest = await loadDigest(deps, msg.week);
  if (digest === null) return { kind: "failed", reason: `no digest for ${msg.week}` };
  const recipients = await claimRecipients(deps.db, msg.week, msg.chunkKey, msg.subscriberIds, now);
  if (recipients.length === 0) return { kind: "nothing-to-send" };
  const secret = deps.mail.tokenSecret;
  if (secret === null)
    return {
      kind: "retry",
      delaySeconds: backoffSeconds(attempt),
      reason: "TOKEN_SECRET is not set: cannot make unsubscribe links",
    };
  const urls = siteUrls(deps.config);
  const messages = await Promise.all(
    recipients.map(async (r) => {
      const unsubscribeUrl = urls.unsubscribe(await unsubscribeToken(secret, r.id));
      return buildDigestMessage(
        digest,
        { email: r.email, unsubscribeUrl },
        deps.config,
        deps.mail,
        now,
      );
    }),
  );
  const result = await deps.transport.send(messages, `digest:${msg.chunkKey}`);
  if (result.ok) {
    await markSent(deps.db, msg.week, msg.chunkKey, now);
    return { kind: "sent", recipients: recipients.length };
  }
  if (result.retryable)
    return {
      kind: "retry",
      delaySeconds: backoffSeconds(attempt, result.retryAfterSeconds),
      reason: result.message,
    };
  await markFailed(deps.db, msg.week, msg.chunkKey);
  return { kind: "failed", reason: result.message };
}

/** Dead letters: chunks that kept failing. Their claims are released for a later send. */
export async function releaseDeadChunk(db: D1Database, msg: DigestChunkMessage): Promise<number> {
  return markFailed(db, msg.week, msg.chunkKey);
}
