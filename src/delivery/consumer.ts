/**
 * The queue consumer: sends one chunk of a digest per message, then records the deliveries and
 * acks. Exactly once per (digest, subscriber), never doubled and never dropped:
 *  - recipients are claimed in D1 before sending, so two chunks never hold the same recipient;
 *  - before a recipient is first handed to the provider it gets the idempotency key of its
 *    batch (deliveries.ts), and keeps it: whatever happens next (an answer lost, 5xx until the
 *    dead-letter queue, a consumer that died and a stale claim taken over, a second send), it is
 *    only ever re-sent in that batch, under that key;
 *  - a re-sent batch is byte-identical: same recipients, same order, and each message's
 *    Message-ID and Date derived from the digest, the batch and the recipient (never the clock
 *    of the retry), so the provider recognizes the request and answers without sending again;
 *  - a batch counts as sent only when the provider says so (2xx, or a key it has already
 *    accepted); "still in progress" and everything else uncertain is retried, never assumed;
 *  - recipients already sent are never claimed again;
 *  - a recipient's variant (the topics their copy is cut to, or the whole digest) is recorded
 *    with their send key and re-sent as it was, whatever they chose since; each variant is
 *    rendered once per isolate and digest version (variants.ts), the whole digest never.
 */
import { weakSecret } from "../lib/secret-strength.ts";
import type { MailConfig, SiteConfig } from "../config.ts";
import { holdReason, reviewGate } from "../digest/review.ts";
import { getDigestReview, recordHold } from "../digest/review-store.ts";
import { getDigest, getDigestContentHash, type StoredDigest } from "../digest/store.ts";
import { siteUrls } from "../lib/urls.ts";
import type { MailTransport } from "../mail/transport.ts";
import { unsubscribeToken } from "../subscriptions/tokens.ts";
import {
  claimRecipients,
  type HeldRecipient,
  markFailed,
  markFailedStatement,
  markSent,
} from "./deliveries.ts";
import { buildDigestMessage, digestMessageId } from "./digest-message.ts";
import type { DigestChunkMessage } from "./producer.ts";
import { type ChunkEnd, finishChunk } from "./send-progress.ts";
import { type DigestVariants, digestVariants } from "./variants.ts";

export type ChunkOutcome =
  | { readonly kind: "sent"; readonly recipients: number }
  | { readonly kind: "nothing-to-send" }
  /** Rebuilt since the gate let it out, into a version that waits for review: nobody claimed. */
  | { readonly kind: "held"; readonly reason: string }
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

/**
 * The idempotency key of the recipients a chunk sends for the first time. A later attempt of
 * the same message gets its own key for recipients it could not claim before (another batch's
 * key is never stretched over new recipients: the provider would see another payload).
 */
export function freshSendKey(chunkKey: string, attempt: number): string {
  return attempt <= 1 ? `digest:${chunkKey}` : `digest:${chunkKey}:attempt-${attempt}`;
}

/** Held recipients by batch, in order: each is one provider request. */
function batchesOf(held: readonly HeldRecipient[]): HeldRecipient[][] {
  const batches = new Map<string, HeldRecipient[]>();
  for (const r of held) {
    const batch = batches.get(r.sendKey);
    if (batch) batch.push(r);
    else batches.set(r.sendKey, [r]);
  }
  return [...batches.values()];
}

async function buildBatch(
  digest: StoredDigest,
  variants: DigestVariants,
  batch: readonly HeldRecipient[],
  deps: ConsumerDeps,
  secret: string,
) {
  const urls = siteUrls(deps.config);
  return Promise.all(
    batch.map(async (r) => {
      const token = await unsubscribeToken(secret, r);
      // A recorded variant with nothing left in it can only follow a rebuild of the week between
      // two attempts of its batch: the whole digest goes, rather than nothing or an empty one.
      const bodies = variants.bodies(r.variant) ?? variants.bodies(null)!;
      return buildDigestMessage(
        { ...digest, ...bodies },
        { email: r.email, unsubscribeUrl: urls.unsubscribe(token), unsubscribeToken: token },
        deps.config,
        deps.mail,
        {
          messageId: await digestMessageId(digest.week, r.sendKey, r.id, deps.mail.from),
          date: new Date(r.attemptedAt),
        },
      );
    }),
  );
}

