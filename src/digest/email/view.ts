/**
 * The digest email's Mustache view: what templates/digest.mjml and templates/digest.txt show,
 * built from a DigestSummary in two steps. `prepareEmail` does the per-item work once (links,
 * dates, clipping every field to a cap); `composeView` picks how many items of each list to
 * show, which the byte-budget search in render.ts calls repeatedly.
 */
import { dateFormatter, weekLabel, weekSpan } from "../../lib/time.ts";
import type { DigestSummary } from "../summary/model.ts";
import { pairCount, pairNames } from "../summary/pairs.ts";
import type { DigestLinks } from "./links.ts";
import { clip } from "./sanitize.ts";

/** Field caps in code points: they bound an item's bytes (≤ 6 per code point once escaped). */
export const CAPS = {
  title: 300,
  summary: 600,
  development: 400,
  figure: 200,
  source: 120,
  actor: 60,
  siteTitle: 100,
  contactLine: 300,
} as const;

export interface DevelopmentItem {
  readonly text: string;
  readonly url: string;
  readonly source: string;
}
export interface PairItem {
  readonly names: string;
  readonly count: string;
}
export interface FigureItem {
  readonly text: string;
  readonly url: string;
}
export interface ArticleItem {
  readonly title: string;
  readonly url: string;
  readonly source: string;
  readonly date: string;
  readonly summary: string;
}

/** A "N more … in the web version" line, or false. */
export type More = { readonly label: string } | false;
export type Section<T> = { readonly items: readonly T[]; readonly more: More } | false;

export interface EmailView {
  readonly siteTitle: string;
  readonly siteUrl: string;
  readonly logoUrl: string;
  readonly webUrl: string;
  readonly archiveUrl: string;
  readonly contactLine: string;
  /** "Week 43, 2024" */
  readonly weekLabel: string;
  /** "21–27 October 2024", in the digest's time zone. */
  readonly weekRange: string;
  readonly preheader: string;
  readonly compact: boolean;
  /** Compact mode's table of contents: "Key developments (5) · … · Articles: top 20 of 200". */
  readonly toc: string;
  readonly developments: Section<DevelopmentItem>;
  readonly pairs: Section<PairItem>;
  readonly figures: Section<FigureItem>;
  readonly articles: readonly ArticleItem[];
  readonly moreArticles: More;
}

export interface PreparedEmail {
  readonly frame: Omit<
    EmailView,
    "compact" | "toc" | "developments" | "pairs" | "figures" | "articles" | "moreArticles"
  >;
  readonly developments: readonly DevelopmentItem[];
  readonly pairs: readonly PairItem[];
  readonly figures: readonly FigureItem[];
  readonly articles: readonly ArticleItem[];
}

/** How many items of each list to show. */
export type Limits = Record<"developments" | "pairs" | "figures" | "articles", number>;

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

export function prepareEmail(summary: DigestSummary, links: DigestLinks): PreparedEmail {
  // Dates as the reader of this week's digest counts days: in the zone the week was cut in.
  const day = dayFormatter(summary.timeZone);
  const formatDay = (iso: string) => {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? "" : day.format(t);
  };

  const url = (slug: string) => links.articleUrl(slug);
  const developments = summary.developments.map((d) => ({
    text: clip(d.text, CAPS.development),
    url: url(d.articleSlug),
    source: clip(d.source, CAPS.source),
  }));
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
      preheader:
        developments[0]?.text ??
        `${plural(summary.articles.length, "article", "articles")} this week`,
    },
    developments,
    // The two halves of pairLine's "Russia – North Korea: 2 articles", with the names clipped.
    pairs: summary.pairs.map((p) => ({
      names: pairNames([clip(p.names[0], CAPS.actor), clip(p.names[1], CAPS.actor)]),
      count: pairCount(p.articles),
    })),
    figures: summary.figures.map((f) => ({
      text: clip(f.text, CAPS.figure),
      url: url(f.articleSlug),
    })),
    articles: summary.articles.map((a) => ({
      title: clip(a.title, CAPS.title),
      url: url(a.slug),
      source: clip(a.source, CAPS.source),
      date: formatDay(a.published),
      summary: clip(a.summary, CAPS.summary),
    })),
  };
}

export function allOf(prepared: PreparedEmail): Limits {
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
export function composeView(prepared: PreparedEmail, limits: Limits, compact: boolean): EmailView {
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
