/**
 * The sentences of one article that may become summary items, each standing alone. A brief's
 * key points are used as written (the content build has checked them). For an article without
 * key points, the candidates are those the publish-time analysis stored with it
 * (src/model/analysis.ts, made in Node by scripts/analysis/): page chrome left out, relative
 * dates resolved against the article's date, people named in full, each rewrite recorded. The
 * Worker does no language work of its own. An article published before the analysis existed
 * has none stored, and gives no candidates until the next publish analyses it: nothing that
 * was not checked reaches a digest.
 */
import type { Article } from "../../model/article.ts";

export interface CandidateSentence {
  readonly text: string;
  /** A key point the editor wrote, or a sentence from the body. */
  readonly kind: "key-point" | "body";
  /** Body sentences: the text as the article has it, before rewrites (dates resolved…). */
  readonly original: string | null;
  /** Body sentences: each rewrite applied to `original` to make `text`. */
  readonly rewrites: readonly string[];
  /** Body sentences: why the analysis took it, for the reviewer; null for key points. */
  readonly reason: string | null;
  /** Position in the article: earlier sentences lead. */
  readonly index: number;
  readonly total: number;
}

/** The article's candidate sentences, in order. */
export function candidateSentences(article: Article): CandidateSentence[] {
  if (article.keyPoints.length > 0) {
    return article.keyPoints.map((text, index) => ({
      text,
      kind: "key-point",
      original: null,
      rewrites: [],
      reason: null,
      index,
      total: article.keyPoints.length,
    }));
  }
  const stored = article.analysis?.candidates ?? [];
  // Publish made these from text the content build had stripped of unsafe characters; what
  // the summary keeps is stripped again where it is chosen (summarizer.ts), not all of them.
  return stored.map((s, index) => ({
    text: s.text,
    kind: "body",
    original: s.original ?? s.text,
    rewrites: s.rewrites,
    reason: s.reason,
    index,
    total: stored.length,
  }));
}
