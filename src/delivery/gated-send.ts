/**
 * Mailing a week's digest through the review gate (src/digest/review.ts): the cron's send and
 * the admin's send and approve all come here, so none of them can mail a version the gate holds.
 */
import type { Config } from "../config.ts";
import { holdReason } from "../digest/review.ts";
import { notifyReviewer } from "../digest/review-notice.ts";
import { askReviewGate, type GatedDigest } from "../digest/service.ts";
import type { WeekKey } from "../digest/summary/model.ts";
import { siteUrls } from "../lib/urls.ts";
import type { MailTransport } from "../mail/transport.ts";
import { type DigestChunkMessage, enqueueDigestSend, type EnqueueResult } from "./producer.ts";

export type GatedSend =
  | { readonly kind: "no-digest" }
  | {
      readonly kind: "held";
      readonly gated: GatedDigest;
      /** Why the gate holds it, in a sentence (review.ts). */
      readonly reason: string;
    }
  | { readonly kind: "enqueued"; readonly gated: GatedDigest; readonly result: EnqueueResult };

/** Enqueues the week for its unsent subscribers if the gate lets this version out. */
export async function sendThroughReviewGate(
  db: D1Database,
  queue: Queue<DigestChunkMessage>,
  config: Config,
  week: WeekKey,
  now: Date,
): Promise<GatedSend> {
  const gated = await askReviewGate(db, config.digestSend, week, now);
  if (gated === null) return { kind: "no-digest" };
  if (!gated.decision.open) return { kind: "held", gated, reason: holdReason(gated.decision) };
  return {
    kind: "enqueued",
    gated,
    result: await enqueueDigestSend(db, queue, week, gated.digest.contentHash),
  };
}

/**
 * The cron's send of the week that just ended: enqueued, or held with a log line and one notice
 * to ADMIN_EMAIL per waiting version.
 */
export async function sendWeeklyDigest(
  db: D1Database,
  queue: Queue<DigestChunkMessage>,
  transport: MailTransport,
  config: Config,
  week: WeekKey,
  now: Date,
): Promise<GatedSend> {
  const send = await sendThroughReviewGate(db, queue, config, week, now);
  if (send.kind === "enqueued") {
    console.log(
      `weekly digest ${week}: ${send.result.recipients} recipients in ${send.result.messages} queue messages`,
    );
  } else if (send.kind === "held") {
    const review = siteUrls(config).adminDigestAction(week, "review");
    console.warn(`weekly digest ${week}: not sent, waits for review (${send.reason}): ${review}`);
    const notice = await notifyReviewer(
      db,
      transport,
      config,
      { digest: send.gated.digest, reason: send.reason },
      now,
    );
    if (notice === "sent") console.log(`weekly digest ${week}: ADMIN_EMAIL told it waits`);
  }
  return send;
}
