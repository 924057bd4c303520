/**
 * Admin pages: counts, deliveries per digest with actions, and the local outbox. "Send" is a
 * link to a confirmation page (recipient count, old-week warning), never a one-click POST.
 */
import { html } from "hono/html";
import type { SiteConfig } from "../config.ts";
import type { DeliveryCounts } from "../delivery/deliveries.ts";
import type { DeliveryReportRow } from "../delivery/report.ts";
import type { DigestSchedule } from "../digest/schedule-store.ts";
import { localDateTimeValue } from "../lib/send-at.ts";
import { siteUrls } from "../lib/urls.ts";
import type { OutboxMessage } from "../mail/outbox.ts";
import type { SubscriberStatus } from "../subscriptions/store.ts";
import { type WaitingWeek, waitingSection } from "./admin-review-pages.ts";
import { renderPage } from "./layout.ts";

/** "sent" with when the send completed (UTC), or the status as it is (built, sending). */
function sendStatus(d: DeliveryCounts) {
  if (d.status !== "sent" || d.sentAt === null) return d.status;
  const when = `${d.sentAt.slice(0, 10)} ${d.sentAt.slice(11, 16)} UTC`;
  return html`sent <time datetime="${d.sentAt}">${when}</time>`;
}

export function renderAdminPage(
  config: SiteConfig,
  counts: Record<SubscriberStatus, number>,
  deliveries: readonly DeliveryCounts[],
  waiting: readonly WaitingWeek[],
  report: readonly DeliveryReportRow[] = [],
  /** The address this operator last sent a test to (their cookie), or null: no default. */
  testAddress: string | null = null,
  plans: readonly DigestSchedule[] = [],
): Promise<string> {
  const urls = siteUrls(config);
  const zone = config.digestTimeZone;
  return renderPage({
    config,
    title: `Admin · ${config.title}`,
    description: "Subscribers, deliveries and the outbox.",
    canonical: urls.admin(),
    feeds: [],
    body: html`<h1>Admin</h1>
<h2>Subscribers</h2>
<ul>${Object.entries(counts).map(([status, n]) => html`<li>${status}: ${n}</li>`)}</ul>
<p><a href="${urls.admin()}/subscribers">Search, export and delete subscribers</a></p>
${waitingSection(config, waiting)}
${
  plans.length === 0
    ? ""
    : html`<h2>Planned sends</h2>
<ul class="scheduled">${plans.map(
        (p) =>
          html`<li><a href="${urls.adminDigestAction(p.week, "send")}">${p.week}</a>: ${p.state === "waiting" ? "its time came; goes once approved" : html`goes at <time datetime="${new Date(p.sendAt).toISOString()}">${localDateTimeValue(p.sendAt, zone).replace("T", " ")} ${zone}</time>`}</li>`,
      )}</ul>`
}
<h2>Digests</h2>
<table><thead><tr><th>Week</th><th>Status</th><th>Sent</th><th>In flight</th><th>Failed</th><th>Actions</th></tr></thead><tbody>
${deliveries.map(
  (
    d,
  ) => html`<tr><td><a href="${urls.digest(d.week)}">${d.week}</a></td><td>${sendStatus(d)}</td><td>${d.sent}</td><td>${d.claimed}</td><td>${d.failed}</td><td>
<p>Preview: <a href="${urls.digest(d.week)}">web</a> · <a href="${urls.digestEmail(d.week, "html")}">email</a> · <a href="${urls.digestEmail(d.week, "txt")}">text</a></p>
<p><a href="${urls.adminDigestAction(d.week, "send")}">Send to subscribers…</a> · <a href="${urls.adminDigestAction(d.week, "review")}">Review</a></p>
<form method="post" action="${urls.adminDigestAction(d.week, "rebuild")}"><button>Rebuild</button></form>
<form method="post" action="${urls.adminDigestAction(d.week, "test")}"><input type="email" name="email" required value="${testAddress ?? ""}" placeholder="test@example.org" aria-label="Test address"><button>Send a test</button></form>
</td></tr>`,
)}
</tbody></table>
${reportSection(config, report)}
<p><a href="${urls.adminOutbox()}">Outbox</a> (local transport)</p>`,
  });
}

/**
 * The delivery report by digest and variant. No opens or clicks: nothing in the email tracks
 * its reader (docs/topics-and-reports.md). Its table holds no link, yet scrolls sideways on a
 * narrow screen (layout.ts): focusable, so a keyboard can scroll it (WCAG 2.1.1; axe's
 * scrollable-region-focusable).
 */
function reportSection(config: SiteConfig, rows: readonly DeliveryReportRow[]) {
  return html`<h2 id="delivery-report">Delivery report</h2>
<p class="meta">Per digest and variant (the topics its readers chose, or everything). Bounces and complaints come from the mail service, unsubscribes from the readers’ links, each counted against the digest it answered (else the last one sent to that reader). No opens or clicks: our emails carry no tracking pixels and no rewritten links. <a href="${siteUrls(config).admin()}/delivery-report.csv">CSV</a></p>
<table tabindex="0" aria-label="Delivery report"><thead><tr><th>Week</th><th>Variant</th><th>Recipients</th><th>Sent</th><th>Failed</th><th>Bounced</th><th>Complained</th><th>Unsubscribed</th></tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td>${r.week}</td><td>${r.variant}</td><td>${r.recipients}</td><td>${r.sent}</td><td>${r.failed}</td><td>${r.bounced}</td><td>${r.complained}</td><td>${r.unsubscribed}</td></tr>`,
)}
</tbody></table>`;
}

export function renderOutboxPage(
  config: SiteConfig,
  messages: readonly OutboxMessage[],
): Promise<string> {
  const urls = siteUrls(config);
  return renderPage({
    config,
    title: `Outbox · ${config.title}`,
    description: "Every message the local outbox transport would have sent.",
    canonical: urls.adminOutbox(),
    feeds: [],
    body: html`<h1>Outbox</h1>
<p>${messages.length} most recent messages, newest first. <a href="${urls.adminOutboxJson()}">JSON</a></p>
${messages.map(
  (m) => html`<article class="card">
<h2>${m.subject}</h2>
<p class="meta">#${m.id} · to ${m.to} · ${m.createdAt} · <a href="${urls.adminOutboxMessage(m.id)}">raw .eml</a></p>
<details><summary>Headers</summary><pre>${Object.entries(m.headers)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("")}</pre></details>
<details><summary>Plain text</summary><pre>${m.text}</pre></details>
</article>`,
)}`,
  });
}
