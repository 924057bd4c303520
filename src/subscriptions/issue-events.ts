/**
 * What happened to a reader after a digest, put down to that digest for the delivery report
 * (migrations/0016_delivery_report.sql): a bounce, a complaint, an unsubscribe. There is no
 * tracking: these come from the provider's webhook and the reader's own unsubscribe link. The
 * digest is the one the event names (the week in our Message-ID), when the reader was sent it,
 * else the last one sent to them; nothing is recorded when they were never sent one.
 */

export type IssueEventKind = "bounced" | "complained" | "unsubscribed";

/** The week a digest's Message-ID names (digest-message.ts: `<digest.{week}.{hash}@…>`), or null. */
export function weekOfMessageId(messageId: string | null | undefined): string | null {
  return /^<?digest\.(\d{4}-W\d{2})\.[0-9a-f]{32}@/.exec(messageId?.trim() ?? "")?.[1] ?? null;
}

/**
 * The statement recording `kind` for the subscriber `who` (an SQL expression of ?1 giving their
 * id) at `at`, against `week` when they were sent it, else their last digest. `onlyIf` is a
 * further SQL condition on the subscriber `s` (e.g. that this statement's batch changed them).
 */
export function recordIssueEvent(
  db: D1Database,
  who: { readonly byEmail: string } | { readonly byId: number },
  kind: IssueEventKind,
  at: Date,
  week: string | null,
  onlyIf = "1",
): D1PreparedStatement {
  const match = "byEmail" in who ? "s.email = ?1" : "s.id = ?1";
  return db
    .prepare(
      `WITH target AS (
         SELECT s.id, coalesce(
           (SELECT d.week FROM deliveries d WHERE d.subscriber_id = s.id AND d.week = ?4 AND d.status = 'sent'),
           (SELECT d.week FROM deliveries d WHERE d.subscriber_id = s.id AND d.status = 'sent'
            ORDER BY d.sent_at DESC, d.week DESC LIMIT 1)) AS week
         FROM subscribers s WHERE ${match} AND (${onlyIf}))
       INSERT INTO delivery_events (week, subscriber_id, kind, at)
       SELECT week, id, ?2, ?3 FROM target WHERE week IS NOT NULL
       ON CONFLICT (week, subscriber_id, kind) DO NOTHING`,
    )
    .bind("byEmail" in who ? who.byEmail : who.byId, kind, at.toISOString(), week);
}
