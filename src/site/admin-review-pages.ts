/**
 * The admin's review of a digest the gate holds (src/digest/review.ts): the email as recipients
 * get it, each item with where it came from (an extracted one marked, with its original
 * sentence, rewrites and why it was taken), and the approval, bound to this version's hash.
 * Everything shown is escaped by hono/html: item and article texts come from sources' pages.
 */
import { html } from "hono/html";
import type { DigestSendMode, SiteConfig } from "../config.ts";
import { type GateDecision, holdReason } from "../digest/review.ts";
import type { DigestReview, HeldDigest } from "../digest/review-store.ts";
import type { GatedDigest } from "../digest/service.ts";
import type { Development } from "../digest/summary/model.ts";
import { reviewGate } from "../digest/review.ts";
import { siteUrls } from "../lib/urls.ts";
import { renderPage } from "./layout.ts";

export interface ReviewView {
  readonly week: string;
  readonly title: string;
  readonly mode: DigestSendMode;
  readonly gated: GatedDigest;
  /** Active subscribers not sent this week yet: who an approval sends it to. */
  readonly recipients: number;
  /** The plain-text part as recipients get it (the web copy's unsubscribe link in its slot). */
  readonly emailText: string;
}

/** What the gate says about this version, in a sentence. */
export function reviewStateLine(
  mode: DigestSendMode,
  decision: GateDecision,
  review: DigestReview | null,
): string {
  if (!decision.open) return `Needs review: ${holdReason(decision)}.`;
  if (decision.why === "approved")
    return `Approved by ${review?.approvedBy ?? "?"} at ${review?.approvedAt ?? "?"}: this version may be sent.`;
  if (decision.why === "always") return "DIGEST_SEND=always: sent without review.";
  return `No review needed (DIGEST_SEND=${mode}): every item is an editor's key point.`;
}

function itemHtml(config: SiteConfig, d: Development) {
  const urls = siteUrls(config);
  const p = d.provenance;
  const from = html`From <a href="${urls.article(d.articleSlug)}">${d.articleTitle}</a> (${d.source})`;
  if (p.kind === "key-point")
    return html`<li class="card key-point"><p>${d.text}</p><p class="meta">${from} · an editor's key point</p></li>`;
  return html`<li class="card extracted"><p>${d.text}</p>
<p class="meta">${from} · <strong class="provenance">Extracted</strong> by the summarizer</p>
<dl>
<dt>Original sentence</dt><dd class="original">${p.original ?? "not recorded"}</dd>
<dt>Rewrites</dt><dd class="rewrites">${p.rewrites.length === 0 ? "none" : html`<ul>${p.rewrites.map((r) => html`<li>${r}</li>`)}</ul>`}</dd>
<dt>Why it was taken</dt><dd class="reason">${p.reason ?? "not recorded"}</dd>
</dl></li>`;
}

export function renderReviewPage(config: SiteConfig, view: ReviewView): Promise<string> {
  const urls = siteUrls(config);
  const { week, gated, recipients } = view;
  const { digest, review, decision } = gated;
  const subscribers = `${recipients} ${recipients === 1 ? "subscriber" : "subscribers"}`;
  const earlier =
    !decision.open && review !== null && review.approvedHash !== null
      ? html`<p class="note editor">An earlier version was approved by ${review.approvedBy} at ${review.approvedAt}; the digest changed since (rebuilt), so it needs review again.</p>`
      : "";
  const unsent = digest.status === "built";
  return renderPage({
    config,
    title: `Review ${week} · ${config.title}`,
    description: `Review the digest of ${week} before it is mailed.`,
    canonical: urls.adminDigestAction(week, "review"),
    feeds: [],
    body: html`<h1>Review ${week}</h1>
<p><a href="${urls.digest(week)}">${view.title}</a></p>
<p role="status" class="note editor">${reviewStateLine(view.mode, decision, review)}</p>
${earlier}
${unsent ? "" : html`<p class="note">Already ${digest.status === "sent" ? "sent" : "sending"}: only subscribers not sent it yet would get it.</p>`}
<h2>Items</h2>
<ol class="review-items">${digest.summary.developments.map((d) => itemHtml(config, d))}</ol>
<h2>The email</h2>
<p>As recipients get it: <a href="${urls.digestEmail(week, "html")}">HTML</a> · <a href="${urls.digestEmail(week, "txt")}">plain text</a>. Its plain-text part:</p>
<pre class="email-text">${view.emailText}</pre>
<h2>Approve or change</h2>
${
  decision.open
    ? html`<p><a href="${urls.adminDigestAction(week, "send")}">Send to subscribers…</a></p>`
    : html`<form method="post" action="${urls.adminDigestAction(week, "approve")}"><input type="hidden" name="hash" value="${digest.contentHash}"><button>Approve this version and send it to ${subscribers}</button></form>`
}
<p>Or add key points to the briefs, publish and rebuild: a rebuild that changes the digest needs a new approval.</p>
<form method="post" action="${urls.adminDigestAction(week, "rebuild")}"><button>Rebuild</button></form>
<p><a href="${urls.admin()}">Back to admin</a></p>`,
  });
}

/** A week the gate held that has not been sent, as the admin home lists it. */
export interface WaitingWeek {
  readonly week: string;
  readonly state: string;
  readonly heldAt: string | null;
}

export function waitingWeeks(mode: DigestSendMode, held: readonly HeldDigest[]): WaitingWeek[] {
  return held.flatMap((h) => {
    const decision = reviewGate(mode, h, h.review.approvedHash);
    // Mid-send, a week waits only while its current version is held.
    if (h.status !== "built" && decision.open) return [];
    const state = !decision.open
      ? `needs review: ${holdReason(decision)}`
      : decision.why === "approved"
        ? "approved, not sent yet"
        : "ready to send: it passes the review gate now";
    return [{ week: h.review.week, state, heldAt: h.review.heldAt }];
  });
}

/** The admin home's list of waiting weeks: each links to its review page. */
export function waitingSection(config: SiteConfig, waiting: readonly WaitingWeek[]) {
  const urls = siteUrls(config);
  return html`<h2>Waiting for review</h2>
${
  waiting.length === 0
    ? html`<p>No digest is waiting.</p>`
    : html`<ul class="waiting">${waiting.map(
        (w) =>
          html`<li><a href="${urls.adminDigestAction(w.week, "review")}">${w.week}</a>: ${w.state}${w.heldAt ? html` (held since ${w.heldAt})` : ""}</li>`,
      )}</ul>`
}`;
}
