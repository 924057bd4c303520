/**
 * The weekly digest email, HTML and plain text, from the templates compiled at build time
 * (scripts/build-templates.ts: MJML runs there, never here, and the Mustache templates it leaves
 * become the functions renderDigestHtml and renderDigestText, which fill them byte for byte as
 * Mustache.render would). Rendered once per week; each recipient's copy is then
 * `fillRecipientSlots` (slots.ts) on it, a string replacement.
 *
 * A week too big for the byte budget goes out in compact mode, with fewer articles (or, for
 * absurd summaries, fewer figures, pairs and developments). The binary search for how many fit
 * measures its attempts instead of rendering them: createDigestHtmlMeasure adds up the bytes of
 * the pieces the HTML would be made of, remembering each list item's bytes, so an attempt costs
 * the few values that change between attempts (the table of contents, the "N more" lines) and a
 * lookup per item. The email is rendered once, when the search is over. Articles are prepared
 * (clipped, dated, sanitized, weighed) in order and only as far as the search can reach: what
 * the first ones weigh on their own already rules out more. A week of 1,000 articles costs
 * about what a week of 200 does.
 *
 * The search's attempts are the same as when each was rendered, and each is measured to the
 * byte, so every week gets the very email it got then (test/workers/email-equivalence.test.ts
 * compares the two over many weeks).
 */
import {
  createDigestHtmlMeasure,
  DIGEST_HTML_SECTIONS,
  type MeasureMemo,
  renderDigestHtml,
  renderDigestText,
} from "../../generated/email-templates.ts";
import type { DigestSummary } from "../summary/model.ts";
import type { DigestLinks } from "./links.ts";
import { sanitizeView } from "./sanitize.ts";
import { budgetWeight, HTML_BUDGET_BYTES } from "./budget.ts";
import { BASE_URL_SLOT, UNSUBSCRIBE_SLOT } from "./slots.ts";
import {
  type ArticleItem,
  type ArticleText,
  articleItem,
  articleText,
  composeParts,
  dayOf,
  type EmailParts,
  type EmailView,
  type Limits,
  prepareEmailFrame,
} from "./view.ts";

export interface RenderedDigestEmail {
  readonly html: string;
  readonly text: string;
  /** True when the week did not fit the budget and lists were cut (see the table of contents). */
  readonly compact: boolean;
}

/** The view the templates are filled with: the email's view and the per-recipient slot. */
export type SlottedView = EmailView & { readonly unsubscribeUrl: string };

/** renderDigestHtml(view)'s weight: its bytes as filled with budget-sized URLs. */
const measureHtml = createDigestHtmlMeasure(budgetWeight);

/** Every string made inert (sanitize.ts); the base-URL slot of the stored links survives. */
const sanitize = <T>(value: T): T => sanitizeView(value, BASE_URL_SLOT);

/** Where the HTML lists `articles` (template sections outside any other): each remembers its items. */
const ARTICLE_SECTIONS = DIGEST_HTML_SECTIONS["articles"] ?? [];
/** Articles prepared at a time while looking for where they stop fitting. */
const STEP = 16;

/**
 * The week's articles, prepared and sanitized on demand, in order, and weighed as they are: the
 * first n can only fit if their weights in the articles list add up to the budget at most (the
 * rest of the email weighs something too, never less than nothing).
 */
