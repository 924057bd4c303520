/**
 * The sentences of one article that may become summary items, each standing alone. A brief's
 * key points are used as written (the content build has checked them). For an article without
 * key points, sentences are taken from its body, and only those a reader can trust out of
 * context: relative dates resolved against the article's date, a sentence that leans on the one
 * before joined to it (or left out), and rumours, speculation, teasers and rhetorical questions
 * never taken. Attributed statements of officials and agencies are news, quotes included.
 */
import type { Article } from "../../model/article.ts";
import { stripUnsafeChars } from "../../model/safe-text.ts";
import { danglingOpening, relativeDate, wordCount } from "../../model/standalone.ts";
import { resolveRelativeDates } from "./dates.ts";
import { htmlToBlocks, splitSentences } from "./text.ts";

export interface CandidateSentence {
  readonly text: string;
  /** A key point the editor wrote, or a sentence from the body. */
  readonly kind: "key-point" | "body";
  /** Body sentences: the text as the article has it, before rewrites (dates resolved…). */
  readonly original: string | null;
  /** Body sentences: each rewrite applied to `original` to make `text`. */
  readonly rewrites: readonly string[];
  /** Position in the article: earlier sentences lead. */
  readonly index: number;
  readonly total: number;
}

/** Someone named says it: a statement is news even when it is hedged or quoted. */
const ATTRIBUTION =
  /\b(?:said|says|told|stated|added|announced|reported|reports|according to|confirmed|denied|warned|called|described|claimed|estimated)\b/i;
/**
 * Speculation and opinion when nobody is named as saying it. Case-sensitive on purpose: "May"
 * the month is not the modal "may".
 */
const HEDGE =
  /\b(?:could|would|might|may|perhaps|likely|probably|possibly|seems?|appears? to|suggests?|arguably|presumably|feel|feels|believe|believes)\b/;
/** Never a development: rumours, teasers, the writer's speculation. */
const SPECULATION =
  /\b(?:rumou?rs?|rumou?red|it is assumed|speculat\w*|tantali[sz]\w*|intriguing|remains to be seen|troubling|what if|if anything)\b/i;
/** A reference inside the sentence to something only the sentence before explains. */
const LEANS_BACK =
  /\b(?:that|this|these|those|such) (?:declaration|priority|statement|announcement|remarks?|move|decision|plan|claim|report|development)\b|\beither\.$/i;
const MAX_JOINED_WORDS = 55;

function acceptable(text: string): boolean {
  if (/\?["”’')\]]*$/.test(text)) return false; // a rhetorical question
  if (SPECULATION.test(text)) return false;
  const attributed = ATTRIBUTION.test(text);
  if (!attributed && HEDGE.test(text)) return false;
  // A bare quotation: without who said it, it is no one's statement.
  if (/^["“‘']/.test(text) && !attributed) return false;
  return relativeDate(text) === null;
}

/** The article's candidate sentences, in order. */
export function candidateSentences(article: Article): CandidateSentence[] {
  if (article.keyPoints.length > 0) {
    return article.keyPoints.map((text, index) => ({
      text,
      kind: "key-point",
      original: null,
      rewrites: [],
      index,
      total: article.keyPoints.length,
    }));
  }
  const context = { published: article.published, approximate: article.dateApproximate };
  const out: { text: string; original: string }[] = [];
  const blocks = htmlToBlocks(article.html).filter(
    (b) => b.kind !== "caption" && b.kind !== "heading" && b.kind !== "quote",
  );
  for (const block of blocks) {
    let previous: string | null = null;
    let previousRaw: string | null = null;
    for (const raw of splitSentences(stripUnsafeChars(block.text))) {
      const sentence = resolveRelativeDates(raw, context);
      const leans = danglingOpening(sentence) !== null || LEANS_BACK.test(sentence);
      if (!leans) {
        if (acceptable(sentence)) out.push({ text: sentence, original: raw });
      } else if (
        previous !== null &&
        wordCount(previous) + wordCount(sentence) <= MAX_JOINED_WORDS
      ) {
        // It leans on the sentence before: the two go together, replacing the first, or neither.
        const joined = `${previous} ${sentence}`;
        if (acceptable(joined)) {
          if (out.at(-1)?.text === previous) out.pop();
          out.push({ text: joined, original: `${previousRaw ?? previous} ${raw}` });
        }
      }
      previous = leans ? null : sentence;
      previousRaw = leans ? null : raw;
    }
  }
  return out.map(({ text, original }, index) => ({
    text,
    kind: "body",
    original,
    rewrites: text === original ? [] : [`"${original}" → "${text}"`],
    index,
    total: out.length,
  }));
}
