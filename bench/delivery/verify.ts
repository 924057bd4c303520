/**
 * The send checked in SQL: exactly one outbox message per active subscriber and none to anyone
 * else, deliveries 'sent' = active, and every message's unsubscribe link its recipient's.
 */
import { verifyUnsubscribeToken } from "../../src/subscriptions/tokens.ts";
import type { Problems } from "./problems.ts";
import { TOKEN_SECRET } from "./settings.ts";
import { ms } from "./util.ts";

/** Subscribers against the outbox. */
export interface Recipients {
  readonly active: number;
  readonly active_once: number;
  readonly duplicates: number;
  readonly recipients_with_duplicates: number;
  readonly missing: number;
  readonly suppressed_sent: number;
  readonly suppressed_messages: number;
}
export interface Outbox {
  readonly rows: number;
  readonly addresses: number;
  readonly strangers: number;
  readonly avg_row: number;
}
export interface DeliveryRows {
  readonly sent: number;
  readonly claimed: number;
  readonly failed: number;
  readonly sent_not_active: number;
}

export interface Verification {
  readonly v: Recipients;
  readonly o: Outbox;
  readonly d: DeliveryRows;
  readonly digestStatus: string | null;
  readonly checkedLinks: number;
  readonly wrongUnsubscribe: number;
  readonly verifyMs: number;
}

// One pass over the outbox (grouped by address), joined to subscribers: no per-subscriber scan
// (outbox has no index on to_addr alone).
const RECIPIENTS_SQL = `WITH sent AS MATERIALIZED (SELECT to_addr, count(*) AS n FROM outbox GROUP BY to_addr),
       per AS (SELECT s.status, coalesce(sent.n, 0) AS n FROM subscribers s LEFT JOIN sent ON sent.to_addr = s.email)
       SELECT
         coalesce(sum(status = 'active'), 0)                        AS active,
         coalesce(sum(status = 'active' AND n = 1), 0)               AS active_once,
         coalesce(sum(CASE WHEN status = 'active' AND n > 1 THEN n - 1 ELSE 0 END), 0) AS duplicates,
         coalesce(sum(status = 'active' AND n > 1), 0)               AS recipients_with_duplicates,
         coalesce(sum(status = 'active' AND n = 0), 0)               AS missing,
         coalesce(sum(status <> 'active' AND n > 0), 0)              AS suppressed_sent,
         coalesce(sum(CASE WHEN status <> 'active' THEN n ELSE 0 END), 0) AS suppressed_messages
       FROM per`;

const OUTBOX_SQL = `SELECT count(*) AS rows, count(DISTINCT to_addr) AS addresses,
              (SELECT count(*) FROM outbox WHERE to_addr NOT IN (SELECT email FROM subscribers)) AS strangers,
              -- size of a stored message, from the first 1,000 (reading every row would read it all)
              (SELECT coalesce(avg(length(CAST(body_gzip AS BLOB)) + length(CAST(headers_json AS BLOB))), 0)
                 FROM (SELECT body_gzip, headers_json FROM outbox ORDER BY id LIMIT 1000)) AS avg_row
       FROM outbox`;

const DELIVERIES_SQL = `SELECT coalesce(sum(d.status = 'sent'), 0) AS sent, coalesce(sum(d.status = 'claimed'), 0) AS claimed, coalesce(sum(d.status = 'failed'), 0) AS failed,
              coalesce(sum(d.status = 'sent' AND s.status <> 'active'), 0) AS sent_not_active
       FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.week = ?1`;

/** Every message's unsubscribe link must be its own recipient's (List-Unsubscribe header). */
async function checkUnsubscribeLinks(
  D1: D1Database,
): Promise<{ checkedLinks: number; wrongUnsubscribe: number }> {
  const idByEmail = (addr: string) => Number(/^reader(\d+)@example\.test$/.exec(addr)?.[1] ?? NaN);
  let wrongUnsubscribe = 0;
  let checkedLinks = 0;
  let after = 0;
  for (;;) {
    const page = await D1.prepare(
      "SELECT id, to_addr, headers_json ->> '$.List-Unsubscribe' AS lu FROM outbox WHERE id > ?1 ORDER BY id LIMIT 5000",
    )
      .bind(after)
      .all<{ id: number; to_addr: string; lu: string | null }>();
    if (page.results.length === 0) break;
    for (const row of page.results) {
      checkedLinks++;
      const token = /\/unsubscribe\/([^>\s]+)>/.exec(row.lu ?? "")?.[1];
      // The recipient's own token: their id, and bound to their address.
      const own =
        token !== undefined &&
        (await verifyUnsubscribeToken(TOKEN_SECRET, decodeURIComponent(token), {
          id: idByEmail(row.to_addr),
          email: row.to_addr,
        }));
      if (!own) wrongUnsubscribe++;
    }
    after = page.results.at(-1)!.id;
  }
  return { checkedLinks, wrongUnsubscribe };
}

/** Queries the end state and records every way it is wrong; `expectedActive` is who should have got the digest. */
export async function verifySend(
  D1: D1Database,
  week: string,
  expectedActive: number,
  problems: Problems,
): Promise<Verification> {
  const t0 = performance.now();
  const v = await D1.prepare(RECIPIENTS_SQL).first<Recipients>();
  const o = await D1.prepare(OUTBOX_SQL).first<Outbox>();
  const d = await D1.prepare(DELIVERIES_SQL).bind(week).first<DeliveryRows>();
  const digest = await D1.prepare("SELECT status, sent_at FROM digests WHERE week = ?1")
    .bind(week)
    .first<{ status: string; sent_at: string | null }>();
  if (!v || !o || !d) throw new Error("verification queries returned nothing");
  const { checkedLinks, wrongUnsubscribe } = await checkUnsubscribeLinks(D1);
  const verifyMs = ms(t0);

  problems.check(
    v.active === expectedActive,
    `active subscribers in D1: ${v.active}, expected ${expectedActive}`,
  );
  problems.check(
    v.duplicates === 0,
    `duplicates: ${v.duplicates} extra messages to ${v.recipients_with_duplicates} active subscribers`,
  );
  problems.check(v.missing === 0, `missing: ${v.missing} active subscribers got no message`);
  problems.check(
    v.suppressed_sent === 0,
    `${v.suppressed_sent} suppressed or pending subscribers got ${v.suppressed_messages} messages`,
  );
  problems.check(
    o.strangers === 0,
    `${o.strangers} outbox messages to addresses that are not subscribers`,
  );
  problems.check(d.sent === v.active, `deliveries 'sent': ${d.sent}, active: ${v.active}`);
  problems.check(
    d.sent_not_active === 0,
    `${d.sent_not_active} deliveries 'sent' to subscribers who are not active`,
  );
  // Every recipient was sent: the last chunk to finish must have marked the digest sent.
  problems.check(
    digest?.status === "sent" && digest.sent_at !== null,
    `digest status after the send: ${digest?.status ?? "no digest"} (sent_at ${digest?.sent_at ?? "null"}), expected sent with its time`,
  );
  return {
    v,
    o,
    d,
    digestStatus: digest
      ? `${digest.status}${digest.sent_at ? ` at ${digest.sent_at}` : ""}`
      : null,
    checkedLinks,
    wrongUnsubscribe,
    verifyMs,
  };
}
