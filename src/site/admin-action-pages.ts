/** Admin pages for actions: the send confirmation, and the page every action answers. */
import { html } from "hono/html";
import type { SiteConfig } from "../config.ts";
import { siteUrls } from "../lib/urls.ts";
import { renderPage } from "./layout.ts";

export interface SendPreview {
  readonly week: string;
  readonly title: string;
  readonly recipients: number;
  /** Whether the week ended over a month ago: subscribers would get old news as new. */
  readonly old: boolean;
  /** Why the review gate holds this version (then it is approved on its review page), or null. */
  readonly heldBecause: string | null;
}

export function renderSendConfirmPage(config: SiteConfig, preview: SendPreview): Promise<string> {
  const urls = siteUrls(config);
  const { week, title, recipients, old, heldBecause } = preview;
  return renderPage({
    config,
    title: `Send ${week}? · ${config.title}`,
    description: `Confirm sending the digest of ${week} to subscribers.`,
    canonical: urls.adminDigestAction(week, "send"),
    feeds: [],
    body: html`<h1>Send ${week} to subscribers?</h1>
<p><a href="${urls.digest(week)}">${title}</a></p>
<p><strong>${recipients}</strong> active ${recipients === 1 ? "subscriber" : "subscribers"} will get it (those who have not been sent it yet, are not paused, and have something on their topics this week).</p>
${old ? html`<p class="note editor" role="alert">This week ended more than a month ago: subscribers would receive old news as this week's digest.</p>` : ""}
${
  heldBecause === null
    ? html`<form method="post" action="${urls.adminDigestAction(week, "send")}"><button>Send to ${recipients} ${recipients === 1 ? "subscriber" : "subscribers"}</button></form>`
    : html`<p class="note editor" role="alert">It waits for review: ${heldBecause}. <a href="${urls.adminDigestAction(week, "review")}">Review and approve it</a>; approving sends it.</p>`
}
<p><a href="${urls.admin()}">Cancel, back to admin</a></p>`,
  });
}

export function renderAdminResultPage(
  config: SiteConfig,
  heading: string,
  message: string,
): Promise<string> {
  const urls = siteUrls(config);
  return renderPage({
    config,
    title: `${heading} · ${config.title}`,
    description: message,
    canonical: urls.admin(),
    feeds: [],
    body: html`<h1>${heading}</h1>
<p role="status">${message}</p>
<p><a href="${urls.admin()}">Back to admin</a> · <a href="${urls.admin()}/subscribers">Subscribers</a></p>`,
  });
}
