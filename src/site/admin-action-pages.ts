/** Admin pages for actions: the send confirmation, and the page every action answers. */
import { html } from "hono/html";
import type { SendAt, SiteConfig } from "../config.ts";
import type { DigestSchedule } from "../digest/schedule-store.ts";
import { formatSendAt, localDateTimeValue } from "../lib/send-at.ts";
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
  /** The week's planned send, if any (src/digest/schedule-store.ts). */
  readonly plan: DigestSchedule | null;
  /** DIGEST_SEND_AT, for saying when weeks go by default. */
  readonly sendAt: SendAt;
}

/** "Send later" (a datetime-local in DIGEST_TIME_ZONE), and the plan with its cancel button. */
function scheduleSection(config: SiteConfig, preview: SendPreview) {
  const urls = siteUrls(config);
  const zone = config.digestTimeZone;
  const { week, plan } = preview;
  const when = (at: number) =>
    html`<time datetime="${new Date(at).toISOString()}">${localDateTimeValue(at, zone).replace("T", " ")} ${zone}</time>`;
  const status =
    plan === null
      ? html`<p>No send is planned for ${week}. Weeks go out on ${formatSendAt(preview.sendAt)} ${zone} after they end (DIGEST_SEND_AT).</p>`
      : plan.state === "scheduled"
        ? html`<p class="scheduled" role="status">Goes at ${when(plan.sendAt)}${plan.origin === "auto" ? " (DIGEST_SEND_AT)" : plan.changedBy ? `, set by ${plan.changedBy}` : ""}.</p>
<form method="post" action="${urls.adminDigestAction(week, "cancel")}"><button>Cancel this send</button></form>`
        : plan.state === "waiting"
          ? html`<p class="scheduled" role="status">Its time (${when(plan.sendAt)}) came while it waited for review: it goes as soon as it is approved.</p>`
          : plan.state === "cancelled"
            ? html`<p class="scheduled" role="status">The send at ${when(plan.sendAt)} was cancelled${plan.changedBy ? ` by ${plan.changedBy}` : ""}.</p>`
            : html`<p class="scheduled" role="status">Its send at ${when(plan.sendAt)} ${plan.state === "claimed" ? "is under way" : "is done"}.</p>`;
  const canSet = plan === null || (plan.state !== "claimed" && plan.state !== "waiting");
  return html`<h2>Send later</h2>
${status}
${canSet ? html`<form method="post" action="${urls.adminDigestAction(week, "schedule")}"><label>Send at (${zone}) <input type="datetime-local" name="send_at" required${plan?.state === "scheduled" ? html` value="${localDateTimeValue(plan.sendAt, zone)}"` : ""}></label> <button>Send at this time</button></form>` : ""}`;
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
${scheduleSection(config, preview)}
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
