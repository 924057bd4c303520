/**
 * The weekly "axis developments" digest, as data. Computed by a Summarizer from one ISO week's
 * articles; rendered to the email (HTML and text), the web page and the digest feeds; stored
 * in D1 as JSON. Every sentence in it can be traced to the article it came from.
 */

import type { WeekKey } from "../../lib/time.ts";

export type { WeekKey };

export interface ArticleRef {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly source: string;
  /** RFC 3339, as in the article. */
  readonly published: string;
  readonly summary: string;
}

/** One key development: a sentence taken verbatim from an article. */
export interface Development {
  readonly text: string;
  /** The article it came from (slug, for links; id, for tracing). */
  readonly articleSlug: string;
  readonly articleId: string;
  readonly articleTitle: string;
  readonly source: string;
}

/** Two watch-list actors named together in `articles` of the week's articles. */
export interface ActorPair {
  /** Display names, e.g. ["Russia", "North Korea"]. */
  readonly names: readonly [string, string];
  /** Actor ids, e.g. ["russia", "north-korea"]. */
  readonly ids: readonly [string, string];
  readonly articles: number;
}

/** A number with its context, e.g. "1,500 North Korean special forces". */
export interface KeyFigure {
  /** The figure with the words that say what it counts, verbatim from the article. */
  readonly text: string;
  readonly articleSlug: string;
  readonly articleId: string;
}

export interface DigestSummary {
  readonly week: WeekKey;
  /** IANA zone the week was cut in, e.g. `UTC`, `Asia/Seoul`. */
  readonly timeZone: string;
  /** Monday 00:00 in the zone, and the next Monday 00:00, as UTC instants (RFC 3339). */
  readonly start: string;
  readonly end: string;
  readonly developments: readonly Development[];
  readonly pairs: readonly ActorPair[];
  readonly figures: readonly KeyFigure[];
  /** The week's articles, newest first. */
  readonly articles: readonly ArticleRef[];
  /** Words in developments + pairs + figures (the summary section); at most SUMMARY_WORD_LIMIT. */
  readonly summaryWords: number;
}

export const SUMMARY_WORD_LIMIT = 250;
