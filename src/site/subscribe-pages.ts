/** The sign-up form and the pages of the opt-in and unsubscribe flows. No JavaScript needed. */
import { html } from "hono/html";
import type { SiteConfig } from "../config.ts";
import type { Html } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";
import { addressForEcho, MAX_ADDRESS_LENGTH } from "../subscriptions/address.ts";
import { ADDRESS_SEND_LIMIT } from "../subscriptions/limits.ts";
import { renderPage } from "./layout.ts";

/** What the form says the subscriber agrees to; its version is CONSENT_TEXT_VERSION. */
export const CONSENT_TEXT =
  "Send me the weekly axis developments digest by email. I can unsubscribe at any time with the link in every email.";

/**
 * The sign-up form; `form` names where it is shown, for the consent record. `value` is what
 * the visitor typed, shown back cut and cleaned (addressForEcho), whatever its size.
 */
export function subscribeForm(config: SiteConfig, form: string, value = ""): Html {
  return html`<form class="subscribe" method="post" action="${siteUrls(config).subscribe()}">
<label for="subscribe-email-${form}">Get the weekly digest by email</label>
<div class="row">
<input id="subscribe-email-${form}" type="email" name="email" required autocomplete="email" inputmode="email" maxlength="${MAX_ADDRESS_LENGTH}" placeholder="you@example.org" value="${addressForEcho(value)}">
<input type="hidden" name="form" value="${form}">
<button type="submit">Subscribe</button>
</div>
<p class="meta">${CONSENT_TEXT} We will first email you a link to confirm.</p>
</form>`;
}

export function renderMessagePage(
  config: SiteConfig,
  heading: string,
  paragraphs: readonly string[],
  extra: Html | "" = "",
): Promise<string> {
  return renderPage({
    config,
    title: `${heading} · ${config.title}`,
    description: paragraphs[0] ?? heading,
    canonical: siteUrls(config).home(),
    feeds: [],
    body: html`<h1>${heading}</h1>
${paragraphs.map((p) => html`<p>${p}</p>`)}
${extra}`,
  });
}

export function renderSubscribePage(
  config: SiteConfig,
  error: string | null,
  value: string,
): Promise<string> {
  return renderMessagePage(
    config,
    error ? "Please check your address" : "Subscribe",
    error
      ? [error]
      : [
          "Every Monday: the week’s key developments, who was active, key figures and the articles.",
        ],
    subscribeForm(config, "subscribe-page", value),
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
 * The answer to every accepted sign-up, whatever the address's state: the same bytes for a
 * new, pending, subscribed, unsubscribed or suppressed address.
 */
export function renderCheckInboxPage(config: SiteConfig, confirmTtlHours: number): Promise<string> {
  const minutes = ADDRESS_SEND_LIMIT.intervalSeconds / 60;
  return renderMessagePage(config, "Check your inbox", [
    "If that address can receive the digest, we have sent it a link to confirm. The digest starts once you confirm.",
    `The link works for ${confirmTtlHours} hours. Nothing arrived? Check your spam folder, or sign up again: an address is sent at most one link every ${minutes} minutes and ${ADDRESS_SEND_LIMIT.perDay} a day.`,
  ]);
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