export async function sendDigestChunk(
  msg: DigestChunkMessage,
  attempt: number,
  deps: ConsumerDeps,
): Promise<ChunkOutcome> {
  const now = deps.now?.() ?? new Date();
  const digest = await loadDigest(deps, msg.week);
  if (digest === null) {
    await endChunk(deps.db, msg, "failed", now);
    return { kind: "failed", reason: `no digest for ${msg.week}` };
  }
  // An approval is for exact bytes: a week rebuilt after the gate let it out is asked again (one
  // query, only after a rebuild). The chunk gives up, not retried: nobody in it is claimed, and
  // the approval's send enqueues whoever is still unsent (and drops this failed chunk).
  if (msg.contentHash !== undefined && msg.contentHash !== digest.contentHash) {
    const review = await getDigestReview(deps.db, msg.week);
    const decision = reviewGate(deps.config.digestSend, digest, review?.approvedHash ?? null);
    if (!decision.open) {
      await recordHold(deps.db, msg.week, digest.contentHash, now);
      await endChunk(deps.db, msg, "failed", now);
      return { kind: "held", reason: `rebuilt since it was let out: ${holdReason(decision)}` };
    }
  }
  const secret = deps.mail.tokenSecret;
  // Checked before claiming: nobody is handed to the provider without a working unsubscribe
  // link, nor one anybody could forge (a short or placeholder key).
  const weak = weakSecret("TOKEN_SECRET", secret);
  if (secret === null || weak !== null)
    return {
      kind: "retry",
      delaySeconds: backoffSeconds(attempt),
      reason: `${weak ?? "TOKEN_SECRET is not set"}: cannot make unsubscribe links`,
    };
  const variants = await digestVariants(deps.db, deps.config, digest);
  const held = await claimRecipients(
    deps.db,
    msg.week,
    msg.chunkKey,
    msg.subscriberIds,
    now,
    freshSendKey(msg.chunkKey, attempt),
    variants.weekTopicsJson,
  );
  if (held.length === 0) {
    // Its recipients were sent by another chunk, or are no longer active: this chunk is done.
    await endChunk(deps.db, msg, "done", now);
    return { kind: "nothing-to-send" };
  }
  const sent: number[] = [];
  const refused: string[] = [];
  let retry: ChunkOutcome | null = null;
  for (const batch of batchesOf(held)) {
    const key = batch[0]!.sendKey;
    const result = await deps.transport.send(
      await buildBatch(digest, variants, batch, deps, secret),
      key,
    );
    if (result.ok) {
      sent.push(...batch.map((r) => r.id));
    } else if (result.retryable) {
      // The rest waits for the retry too: each batch keeps its key, so nothing is lost by it.
      retry = {
        kind: "retry",
        delaySeconds: backoffSeconds(attempt, result.retryAfterSeconds),
        reason: result.message,
      };
      break;
    } else {
      // Refused: released for a later send, which re-sends it under the same key.
      await markFailed(deps.db, msg.week, msg.chunkKey, key);
      refused.push(`${batch.length} recipients (${key}): ${result.message}`);
    }
  }
  // One round trip: who was sent, and (unless it will be retried) the chunk's end.
  const end: ChunkEnd | null = retry ? null : refused.length > 0 ? "failed" : "done";
  const statements = [
    ...(sent.length > 0 ? [markSent(deps.db, msg.week, sent, now)] : []),
    ...(end ? finishChunk(deps.db, msg.week, msg.chunkKey, end, now) : []),
  ];
  if (statements.length > 0) logCompletion(msg, await deps.db.batch(statements));
  if (retry) return retry;
  if (refused.length > 0) return { kind: "failed", reason: refused.join("; ") };
  return { kind: "sent", recipients: sent.length };
}

/** A chunk's end on its own (when it sent nothing), and the send's completion check. */
async function endChunk(db: D1Database, msg: DigestChunkMessage, end: ChunkEnd, now: Date) {
  logCompletion(msg, await db.batch(finishChunk(db, msg.week, msg.chunkKey, end, now)));
}

/** The completion check is the batch's last statement; it returns the week when it won. */
function logCompletion(msg: DigestChunkMessage, results: readonly D1Result[]): void {
  if ((results.at(-1)?.results.length ?? 0) > 0)
    console.log(`digest ${msg.week}: sent (chunk ${msg.chunkKey} was the last to finish)`);
}

/**
 * Dead letters: chunks that kept failing. Their claims are released for a later send; their
 * send keys stay, so that send re-sends them under the keys they may already have gone out with.
 */
export async function releaseDeadChunk(db: D1Database, msg: DigestChunkMessage): Promise<number> {
  const [released] = await db.batch([
    markFailedStatement(db, msg.week, msg.chunkKey),
    ...finishChunk(db, msg.week, msg.chunkKey, "failed", new Date()),
  ]);
  return released!.meta.changes;
}
