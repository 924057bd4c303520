/**
 * The weekly digest email, HTML and plain text, from the templates compiled at build time
 * (scripts/build-templates.ts: MJML runs there, never here). Rendered once per week; each
 * recipient's copy is then `fillRecipientSlots` (slots.ts) on it, a string replacement.
 */
import Mustache from "mustache";
import { DIGEST_HTML_TEMPLATE, DIGEST_TEXT_TEMPLATE } from "../../generated/email-templates.ts";
import type { DigestSummary } from "../summary/model.ts";
import type { DigestLinks } from "./links.ts";
import { sanitizeView } from "./sanitize.ts";
import { BASE_URL_SLOT, UNSUBSCRIBE_SLOT } from "./slots.ts";
import {
  allOf,
  composeView,
  type EmailView,
  type Limits,
  type PreparedEmail,
  prepareEmail,
} from "./view.ts";

/**
 * Gmail clips HTML over about 102 KB behind "[Message clipped] View entire message", hiding the
 * footer and its unsubscribe link; the exact point varies with the transfer encoding
 * (https://www.spamresource.com/2022/01/what-is-gmail-clipping-and-what-to-do.html). Budget
 * below it, as UTF-8 bytes with the slot filled by an unsubscribe URL of BUDGET_URL's length.
 */
export const HTML_BUDGET_BYTES = 100_000;
const BUDGET_URL = `https://${"u".repeat(292)}`; // 300 characters
const BUDGET_BASE = `https://${"b".repeat(92)}`; // a 100-character BASE_URL

export interface RenderedDigestEmail {
  readonly html: string;
  readonly text: string;
  /** True when the week did not fit the budget and lists were cut (see the table of contents). */
  readonly compact: boolean;
}

// Parse once per isolate, at module load: Mustache caches parsed templates by their text.
Mustache.parse(DIGEST_HTML_TEMPLATE);
Mustache.parse(DIGEST_TEXT_TEMPLATE);

/** Plain text needs no escaping; HTML gets Mustache's default (& < > " ' / ` =). */
const PLAIN_TEXT = { escape: (value: unknown) => String(value) };

type SlottedView = EmailView & { readonly unsubscribeUrl: string };

function finish(view: EmailView): SlottedView {
  // Sanitize first, then add the slot: its control characters must survive.
  return { ...sanitizeView(view, BASE_URL_SLOT), unsubscribeUrl: UNSUBSCRIBE_SLOT };
}

const renderHtml = (view: SlottedView) => Mustache.render(DIGEST_HTML_TEMPLATE, view);
const renderText = (view: SlottedView) =>
  Mustache.render(DIGEST_TEXT_TEMPLATE, view, undefined, PLAIN_TEXT);

const encoder = new TextEncoder();
const count = (text: string, slot: string) => text.split(slot).length - 1;

/** Whether `html`, once its slots are filled with budget-sized URLs, is within the budget.
 * Counted rather than filled: the budget URLs are plain ASCII, one byte per character. */
function fits(html: string): boolean {
  const bytes =
    encoder.encode(html).byteLength +
    count(html, UNSUBSCRIBE_SLOT) * (BUDGET_URL.length - UNSUBSCRIBE_SLOT.length) +
    count(html, BASE_URL_SLOT) * (BUDGET_BASE.length - BASE_URL_SLOT.length);
  return bytes <= HTML_BUDGET_BYTES;
}

/**
 * How many articles can possibly fit: their text alone takes at least one byte per UTF-16
 * unit, so rendering more than this is pointless. Spares rendering a huge week in full.
 */
function articlesBound(prepared: PreparedEmail): number {
  let bytes = 0;
  let n = 0;
  for (const a of prepared.articles) {
    bytes += a.title.length + a.url.length + a.source.length + a.summary.length;
    if (bytes > HTML_BUDGET_BYTES) break;
    n++;
  }
  return n;
}

/** The largest n in [0, hi] for which fitsWith(n) holds, assuming fewer items never grow the email; -1 if none. */
function largestFitting(hi: number, fitsWith: (n: number) => boolean): number {
  if (!fitsWith(0)) return -1;
  let lo = 0; // fits
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitsWith(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Compact mode: fewer articles until the email fits; if even none is not enough (only for
 * absurd summaries, given the field caps), fewer figures, pairs, then developments.
 */
function compactView(prepared: PreparedEmail): { view: SlottedView; html: string } {
  const limits: Limits = {
    ...allOf(prepared),
    articles: Math.min(prepared.articles.length, articlesBound(prepared)),
  };
  const attempt = (l: Limits) => {
    const view = finish(composeView(prepared, l, true));
    return { view, html: renderHtml(view) };
  };
  for (const key of ["articles", "figures", "pairs", "developments"] as const) {
    const n = largestFitting(limits[key], (k) => fits(attempt({ ...limits, [key]: k }).html));
    if (n >= 0) return attempt({ ...limits, [key]: n });
    limits[key] = 0;
  }
  throw new Error(
    `digest email: the template with no list items exceeds ${HTML_BUDGET_BYTES} bytes; check siteTitle, contactLine and the configured URLs`,
  );
}

export function renderDigestEmail(summary: DigestSummary, links: DigestLinks): RenderedDigestEmail {
  const prepared = prepareEmail(summary, links);
  if (articlesBound(prepared) === prepared.articles.length) {
    const view = finish(composeView(prepared, allOf(prepared), false));
    const html = renderHtml(view);
    if (fits(html)) return { html, text: renderText(view), compact: false };
  }
  const { view, html } = compactView(prepared);
  return { html, text: renderText(view), compact: true };
}
