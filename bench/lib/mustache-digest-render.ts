/**
 * Candidate for src/digest/email/render.ts without the template compiler (issue 17): the
 * precompiled HTML-with-Mustache template filled by Mustache.render at run time, and the
 * byte-budget search rendering each of its attempts and counting the bytes. Same view, same
 * bound, same search as renderDigestEmail, so the same email; bench/lib/digest-render.ts checks
 * that and times the two against each other.
 */
import Mustache from "mustache";
import { DIGEST_HTML_TEMPLATE, DIGEST_TEXT_TEMPLATE } from "../../src/generated/email-templates.ts";
import { budgetWeight, HTML_BUDGET_BYTES } from "../../src/digest/email/budget.ts";
import type { DigestLinks } from "../../src/digest/email/links.ts";
import type { RenderedDigestEmail, SlottedView } from "../../src/digest/email/render.ts";
import { sanitizeView } from "../../src/digest/email/sanitize.ts";
import { BASE_URL_SLOT, UNSUBSCRIBE_SLOT } from "../../src/digest/email/slots.ts";
import {
  type ArticleText,
  articleItem,
  articleText,
  composeParts,
  dayOf,
  type EmailParts,
  type Limits,
  prepareEmailFrame,
} from "../../src/digest/email/view.ts";
import type { DigestSummary } from "../../src/digest/summary/model.ts";

const PLAIN_TEXT = { escape: (value: unknown) => String(value) };
const sanitize = <T>(value: T): T => sanitizeView(value, BASE_URL_SLOT);

function largestFitting(hi: number, fitsWith: (n: number) => boolean): number {
  if (!fitsWith(0)) return -1;
  let lo = 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitsWith(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

interface Attempt {
  readonly view: SlottedView;
  readonly html: string;
  readonly compact: boolean;
  readonly fits: boolean;
}

export function mustacheDigestEmail(
  summary: DigestSummary,
  links: DigestLinks,
): RenderedDigestEmail {
  const refs = summary.articles;
  const texts: ArticleText[] = [];
  let bytes = 0;
  for (const ref of refs) {
    const text = articleText(ref, links);
    bytes += text.title.length + text.url.length + text.source.length + text.summary.length;
    if (bytes > HTML_BUDGET_BYTES) break;
    texts.push(text);
  }
  const formatDay = dayOf(summary.timeZone);
  const items = texts.map((text, i) => sanitize(articleItem(refs[i]!, text, formatDay)));
  const parts: EmailParts = {
    ...sanitize(prepareEmailFrame(summary, links)),
    articleCount: refs.length,
    articles: (n) => items.slice(0, n),
  };
  const attempt = (limits: Limits, compact: boolean): Attempt => {
    const view = {
      ...composeParts(parts, limits, compact, sanitize),
      unsubscribeUrl: UNSUBSCRIBE_SLOT,
    };
    const html = Mustache.render(DIGEST_HTML_TEMPLATE, view);
    return { view, html, compact, fits: budgetWeight(html, false) <= HTML_BUDGET_BYTES };
  };
  const done = ({ view, html, compact }: Attempt): RenderedDigestEmail => ({
    html,
    text: Mustache.render(DIGEST_TEXT_TEMPLATE, view, undefined, PLAIN_TEXT),
    compact,
  });

  const all: Limits = {
    developments: parts.developments.length,
    pairs: parts.pairs.length,
    figures: parts.figures.length,
    articles: refs.length,
  };
  if (items.length === refs.length) {
    const whole = attempt(all, false);
    if (whole.fits) return done(whole);
  }
  const limits: Limits = { ...all, articles: items.length };
  for (const key of ["articles", "figures", "pairs", "developments"] as const) {
    const fitting = new Map<number, Attempt>();
    const n = largestFitting(limits[key], (k) => {
      const a = attempt({ ...limits, [key]: k }, true);
      if (a.fits) fitting.set(k, a);
      return a.fits;
    });
    if (n >= 0) return done(fitting.get(n)!);
    limits[key] = 0;
  }
  throw new Error(
    `digest email: the template with no list items exceeds ${HTML_BUDGET_BYTES} bytes; check siteTitle, contactLine and the configured URLs`,
  );
}
