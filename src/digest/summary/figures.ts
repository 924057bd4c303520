/**
 * Key figures: numbers with the words that say what they count ("1,500 North Korean special
 * forces", "1.2 million troops"), taken verbatim from a sentence. Dates, years, ordinals and
 * durations are not figures.
 */

const MONTHS =
  "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";
const WORD_NUMBERS =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|a hundred|several";
const NUMBER = new RegExp(
  String.raw`(?<![\p{L}\p{N},.\-–])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:${WORD_NUMBERS}) (?=thousand|million|billion))(?:\s?(?:thousand|million|billion|%|percent|per cent))?`,
  "giu",
);
/** Words that end the context of a figure: function words and verbs. */
const STOP = new Set(
  "a an the to in on at of from by with for and or but that which who whom whose were was are is be been being had has have will would could should may might can did do does not as than then into onto over under between among across after before during since until while per via its their his her our this these those it they he she we said says say reported according".split(
    " ",
  ),
);
/** A figure of time is not a key figure ("100 years ago"). */
const DURATION =
  /^(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|times?|am|pm|a\.m\.|p\.m\.)$/i;

/** A counted noun in the plural, or one that is its own plural. */
const PLURAL =
  /^(?:[\p{L}-]*[^s'’]s|people|personnel|aircraft|staff|police|military|men|women|children|equipment|ammunition|artillery|infantry|livestock|cattle|crew)$/iu;

export interface FoundFigure {
  readonly text: string;
  /** Digits only, for spotting the same figure twice ("1,500" and "1500"). */
  readonly value: string;
}

export function findFigures(sentence: string): FoundFigure[] {
  const found: FoundFigure[] = [];
  for (const m of sentence.matchAll(NUMBER)) {
    const start = m.index!;
    const number = m[0];
    const before = sentence.slice(Math.max(0, start - 12), start);
    const after = sentence.slice(start + number.length);
    // Dates: "July 19", "Dec. 11–16", "the 9th", "1950-53", years on their own.
    if (new RegExp(`(?:${MONTHS})\\.?\\s+$`, "i").test(before)) continue;
    if (/^(?:st|nd|rd|th)\b/i.test(after) || /^[–-]\d/.test(after)) continue;
    if (/^\d{4}$/.test(number) && +number >= 1800 && +number <= 2100) continue;
    if (/^\s*(?:[,:]|$)/.test(after) && !/[%]|percent|million|billion|thousand/i.test(number))
      continue;
    const words: string[] = [];
    const wordRe = /^\s+([\p{L}][\p{L}'’-]*)/u;
    let rest = after;
    while (words.length < 5) {
      const w = wordRe.exec(rest);
      if (!w) break;
      const word = w[1]!;
      if (STOP.has(word.toLowerCase()) || new RegExp(`^(?:${MONTHS})$`, "i").test(word)) break;
      // "12,000 troops formed into…", "10,000 troops preparing to…": a participle after the
      // noun starts the predicate.
      if (words.length > 0 && /^[a-z]+(?:ed|ing)$/.test(word)) break;
      words.push(word);
      rest = rest.slice(w[0].length);
    }
    if (words.length === 0 && !/%|percent/i.test(number)) continue;
    if (words[0] !== undefined && DURATION.test(words[0])) continue;
    // More than one of something is a plural: "3 official" is a piece of a phrase ("3 official
    // visits" cut short, a rank, a list number), not a count a reader can use.
    if (!/%|percent|^(?:1|one)$/i.test(number) && !words.some((w) => PLURAL.test(w))) continue;
    const text = sentence.slice(start, start + number.length + (after.length - rest.length)).trim();
    found.push({ text, value: number.replace(/[^\d.]/g, "") || number.toLowerCase() });
  }
  return found;
}
