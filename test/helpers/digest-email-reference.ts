/**
 * The digest email as it was rendered before the templates were compiled to functions (commit
 * 635ad80): Mustache.render on the template strings, the whole view sanitized per attempt, and
 * the byte-budget search rendering every attempt in full. Kept verbatim (imports aside) as the
 * reference the compiled renderers and the measured search must match byte for byte
 * (test/workers/email-equivalence.test.ts and bench/lib/digest-render.ts' check). Not used by
 * the Worker.
 */
import Mustache from "mustache";
import { DIGEST_HTML_TEMPLATE, DIGEST_TEXT_TEMPLATE } from "../../src/generated/email-templates.ts";
import type { DigestLinks } from "../../src/digest/email/links.ts";
import { BASE_URL_SLOT, UNSUBSCRIBE_SLOT } from "../../src/digest/email/slots.ts";
import type {
  DevelopmentItem,
  EmailView,
  Limits,
  PreparedEmail,
  Section,
  StoryLabel,
} from "../../src/digest/email/view-model.ts";
import { figureAttribution, rivalGroupStarts } from "../../src/digest/summary/key-figures.ts";
import { leadLine } from "../../src/digest/summary/lead.ts";
import type { DigestSummary } from "../../src/digest/summary/model.ts";
import { pairCount, pairNames } from "../../src/digest/summary/pairs.ts";
import { dateFormatter, weekLabel, weekSpan } from "../../src/lib/time.ts";
import { stripUnsafeChars } from "../../src/model/safe-text.ts";

// ---- src/digest/email/sanitize.ts ----

const C1_CONTROLS = /[\u0080-\u009F]/g;
const PLAIN_ASCII = /^(?! )(?:[\x21-\x7E]| (?! ))*$/;

/**
 * One line of inert text: lone surrogates replaced (they cannot be encoded as UTF-8), C0/C1
 * controls other than whitespace, DEL, U+FFFE/FFFF and bidi embeddings, overrides and isolates
 * (U+202A–202E, U+2066–2069; https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters)
 * removed, and every run of whitespace, line breaks included, made one space.
 */
function cleanText(text: string): string {
  // Fast path for the common case, printable ASCII already single-spaced: nothing to change.
  if (PLAIN_ASCII.test(text)) return text;
  // NEL (U+0085) is a line break to some clients: whitespace, like the others.
  return stripUnsafeChars(text.toWellFormed())
    .replace(/[\s\u0085]+/g, " ")
    .replace(C1_CONTROLS, "")
    .trim();
}

/**
 * cleanText, then at most `max` code points, ending in "…" when cut (at a word boundary when
 * one is near). Code points, not graphemes: a grapheme can hold any number of combining marks,
 * and the cap exists to bound bytes.
 */
function clip(text: string, max: number): string {
  const clean = cleanText(text);
  if (clean.length <= max) return clean; // UTF-16 length ≥ code points: no cut needed.
  const points = Array.from(clean);
  if (points.length <= max) return clean;
  let cut = points.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  if (space > cut.length * 0.8) cut = cut.slice(0, space);
  return `${cut.replace(/[\s.,;:–—-]+$/u, "")}…`;
}

/**
 * A copy of `view` with cleanText applied to every string in it, however deep. `keep` (the
 * base-URL slot of a stored digest's links) survives: it is split out, not cleaned. Content can
 * never carry it, since its control characters were stripped long before.
 */
function sanitizeView<T>(view: T, keep?: string): T {
  const clean =
    keep === undefined ? cleanText : (s: string) => s.split(keep).map(cleanText).join(keep);
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return clean(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    // Mustache calls functions in a view as lambdas; a view never needs one.
    return typeof value === "function" ? undefined : value;
  };
  return walk(view) as T;
}

// ---- src/digest/email/view.ts ----

const CAPS = {
  title: 300,
  summary: 600,
  development: 400,
  figure: 200,
  source: 120,
  actor: 60,
  claimant: 160,
  note: 600,
  siteTitle: 100,
  contactLine: 300,
} as const;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A day as "Tue, 22 Oct 2024" in the digest's zone; an unknown zone falls back to UTC. */
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  const options = { weekday: "short", day: "numeric", month: "short", year: "numeric" } as const;
  try {
    return dateFormatter("en-GB", { ...options, timeZone });
  } catch {
    return dateFormatter("en-GB", { ...options, timeZone: "UTC" });
  }
}

