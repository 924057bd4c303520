/**
 * The one notice to ADMIN_EMAIL that a digest waits for review: once per version of the digest
 * (a rebuild that still needs review is a new version, and tells again), never once per cron
 * run. Through the digests' own transport, so the outbox shows it locally.
 */
import type { Config } from "../config.ts";
import { siteUrls } from "../lib/urls.ts";
import { newMessageId } from "../mail/message.ts";
import type { MailTransport } from "../mail/transport.ts";
import { escapeHtml } from "../lib/html.ts";
import { extractedItems } from "./review.ts";
import { claimNotice, releaseNotice } from "./review-store.ts";
import type { StoredDigest } from "./store.ts";

export type NoticeOutcome = "sent" | "no-address" | "already-told" | "failed";

function noticeText(
  config: Config,
  digest: StoredDigest,
  reason: string,
  reviewUrl: string,
): string {
  const items = extractedItems(digest.summary).map(
    (d, i) =>
      `${i + 1}. ${d.text}\n   (from "${d.articleTitle}"; ${d.provenance.reason ?? "extracted"})`,
  );
  return [
    `The ${config.title} digest of ${digest.week} waits for review and was not sent.`,
    `Why: ${reason}.`,
    "",
    ...(items.length > 0 ? ["Extracted items:", ...items, ""] : []),
    `Review it, then approve it (it is then sent) or add key points, publish and rebuild:`,
    reviewUrl,
    "",
  ].join("\n");
}

export async function notifyReviewer(
  db: D1Database,
  transport: MailTransport,
  config: Config,
  /** The held version, and why the gate holds it (review.ts holdReason). */
  held: { readonly digest: StoredDigest; readonly reason: string },
  now: Date,
): Promise<NoticeOutcome> {
  const to = config.mail.adminEmail;
  if (to === null) return "no-address";
  const { week, contentHash } = held.digest;
  if (!(await claimNotice(db, week, contentHash))) return "already-told";
  const reviewUrl = siteUrls(config).adminDigestAction(week, "review");
  const text = noticeText(config, held.digest, held.reason, reviewUrl);
  const result = await transport.send(
    [
      {
        from: config.mail.from,
        to,
        subject: `Review needed: the digest of ${week}`,
        text,
        html: `<pre>${escapeHtml(text)}</pre>`,
        headers: {},
        messageId: newMessageId(config.mail.from),
        date: now,
      },
    ],
    // One per version: a provider that already took it does not send it twice.
    `review-notice:${week}:${contentHash}`,
  );
  if (result.ok) return "sent";
  await releaseNotice(db, week, contentHash);
  console.error(`digest ${week}: the review notice to ADMIN_EMAIL failed: ${result.message}`);
  return "failed";
}
