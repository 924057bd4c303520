/**
 * The language analysis of an article's body, made once at publish time (scripts/analysis/, in
 * Node, with real language tools) and stored with the article in D1
 * (migrations/0011_article_analysis.sql). The Worker and the cron only read it: they do no
 * language work, and the bundle carries none of those tools.
 */

/** A body sentence that stands alone as a whole, ready to be a summary item. */
export interface AnalysedSentence {
  /** The sentence as an item says it: dates made absolute, people named in full. */
  readonly text: string;
  /** The sentence as the article has it; absent when it is `text` (nothing was rewritten). */
  readonly original?: string;
  /** Each rewrite applied to `original` to make `text`, e.g. `"on Friday" → "on 18 October 2024"`. */
  readonly rewrites: readonly string[];
  /** Why it was taken, for the reviewer. */
  readonly reason: string;
}

export interface ArticleAnalysis {
  /** The analysis version that made it: a new version re-analyses every article on publish. */
  readonly version: number;
  /** The body's candidate sentences, in the article's order. */
  readonly candidates: readonly AnalysedSentence[];
}
