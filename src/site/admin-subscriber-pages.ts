/** The admin's subscriber list: search, status filter, pages, export and deletion. */
import { html } from "hono/html";
import type { SiteConfig } from "../config.ts";
import { siteUrls } from "../lib/urls.ts";
import type { SubscriberFilter, SubscriberRow } from "../subscriptions/admin-store.ts";
import type { SubscriberStatus } from "../subscriptions/store.ts";
import { renderPage } from "./layout.ts";

export const SUBSCRIBER_STATUSES: readonly SubscriberStatus[] = [
  "pending",
  "active",
  "unsubscribed",
  "bounced",
  "complained",
];

export interface SubscriberListView {
  readonly filter: SubscriberFilter;
  /**
   * The search as the page repeats it in its box: bidi and control characters replaced and cut
   * (src/http/echo.ts), so a U+202E typed in the search cannot reorder the page's text.
   */
  readonly searchShown: string;
  readonly rows: readonly SubscriberRow[];
  readonly total: number;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

/** The list's URL for a filter and page (or the export's, with `.csv`). */
export function subscriberListUrl(
  config: SiteConfig,
  filter: SubscriberFilter,
  page = 1,
  suffix = "",
): string {
  const query = new URLSearchParams();
  if (filter.search !== "") query.set("q", filter.search);
  if (filter.status !== null) query.set("status", filter.status);
  if (page > 1) query.set("page", String(page));
  const qs = query.toString();
  return `${siteUrls(config).admin()}/subscribers${suffix}${qs ? `?${qs}` : ""}`;
}

export function renderSubscriberListPage(
  config: SiteConfig,
  view: SubscriberListView,
): Promise<string> {
  const { filter, searchShown, rows, total, page, pageSize } = view;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const list = `${siteUrls(config).admin()}/subscribers`;
  return renderPage({
    config,
    title: `Subscribers · ${config.title}`,
    description: "Search, filter, export and delete subscribers.",
    canonical: list,
    feeds: [],
    body: html`<h1>Subscribers</h1>
<form class="subscribe" method="get" action="${list}" role="search"><div class="row">
<input type="search" name="q" value="${searchShown}" placeholder="part of an address" aria-label="Address contains">
<select name="status" aria-label="Status"><option value="">any status</option>${SUBSCRIBER_STATUSES.map(
      (s) => html`<option value="${s}"${filter.status === s ? " selected" : ""}>${s}</option>`,
    )}</select>
<button>Search</button></div></form>
<p>${total} ${total === 1 ? "subscriber" : "subscribers"} · page ${page} of ${pages} · <a href="${subscriberListUrl(config, filter, 1, ".csv")}" download>Export CSV</a></p>
<table><thead><tr><th>Address</th><th>Status</th><th>Since</th><th>Delete</th></tr></thead><tbody>
${rows.map(
  (r) => html`<tr><td>${r.email}</td><td>${r.status}</td><td>${r.createdAt.slice(0, 10)}</td><td>
<form method="post" action="${list}/delete"><input type="hidden" name="email" value="${r.email}"><label><input type="checkbox" required> sure</label> <button>Delete</button></form></td></tr>`,
)}
</tbody></table>
<nav class="pager" aria-label="Pages">${page > 1 ? html`<a href="${subscriberListUrl(config, filter, page - 1)}" rel="prev">Previous</a>` : html`<span></span>`}${page < pages ? html`<a href="${subscriberListUrl(config, filter, page + 1)}" rel="next">Next</a>` : ""}</nav>
<p><a href="${list}/import">Import a list</a> · <a href="${siteUrls(config).admin()}">Back to admin</a></p>`,
  });
}
