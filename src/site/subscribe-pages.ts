/**
 * The sign-up form and the pages of the opt-in and unsubscribe flows. Everything works without
 * JavaScript; the confirmation page's one script only presses its button for the reader.
 */
import { html, raw } from "hono/html";
import type { SiteConfig } from "../config.ts";
import type { Html } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";
import { addressForEcho, MAX_ADDRESS_LENGTH } from "../subscriptions/address.ts";
import { ADDRESS_SEND_LIMIT } from "../subscriptions/limits.ts";
import { renderPage } from "./layout.ts";
import { type TopicChoices, topicFieldset } from "./topic-choices.ts";

/** What the form says the subscriber agrees to; its version is CONSENT_TEXT_VERSION. */
export const CONSENT_TEXT =
  "Send me the weekly axis developments digest by email. I can unsubscribe at any time with the link in every email.";

/**
 * What every sign-up is told about tracking: there is none, and what the delivery report counts
 * instead (docs/topics-and-reports.md).
 */
export const NO_TRACKING_TEXT =
  "No tracking: our emails carry no tracking pixels and their links are not rewritten, so we never learn whether you opened one or what you clicked. We count only what the mail service tells us (delivered, bounced, marked as spam) and unsubscribes.";

/**
 * The sign-up form; `form` names where it is shown, for the consent record. `value` is what
 * the visitor typed, shown back cut and cleaned (addressForEcho), whatever its size. With
 * `choices`, the reader may pick topics (none: everything).
 */
export function subscribeForm(
  config: SiteConfig,
  form: string,
  value = "",
  choices: TopicChoices | null = null,
): Html {
  return html`<form class="subscribe" method="post" action="${siteUrls(config).subscribe()}">
<label for="subscribe-email-${form}">Get the weekly digest by email</label>
<div class="row">
<input id="subscribe-email-${form}" type="email" name="email" required autocomplete="email" inputmode="email" maxlength="${MAX_ADDRESS_LENGTH}" placeholder="you@example.org" value="${addressForEcho(value)}">
<input type="hidden" name="form" value="${form}">
<button type="submit">Subscribe</button>
</div>
${choices === null ? "" : topicFieldset(choices, `subscribe-${form}`)}
<p class="meta">${CONSENT_TEXT} We will first email you a link to confirm.</p>
<p class="meta">${NO_TRACKING_TEXT}</p>
</form>`;
}

/**
 * Where a reader can go from a result page: the articles, the digest (the newest one when the
 * caller knows it, else the archive) and the feeds, so no step of the flow is a dead end.
 */
function onwardLinks(config: SiteConfig, latestDigest: string | null): Html {
  const urls = siteUrls(config);
  const digest =
    latestDigest === null
      ? html`<a href="${urls.digests()}">Browse the weekly digest archive</a>`
      : html`<a href="${latestDigest}">Read the latest weekly digest</a>`;
  return html`<nav aria-label="Next steps"><ul class="onwards">
<li><a href="${urls.home()}">Read the latest articles</a></li>
<li>${digest}</li>
<li>Follow with a feed reader: <a href="${urls.feeds().rss}">RSS</a> · <a href="${urls.feeds().atom}">Atom</a> · <a href="${urls.feeds().json}">JSON Feed</a></li>
</ul></nav>`;
}

export function renderMessagePage(
  config: SiteConfig,
  heading: string,
  paragraphs: readonly string[],
  extra: Html | "" = "",
  latestDigest: string | null = null,
): Promise<string> {
  return renderPage({
    config,
    title: `${heading} · ${config.title}`,
    description: paragraphs[0] ?? heading,
    canonical: siteUrls(config).home(),
    feeds: [],
    body: html`<h1>${heading}</h1>
${paragraphs.map((p) => html`<p>${p}</p>`)}
${extra}
${onwardLinks(config, latestDigest)}`,
  });
}

