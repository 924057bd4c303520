/**
 * The digest email's Mustache view: what templates/digest.mjml and templates/digest.txt show,
 * built from a DigestSummary in two steps. `prepareEmail` does the per-item work once (links,
 * dates, clipping every field to a cap); `composeView` picks how many items of each list to
 * show, which the byte-budget search in render.ts calls repeatedly.
 */
import { dateFormatter, weekLabel, weekSpan } from "../../lib/time.ts";
import { figureAttribution } from "../summary/key-figures.ts";
import type { DigestSummary } from "../summary/model.ts";
import { pairCount, pairNames } from "../summary/pairs.ts";
import type { DigestLinks } from "./links.ts";
import { clip } from "./sanitize.ts";
import type {
  DevelopmentItem,
  EmailView,
  Limits,
  PreparedEmail,
  Section,
  StoryLabel,
} from "./view-model.ts";

export type * from "./view-model.ts";

/** Field caps in code points: they bound an item's bytes (≤ 6 per code point once escaped). */
export const CAPS = {
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

export function prepareEmail(summary: DigestSummary, links: DigestLinks): PreparedEmail {
  // Dates as the reader of this week's digest counts days: in the zone the week was cut in.
  const day = dayFormatter(summary.timeZone);
  const formatDay = (iso: string) => {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? "" : day.format(t);
  };

  const url = (slug: string) => links.articleUrl(slug);
  const introduced = new Set<string>();
  const developments = summary.developments.map((d): DevelopmentItem => {
    let story: StoryLabel | false = false;
    if (d.story !== null && !introduced.has(d.story.id)) {
      introduced.add(d.story.id);
      const earlier = d.story.earlierWeeks.map((w, i) => ({
        label: weekLabel(w) ?? w,
        url: links.weekUrl(w),
        sep: i === 0 ? "" : ", ",
      }));
      story = {
        title: clip(d.story.title, CAPS.title),
        url: links.storyUrl(d.story.id),
        earlier: earlier.length > 0 ? { links: earlier } : false,
      };
    }
    return {
      text: clip(d.text, CAPS.development),
      url: url(d.articleSlug),
      source: clip(d.source, CAPS.source),
      story,
    };
  });
  const subjects = new Map<string, number>();
  for (const f of summary.figures)
    if (f.subject !== null) subjects.set(f.subject, (subjects.get(f.subject) ?? 0) + 1);
  const grouped = new Set<string>();
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
    figures: summary.figures.map((f) => {
      const several =
        f.subject !== null && (subjects.get(f.subject) ?? 0) > 1 && !grouped.has(f.subject);
      if (several) grouped.add(f.subject!);
      return {
        text: clip(f.text, CAPS.figure),
        url: url(f.articleSlug),
        attribution: clip(figureAttribution(f), CAPS.claimant),
        group: several ? "Different parties give different figures:" : false,
      };
    }),
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
