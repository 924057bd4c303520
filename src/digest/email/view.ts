/**
 * The digest email's Mustache view: what templates/digest.mjml and templates/digest.txt show,
 * built from a DigestSummary in two steps. The per-item work is done once (links, dates,
 * clipping every field to a cap): `prepareEmailFrame` for everything but the articles, which
 * the email prepares one at a time (`articleText`, `articleItem`) and only as far as its byte
 * budget can reach, and `prepareEmail` for all of it at once (the web version). `composeParts`
 * then picks how many items of each list to show, which the byte-budget search in render.ts
 * calls repeatedly.
 */
import { dateFormatter, weekLabel, weekSpan } from "../../lib/time.ts";
import { figureAttribution, rivalGroupStarts } from "../summary/key-figures.ts";
import { leadLine } from "../summary/lead.ts";
import type { ArticleRef, DigestSummary } from "../summary/model.ts";
import { pairCount, pairNames } from "../summary/pairs.ts";
import type { DigestLinks } from "./links.ts";
import { clip } from "./sanitize.ts";
import type {
  ArticleItem,
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

/** The day of an ISO instant as "Tue, 22 Oct 2024" in `timeZone`; "" when it does not parse. */
export function dayOf(timeZone: string): (iso: string) => string {
  // Dates as the reader of this week's digest counts days: in the zone the week was cut in.
  const day = dayFormatter(timeZone);
  return (iso: string) => {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? "" : day.format(t);
  };
}

/** An article's clipped text and link: what the byte-budget bound of render.ts counts. */
export interface ArticleText {
  readonly title: string;
  readonly url: string;
  readonly source: string;
  readonly summary: string;
}

export function articleText(a: ArticleRef, links: DigestLinks): ArticleText {
  return {
    title: clip(a.title, CAPS.title),
    url: links.articleUrl(a.slug),
    source: clip(a.source, CAPS.source),
    summary: clip(a.summary, CAPS.summary),
  };
}

/** The rest of an article's item, from its text (articleText) and the week's dayOf. */
export function articleItem(
  a: ArticleRef,
  text: ArticleText,
  formatDay: (iso: string) => string,
): ArticleItem {
  const day = formatDay(a.published);
  return {
    title: text.title,
    url: text.url,
    source: text.source,
    date: day && a.dateApproximate ? `${day} (approximate date)` : day,
    summary: text.summary,
    editorNote: a.editorNote ? clip(a.editorNote, CAPS.note) : false,
    // The label is the source, clipped alike (clip is deterministic).
    original: a.sourceUrl ? { label: text.source, url: a.sourceUrl } : false,
  };
}

/**
 * Everything but the articles, which the email prepares one at a time and only as far as it
 * can show them (render.ts), and prepareEmail all at once.
 */
export function prepareEmailFrame(
  summary: DigestSummary,
  links: DigestLinks,
): Omit<PreparedEmail, "articles"> {
  const url = (slug: string) => links.articleUrl(slug);
  const introduced = new Set<string>();
  const developments = summary.developments.map((d, i): DevelopmentItem => {
    let story: StoryLabel | false = false;
    // A story is introduced where a run of its items starts: its new items, and again before
    // its items that earlier weeks reported (which come after all the new ones), with the
    // earlier weeks listed the first time only.
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
      // The editor's preheader, when the week has one, is the inbox preview instead of the lead.
      preheader: clip(summary.issue?.preheader ?? leadLine(summary), CAPS.summary),
      intro: introView(summary),
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
  };
}

/** The editor's introduction as the email shows it: text runs, each linked or not. */
function introView(summary: DigestSummary): EmailView["intro"] {
  const issue = summary.issue;
  if (issue === undefined) return false;
  return {
    subject: clip(issue.subject, CAPS.title),
    blocks: issue.introBlocks.map((b) => ({
      runs: b.runs.map((r, i) => ({
        // Every string in the view is trimmed (sanitize.ts): the space between runs is a flag.
        spaced: i > 0 && (/^\s/.test(r.text) || /\s$/.test(b.runs[i - 1]!.text)),
        text: r.text.trim(),
        link: r.url === null ? false : { url: r.url },
      })),
    })),
  };
}

export function prepareEmail(summary: DigestSummary, links: DigestLinks): PreparedEmail {
  const formatDay = dayOf(summary.timeZone);
  return {
    ...prepareEmailFrame(summary, links),
    articles: summary.articles.map((a) => articleItem(a, articleText(a, links), formatDay)),
  };
}

/**
 * A week's items as the byte-budget search sees them: the articles as the first `n` of
 * `articleCount`, so that only the ones it tries need preparing.
 */
export interface EmailParts extends Omit<PreparedEmail, "articles"> {
  readonly articleCount: number;
  readonly articles: (n: number) => readonly ArticleItem[];
}

/**
 * The view showing the first `limits` items of each list; compact adds the table of contents.
 * `text` is applied to the strings made here (the table of contents and the "N more" labels),
 * and only to them: render.ts passes its sanitizer, having sanitized the parts themselves once.
 */
export function composeParts(
  parts: EmailParts,
  limits: Limits,
  compact: boolean,
  text: (s: string) => string,
): EmailView {
  const { developments, pairs, figures, articleCount } = parts;
  const shown = {
    developments: Math.min(limits.developments, developments.length),
    pairs: Math.min(limits.pairs, pairs.length),
    figures: Math.min(limits.figures, figures.length),
    articles: Math.min(limits.articles, articleCount),
  };
  const count = (name: string, n: number, total: number) =>
    total === 0 ? [] : [n === total ? `${name} (${total})` : `${name} (${n} of ${total})`];
  const toc = [
    ...count("Key developments", shown.developments, developments.length),
    ...count("Who was active", shown.pairs, pairs.length),
    ...count("Key figures", shown.figures, figures.length),
    shown.articles === articleCount
      ? `Articles (${articleCount})`
      : `Articles: top ${shown.articles} of ${articleCount}`,
  ].join(" · ");
  const section = <T>(items: readonly T[], n: number, what: [string, string]): Section<T> => {
    if (items.length === 0) return false;
    const rest = items.length - n;
    return {
      items: items.slice(0, n),
      more: rest > 0 ? { label: text(`${plural(rest, ...what)} in the web version`) } : false,
    };
  };
  const rest = articleCount - shown.articles;
  return {
    ...parts.frame,
    compact,
    toc: text(compact ? toc : ""),
    developments: section(developments, shown.developments, [
      "more key development",
      "more key developments",
    ]),
    pairs: section(pairs, shown.pairs, ["more pair of actors", "more pairs of actors"]),
    figures: section(figures, shown.figures, ["more key figure", "more key figures"]),
    articles: parts.articles(shown.articles),
    moreArticles:
      rest > 0
        ? { label: text(`${plural(rest, "more article", "more articles")} in the web version`) }
        : false,
  };
}
