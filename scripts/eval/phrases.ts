/**
 * Does a summary item say what a reference fact says? A fact is a list of groups of alternative
 * phrases (reference.ts); an item covers it when it holds a phrase of every group. Phrases match
 * as whole words ("air" never matches "chair"), case-insensitively, with numbers, quotes, dashes
 * and spacing normalised, and with negation respected: "could not confirm" does not cover
 * "could confirm", nor "could confirm" cover "could not confirm".
 */

/** Text as phrases are compared: lowercase, one kind of quote and space, no digit grouping. */
export function normalise(text: string): string {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u2018\u2019\u02BC\u2032]/g, "'")
      .replace(/[\u201C\u201D\u201E\u00AB\u00BB\u2033]/g, '"')
      // 1,500 and 1 500 are 1500; "8, 2024" (a date) keeps its comma: no digit follows the space.
      .replace(/(\d)[,\u00A0\u202F](?=\d{3}(?!\d))/g, "$1")
      // Hyphens and dashes read as spaces: "Kim Jong-un" is "Kim Jong Un", "11–16" is "11 16".
      .replace(/[-\u2010-\u2015\u2212]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** Words that turn what follows them in a clause into its negation. */
const NEGATOR =
  /(?<![\p{L}\p{N}])(?:not|no|never|neither|nor|cannot|without|unable|failed|refused|denied|denies|deny|[\p{L}]+n't|yet to)(?![\p{L}\p{N}])/u;
/** Where a clause ends, looking back from a phrase: negation before it does not reach the phrase. */
const CLAUSE_BREAK =
  /[.;:!?,()"]|(?<![\p{L}])(?:but|that|which|who|while|although|though|whereas|because|and then)(?![\p{L}])/gu;
/** How many words before a phrase a negator may stand and still negate it. */
const NEGATION_REACH = 6;

export function isNegative(phrase: string): boolean {
  return NEGATOR.test(normalise(phrase));
}

/** Names and figures ("NATO", "1,500") are what is talked about, never themselves negated. */
function isNameOrFigure(phrase: string): boolean {
  return /^[\p{Lu}\p{N}"']/u.test(phrase.trim());
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function phrasePattern(phrase: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escape(normalise(phrase))}(?![\\p{L}\\p{N}])`, "gu");
}

/** Whether a negator stands in the clause just before `index` of normalised `text`. */
function negatedAt(text: string, index: number): boolean {
  const before = text.slice(0, index);
  let clauseStart = 0;
  for (const m of before.matchAll(CLAUSE_BREAK)) clauseStart = m.index + m[0].length;
  const words = before.slice(clauseStart).split(" ").filter(Boolean).slice(-NEGATION_REACH);
  return NEGATOR.test(words.join(" "));
}

export interface PhraseOptions {
  /** Match literally, without looking for a negator before the phrase. */
  readonly ignoreNegation?: boolean;
}

/**
 * Whether `item` says `phrase`: as whole words and, for a phrase that is not itself negative,
 * not negated in its clause ("NATO could not confirm" does not say "confirm").
 */
export function saysPhrase(item: string, phrase: string, options: PhraseOptions = {}): boolean {
  const text = normalise(item);
  const literal = options.ignoreNegation === true || isNegative(phrase) || isNameOrFigure(phrase);
  for (const m of text.matchAll(phrasePattern(phrase))) {
    if (literal || !negatedAt(text, m.index)) return true;
  }
  return false;
}

/** A reference fact's matching rule: every group needs one of its phrases. */
export type PhraseGroups = readonly (readonly string[])[];

/**
 * Whether one item covers the fact. A fact whose own wording is negative ("did not violate …
 * airspace") is matched literally: its negative phrase carries the negation, and the other
 * phrases stand inside that negation. A positive fact's phrases must not be negated.
 */
export function coversFact(item: string, match: PhraseGroups): boolean {
  const negativeFact = match.some((group) => group.some(isNegative));
  return match.every((group) =>
    group.some((phrase) => saysPhrase(item, phrase, { ignoreNegation: negativeFact })),
  );
}
