/**
 * The editorial rules for a sentence that must stand alone (a key point, a summary item): a
 * reader who sees only it knows who did what, where and when. These checks find what breaks
 * that: an opening that points at something outside the sentence, and a date that only means
 * something beside the article's own date. The content build rejects key points that fail
 * them; the summarizer uses the same rules on sentences it extracts.
 */

/**
 * Openings that refer back to something the sentence does not contain: pronouns and
 * demonstratives ("This means…", "They…"), and connectives that continue an earlier sentence
 * ("However…", "Additional troops…").
 */
const DANGLING_OPENING = new RegExp(
  String.raw`^["“‘']?(` +
    [
      "This",
      "That",
      "These",
      "Those",
      "They",
      "Them",
      "It",
      "Its",
      "It's",
      "Such",
      "He",
      "She",
      "His",
      "Her",
      "Their",
      "Theirs",
      "Both",
      "Another",
      "Additional",
      "Additionally",
      "Also",
      "Meanwhile",
      "However",
      "But",
      "And",
      "Or",
      "Yet",
      "Still",
      "Instead",
      "Moreover",
      "Furthermore",
      "Then",
      "Thus",
      "Therefore",
      "Hence",
      "Likewise",
      "Similarly",
      "Otherwise",
      "The latter",
      "The former",
      "The same",
      "The two",
      "The move",
      "The decision",
      "The former's",
      "Further",
      "More",
      "Even more",
      "Here",
      "There, ",
    ].join("|") +
    String.raw`)(?![\p{L}\p{N}])`,
  "u",
);

/** The word or phrase a sentence opens with when that opening refers outside it, else null. */
export function danglingOpening(sentence: string): string | null {
  return DANGLING_OPENING.exec(sentence.trim())?.[1] ?? null;
}

const WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";
export const MONTHS =
  "January|February|March|April|May|June|July|August|September|October|November|December";

/** Dates that only mean something relative to when the text was written. */
const RELATIVE_DATE = new RegExp(
  String.raw`\b(?:` +
    [
      "yesterday",
      "today",
      "tonight",
      "tomorrow",
      String.raw`(?:this|last|next) (?:morning|afternoon|evening|night|week|weekend|month|year|spring|summer|autumn|fall|winter)`,
      String.raw`(?:earlier|later) this (?:week|month|year)`,
      String.raw`(?:on|last|next|this|since|by|until) (?:${WEEKDAYS})`,
      String.raw`(?:last|next|this) (?:${MONTHS})`,
      String.raw`\d+ (?:days?|weeks?|months?|years?) (?:ago|earlier|later)`,
      "in recent days",
      "recently",
      "the week just past",
      "the day before",
      "the next day",
      "the following day",
      "a day earlier",
      "a day later",
    ].join("|") +
    String.raw`)\b`,
  "i",
);

/** The relative date in `sentence` ("on Friday", "last week"), or null. */
export function relativeDate(sentence: string): string | null {
  return RELATIVE_DATE.exec(sentence)?.[0] ?? null;
}

/** A month named without its year nearby ("on 18 July", "in May"): a date a reader cannot place. */
const MONTH_WITHOUT_YEAR = new RegExp(
  String.raw`(?<=\b(?:in|on|of|since|by|until|from|to|late|early|mid|\d{1,2}(?:st|nd|rd|th)?)[\s-])(?:${MONTHS})\b(?!\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})(?!,?\s+\d{4})(?![\p{L}])`,
  "u",
);

/** Whether `sentence` names a year, which an absolute date needs. */
export function hasYear(sentence: string): boolean {
  return /\b(?:1[89]\d\d|20\d\d)\b/.test(sentence);
}

/** The first month in `sentence` that has no year after it (day-first or month-first), or null. */
export function monthWithoutYear(sentence: string): string | null {
  const m = MONTH_WITHOUT_YEAR.exec(sentence);
  return m ? m[0] : null;
}

/** Words, as the length rules count them. */
export function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.,:-]*/gu)?.length ?? 0;
}

/**
 * Event nouns that, with a bare "the", point back at something told elsewhere: "his office
 * called the deployment a threat" says which deployment only to someone who read on.
 * "The deployment of 1,500 troops", "the report that…" say it themselves.
 */
const BACK_REFERENCE =
  /\bthe (deployment|dispatch|report|reports|move|decision|attack|strike|plan|talks|visit|drill|exercise|deal|announcement|meeting|claim|claims|incident|operation|agreement|transfer|shipment)\b(?!\s+(?:of|on|in|into|to|by|that|from|with|between|at|for|near)\b)/i;

/** Initialisms every reader knows; any other must be spelt out in the same sentence. */
const KNOWN_INITIALISMS = new Set(["US", "USA", "UK", "EU", "UN", "NATO", "USSR", "AI", "TV"]);

/**
 * What, besides its opening and dates, makes a sentence lean on text outside it: an event
 * named with a bare "the" ("the deployment"), or an initialism it never spells out ("the NIS
 * report"). Null when it stands alone.
 */
export function backReference(sentence: string): string | null {
  const event = BACK_REFERENCE.exec(sentence);
  if (event) return event[0];
  for (const m of sentence.matchAll(/(?<![\p{L}\p{N}])([A-Z]{2,6})(?![\p{L}\p{N}])/gu)) {
    const acronym = m[1]!;
    if (KNOWN_INITIALISMS.has(acronym)) continue;
    // Spelt out in the sentence: "National Intelligence Service (NIS)", or its initials in order.
    const initials = [...sentence.matchAll(/\b\p{Lu}/gu)].map((x) => x[0]).join("");
    if (initials.includes(acronym)) continue;
    return acronym;
  }
  return null;
}

/**
 * Why `sentence` cannot be read on its own (as an inbox preview line or a feed teaser is), or
 * null when it can: who did what, where and when, with nothing pointing outside it.
 */
export function notStandalone(sentence: string): string | null {
  return (
    danglingOpening(sentence) ??
    relativeDate(sentence) ??
    monthWithoutYear(sentence) ??
    (hasYear(sentence) ? null : "no year") ??
    backReference(sentence)
  );
}