export function renderSubscribePage(
  config: SiteConfig,
  error: string | null,
  value: string,
  choices: TopicChoices | null = null,
): Promise<string> {
  return renderMessagePage(
    config,
    error ? "Please check your address" : "Subscribe",
    error
      ? [error]
      : [
          "Every Monday: the week’s key developments, who was active, key figures and the articles.",
          "Already subscribed? Every digest email has a “Choose your topics” link: follow a story or pause from there.",
        ],
    subscribeForm(config, "subscribe-page", value, choices),
  );
}

/** A page with a button: links in emails are prefetched by scanners, so a GET changes nothing. */
export function renderConfirmButtonPage(
  config: SiteConfig,
  action: string,
  heading: string,
  text: string,
  button: string,
): Promise<string> {
  return renderMessagePage(
    config,
    heading,
    [text],
    html`<form method="post" action="${action}"><button type="submit">${button}</button></form>`,
  );
}

/**
 * The confirmation page's script: it submits the page's form once the page is shown to a
 * person, so a click on the emailed link confirms in one step. A GET never confirms by itself:
 * scanners that fetch the link, or parse it without running script, leave it unconfirmed;
 * a page rendered hidden (prerendering, a background tab) waits until it is seen, and
 * automated browsers (navigator.webdriver, as headless link checkers run) do not submit.
 * The button is the fallback without script. Allowed by its hash in the CSP, computed at build
 * (scripts/build-csp.ts), so it must stay a constant.
 */
export const CONFIRM_SCRIPT = `(function () {
  var form = document.getElementById("confirm-form");
  if (!form || navigator.webdriver) return;
  function submitIfSeen() {
    if (document.visibilityState !== "visible") return false;
    document.removeEventListener("visibilitychange", submitIfSeen);
    form.requestSubmit();
    return true;
  }
  if (!submitIfSeen()) document.addEventListener("visibilitychange", submitIfSeen);
})();`;

/**
 * GET /confirm/{token}: a form posting to the link, submitted by CONFIRM_SCRIPT for a person
 * and by its button otherwise. Showing it changes nothing.
 */
export function renderConfirmPage(config: SiteConfig, action: string): Promise<string> {
  return renderMessagePage(
    config,
    "Confirm your subscription",
    ["Confirming your subscription to the weekly digest…"],
    html`<form id="confirm-form" method="post" action="${action}"><p>Nothing happening? Press the button:</p><button type="submit">Confirm my subscription</button></form>
<script>${raw(CONFIRM_SCRIPT)}</script>`,
  );
}

/** "Send the link again": an empty address field, so the page stays the same for everyone. */
function resendForm(config: SiteConfig): Html {
  return html`<form class="subscribe" method="post" action="${siteUrls(config).subscribe()}">
<label for="resend-email">Send the link again</label>
<div class="row">
<input id="resend-email" type="email" name="email" required autocomplete="email" inputmode="email" maxlength="${MAX_ADDRESS_LENGTH}" placeholder="you@example.org">
<input type="hidden" name="form" value="resend">
<button type="submit">Send the link again</button>
</div>
</form>`;
}

/**
 * The answer to every accepted sign-up, whatever the address's state: the same bytes for a
 * new, pending, subscribed, unsubscribed or suppressed address.
 */
export function renderCheckInboxPage(config: SiteConfig, confirmTtlHours: number): Promise<string> {
  const minutes = ADDRESS_SEND_LIMIT.intervalSeconds / 60;
  return renderMessagePage(
    config,
    "Check your inbox",
    [
      "If that address can receive the digest, we have sent it a link to confirm. The digest starts once you confirm.",
      `The link works for ${confirmTtlHours} hours. Nothing arrived? Check your spam folder, or ask for it again below: an address is sent at most one link every ${minutes} minutes and ${ADDRESS_SEND_LIMIT.perDay} a day.`,
    ],
    resendForm(config),
  );
}

/** 429 to a client network over its sign-up budget; says nothing about any address. */
export function renderTooManySignUpsPage(
  config: SiteConfig,
  windowSeconds: number,
): Promise<string> {
  return renderMessagePage(config, "Too many attempts", [
    `Too many sign-ups came from your network. Please wait ${windowSeconds / 60} minutes and try again.`,
  ]);
}
