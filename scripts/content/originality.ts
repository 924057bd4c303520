/**
 * How much of a brief is its source's wording. The editorial rule (docs/editorial.md, "Adding an
 * article"): quotes at most 25 words each, in quotation marks; outside quotation marks no run
 * of more than 30 consecutive words shared with the source; under a quarter of the brief's
 * 8-word sequences found in the source.
 */
export const MAX_QUOTE_WORDS = 25;
export const MAX_SHARED_RUN = 30;
export const MAX_SHARED_8GRAMS = 0.25;

export interface Originality {
  /** The longest run of consecutive words, outside quotation marks, also in the source. */
  readonly longestRun: number;
  readonly longestRunText: string;
  /** Share of the brief's 8-word sequences that appear in the source (quotes included). */
  readonly shared8grams: number;
  /** Quotations longer than MAX_QUOTE_WORDS. */
  readonly longQuotes: readonly string[];
}

/** Words as the rule counts them: lowercase, curly apostrophes straightened. */
export function words(text: string): string[] {
  return text.replace(/[\u2018\u2019\u02BC]/g, "'").toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
}

const QUOTATION = /"[^"\n]*"|“[^”]*”/g;

function ngrams(list: readonly string[], n: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= list.length; i++) out.add(list.slice(i, i + n).join(" "));
  return out;
}

export function measureOriginality(brief: string, source: string): Originality {
  const sourceWords = words(source);
  const quotes = brief.match(QUOTATION) ?? [];
  const longQuotes = quotes.filter((q) => words(q).length > MAX_QUOTE_WORDS);
  // Runs are measured between quotations: a quote is the source's words on purpose.
  const segments = brief.split(QUOTATION).map(words);
  let longestRun = 0;
  let longestRunText = "";
  for (let n = 1; ; n++) {
    const sourceGrams = ngrams(sourceWords, n);
    const hit = segments.flatMap((s) => [...ngrams(s, n)]).find((g) => sourceGrams.has(g));
    if (hit === undefined) break;
    longestRun = n;
    longestRunText = hit;
  }
  const briefGrams = [...ngrams(words(brief), 8)];
  const source8 = ngrams(sourceWords, 8);
  const shared = briefGrams.filter((g) => source8.has(g)).length;
  return {
    longestRun,
    longestRunText,
    shared8grams: briefGrams.length === 0 ? 0 : shared / briefGrams.length,
    longQuotes,
  };
}