function lazyArticles(summary: DigestSummary, links: DigestLinks, memo: MeasureMemo) {
  const refs = summary.articles;
  const texts: ArticleText[] = [];
  const items: ArticleItem[] = [];
  /** prefix[i]: at least what items 0 … i-1 add to the HTML of any view listing them. */
  const prefix = [0];
  let formatDay: ((iso: string) => string) | undefined;
  const text = (i: number) => (texts[i] ??= articleText(refs[i]!, links));
  const prepare = (n: number) => {
    formatDay ??= dayOf(summary.timeZone);
    for (let i = items.length; i < n; i++)
      items.push(sanitize(articleItem(refs[i]!, text(i), formatDay)));
  };
  /** Extends prefix to the first n items (prepared). */
  const weighUpTo = (n: number) => {
    const from = prefix.length - 1;
    if (n <= from) return;
    // Measured in a view of their own, remembered in `memo` for the views of the search. An item
    // whose weight depends on more than itself is not remembered, and counts as nothing here.
    const batch = items.slice(from, n);
    if (ARTICLE_SECTIONS.length > 0) measureHtml({ articles: batch }, memo);
    let sum = prefix[from]!;
    for (const item of batch) {
      for (const k of ARTICLE_SECTIONS) sum += memo[k]?.get(item) ?? 0;
      prefix.push(sum);
    }
  };
  return {
    /**
     * How many articles can possibly fit: their text alone takes at least one byte per UTF-16
     * unit, so rendering more than this is pointless. Spares preparing a huge week in full.
     */
    bound(): number {
      let bytes = 0;
      let n = 0;
      for (; n < refs.length; n++) {
        const a = text(n);
        bytes += a.title.length + a.url.length + a.source.length + a.summary.length;
        if (bytes > HTML_BUDGET_BYTES) break;
      }
      return n;
    },
    /**
     * False when the first `n` articles cannot fit, found without preparing them all (what
     * fewer of them weigh already exceeds the budget); true when they are prepared and may fit.
     */
    reach(n: number): boolean {
      // A few articles are simply prepared: weighing them apart would cost more than it spares.
      if (n <= STEP) {
        prepare(n);
        return true;
      }
      for (let m = prefix.length - 1; m < n; m = prefix.length - 1) {
        if (prefix[m]! > HTML_BUDGET_BYTES) return false;
        const next = Math.min(n, m + STEP);
        prepare(next);
        weighUpTo(next);
      }
      return prefix[n]! <= HTML_BUDGET_BYTES;
    },
    first(n: number): readonly ArticleItem[] {
      prepare(n);
      return items.slice(0, n);
    },
  };
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
 * The view renderDigestEmail fills: the whole week when it fits the budget, else compact mode,
 * with fewer articles until the email fits; if even none is not enough (only for absurd
 * summaries, given the field caps), fewer figures, pairs, then developments.
 */
export function digestEmailView(
  summary: DigestSummary,
  links: DigestLinks,
): { view: SlottedView; compact: boolean } {
  const memo: MeasureMemo = [];
  const articles = lazyArticles(summary, links, memo);
  const parts: EmailParts = {
    ...sanitize(prepareEmailFrame(summary, links)),
    articleCount: summary.articles.length,
    articles: articles.first,
  };
  // The parts are sanitized once; composeParts sanitizes only the strings it makes. The slot
  // goes in after sanitizing: its control characters must survive.
  const view = (limits: Limits, compact: boolean): SlottedView => ({
    ...composeParts(parts, limits, compact, sanitize),
    unsubscribeUrl: UNSUBSCRIBE_SLOT,
  });
  /** Whether the view with `limits`, its slots filled with budget-sized URLs, is within the budget. */
  const fits = (limits: Limits, compact: boolean) =>
    articles.reach(limits.articles) &&
    measureHtml(view(limits, compact), memo) <= HTML_BUDGET_BYTES;

  const all: Limits = {
    developments: parts.developments.length,
    pairs: parts.pairs.length,
    figures: parts.figures.length,
    articles: parts.articleCount,
  };
  const bound = articles.bound();
  if (bound === all.articles && fits(all, false)) return { view: view(all, false), compact: false };
  const limits: Limits = { ...all, articles: Math.min(all.articles, bound) };
  for (const key of ["articles", "figures", "pairs", "developments"] as const) {
    const n = largestFitting(limits[key], (k) => fits({ ...limits, [key]: k }, true));
    if (n >= 0) return { view: view({ ...limits, [key]: n }, true), compact: true };
    limits[key] = 0;
  }
  throw new Error(
    `digest email: the template with no list items exceeds ${HTML_BUDGET_BYTES} bytes; check siteTitle, contactLine and the configured URLs`,
  );
}

export function renderDigestEmail(summary: DigestSummary, links: DigestLinks): RenderedDigestEmail {
  const { view, compact } = digestEmailView(summary, links);
  return { html: renderDigestHtml(view), text: renderDigestText(view), compact };
}