function prepareEmail(summary: DigestSummary, links: DigestLinks): PreparedEmail {
  // Dates as the reader of this week's digest counts days: in the zone the week was cut in.
  const day = dayFormatter(summary.timeZone);
  const formatDay = (iso: string) => {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? "" : day.format(t);
  };

  const url = (slug: string) => links.articleUrl(slug);
  const introduced = new Set<string>();
  const developments = summary.developments.map((d, i): DevelopmentItem => {
    let story: StoryLabel | false = false;
    if (d.story !== null && summary.developments[i - 1]?.story?.id !== d.story.id) {
      const first = !introduced.has(d.story.id);
      introduced.add(d.story.id);
      const earlier = d.story.earlierWeeks.map((w, i) => ({
        label: weekLabel(w) ?? w,
        url: links.weekUrl(w),
        sep: i === 0 ? "" : ", ",
      }));
      story = {
        title: clip(d.story.title, CAPS.title),
        url: links.storyUrl(d.story.id),
        earlier: first && earlier.length > 0 ? { links: earlier } : false,
      };
    }
    return {
      text: clip(d.text, CAPS.development),
      url: url(d.articleSlug),
      source: clip(d.source, CAPS.source),
      story,
      reportedIn:
        d.reportedIn === null
          ? false
          : {
              label: weekLabel(d.reportedIn) ?? clip(d.reportedIn, 20),
              url: links.weekUrl(d.reportedIn),
            },
    };
  });
  const rivals = rivalGroupStarts(summary.figures);
  return {
    frame: {
      siteTitle: clip(links.siteTitle, CAPS.siteTitle),
      siteUrl: links.siteUrl,
      logoUrl: links.logoUrl,
      webUrl: links.webUrl,
      archiveUrl: links.archiveUrl,
      contactLine: clip(links.contactLine, CAPS.contactLine),
      weekLabel: weekLabel(summary.week) ?? clip(summary.week, 20),
      weekRange: weekSpan(summary.start, summary.end, summary.timeZone),
      preheader: clip(leadLine(summary), CAPS.summary),
      // The reference weeks are the summarizer's: none has an editor's issue.
      intro: false,
    },
    developments,
    // The two halves of pairLine's "Russia – North Korea: together in 2 items", names clipped;
    // a one-article week lists its actors instead, without counts.
    pairs:
      summary.pairs.length > 0
        ? summary.pairs.map((p) => ({
            names: pairNames([clip(p.names[0], CAPS.actor), clip(p.names[1], CAPS.actor)]),
            count: pairCount(p.mentions),
          }))
        : summary.actors.length > 0
          ? [{ names: summary.actors.map((a) => clip(a, CAPS.actor)).join(", "), count: "" }]
          : [],
    figures: summary.figures.map((f, i) => ({
      text: clip(f.text, CAPS.figure),
      url: url(f.articleSlug),
      attribution: clip(figureAttribution(f), CAPS.claimant),
      group: rivals[i] ? "Different parties give different figures:" : false,
    })),
    articles: summary.articles.map((a) => {
      const day = formatDay(a.published);
      return {
        title: clip(a.title, CAPS.title),
        url: url(a.slug),
        source: clip(a.source, CAPS.source),
        date: day && a.dateApproximate ? `${day} (approximate date)` : day,
        summary: clip(a.summary, CAPS.summary),
        editorNote: a.editorNote ? clip(a.editorNote, CAPS.note) : false,
        original: a.sourceUrl ? { label: clip(a.source, CAPS.source), url: a.sourceUrl } : false,
      };
    }),
  };
}

function allOf(prepared: PreparedEmail): Limits {
  const { developments, pairs, figures, articles } = prepared;
  return {
    developments: developments.length,
    pairs: pairs.length,
    figures: figures.length,
    articles: articles.length,
  };
}

function section<T>(items: readonly T[], shown: number, what: [string, string]): Section<T> {
  if (items.length === 0) return false;
  const rest = items.length - shown;
  return {
    items: items.slice(0, shown),
    more: rest > 0 ? { label: `${plural(rest, ...what)} in the web version` } : false,
  };
}

/** The view showing the first `limits` items of each list; compact adds the table of contents. */
function composeView(prepared: PreparedEmail, limits: Limits, compact: boolean): EmailView {
  const { developments, pairs, figures, articles } = prepared;
  const shown = {
    developments: Math.min(limits.developments, developments.length),
    pairs: Math.min(limits.pairs, pairs.length),
    figures: Math.min(limits.figures, figures.length),
    articles: Math.min(limits.articles, articles.length),
  };
  const count = (name: string, n: number, total: number) =>
    total === 0 ? [] : [n === total ? `${name} (${total})` : `${name} (${n} of ${total})`];
  const toc = [
    ...count("Key developments", shown.developments, developments.length),
    ...count("Who was active", shown.pairs, pairs.length),
    ...count("Key figures", shown.figures, figures.length),
    shown.articles === articles.length
      ? `Articles (${articles.length})`
      : `Articles: top ${shown.articles} of ${articles.length}`,
  ].join(" · ");
  const rest = articles.length - shown.articles;
  return {
    ...prepared.frame,
    compact,
    toc: compact ? toc : "",
    developments: section(developments, shown.developments, [
      "more key development",
      "more key developments",
    ]),
    pairs: section(pairs, shown.pairs, ["more pair of actors", "more pairs of actors"]),
    figures: section(figures, shown.figures, ["more key figure", "more key figures"]),
    articles: articles.slice(0, shown.articles),
    moreArticles:
      rest > 0
        ? { label: `${plural(rest, "more article", "more articles")} in the web version` }
        : false,
  };
}

// ---- src/digest/email/render.ts ----

const HTML_BUDGET_BYTES = 100_000;
const BUDGET_URL = `https://${"u".repeat(292)}`; // 300 characters
const BUDGET_BASE = `https://${"b".repeat(92)}`; // a 100-character BASE_URL

interface RenderedDigestEmail {
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

export function referenceRenderDigestEmail(
  summary: DigestSummary,
  links: DigestLinks,
): RenderedDigestEmail {
  const prepared = prepareEmail(summary, links);
  if (articlesBound(prepared) === prepared.articles.length) {
    const view = finish(composeView(prepared, allOf(prepared), false));
    const html = renderHtml(view);
    if (fits(html)) return { html, text: renderText(view), compact: false };
  }
  const { view, html } = compactView(prepared);
  return { html, text: renderText(view), compact: true };
}

export {
  cleanText as referenceCleanText,
  prepareEmail as referencePrepareEmail,
  sanitizeView as referenceSanitizeView,
};
