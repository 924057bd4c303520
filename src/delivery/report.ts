/**
 * The delivery report: per digest and variant (the topics a copy was cut to, or everything),
 * how many recipients it had, how many were sent or failed, and what came back: bounces and
 * complaints (the provider's webhook) and unsubscribes (the reader's own link), each put down to
 * one digest (src/subscriptions/issue-events.ts). No opens, no clicks: nothing tracks readers.
 */
import { topicsOfKey } from "../model/topic.ts";

export interface DeliveryReportRow {
  readonly week: string;
  /** The topics of the variant, e.g. "story:troops-to-russia tag:russia"; "everything". */
  readonly variant: string;
  readonly recipients: number;
  readonly sent: number;
  readonly failed: number;
  readonly bounced: number;
  readonly complained: number;
  readonly unsubscribed: number;
}

/** Every digest's rows, newest week first, "everything" first within a week. */
export async function deliveryReport(db: D1Database, limit = 1000): Promise<DeliveryReportRow[]> {
  const { results } = await db
    .prepare(
      `WITH events AS (
         SELECT week, subscriber_id, sum(kind = 'bounced') AS bounced,
                sum(kind = 'complained') AS complained, sum(kind = 'unsubscribed') AS unsubscribed
         FROM delivery_events GROUP BY week, subscriber_id)
       SELECT d.week, d.variant, count(*) AS recipients,
              sum(d.status = 'sent') AS sent, sum(d.status = 'failed') AS failed,
              coalesce(sum(e.bounced), 0) AS bounced, coalesce(sum(e.complained), 0) AS complained,
              coalesce(sum(e.unsubscribed), 0) AS unsubscribed
       FROM deliveries d LEFT JOIN events e ON e.week = d.week AND e.subscriber_id = d.subscriber_id
       WHERE d.week IN (SELECT week FROM digests ORDER BY week DESC LIMIT ?1)
       GROUP BY d.week, d.variant
       ORDER BY d.week DESC, d.variant IS NOT NULL, d.variant`,
    )
    .bind(limit)
    .all<Omit<DeliveryReportRow, "variant"> & { variant: string | null }>();
  return results.map((r) => ({ ...r, variant: variantLabel(r.variant) }));
}

export function variantLabel(variant: string | null): string {
  return variant === null ? "everything" : topicsOfKey(variant).join(" ");
}
