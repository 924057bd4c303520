/** When two sentences say the same thing: by their content words. */

/**
 * Words that say nothing about what happened: attribution ("said", "according"), dates and
 * function words. Left in, two different reports by the same source in the same month would
 * look alike.
 */
const BOILERPLATE = new Set(
  (
    "said says told stated added reported reports according announced that this these those with from " +
    "have were been will would into over after before about than their there they which while also " +
    "january february march april june july august september october november december " +
    "monday tuesday wednesday thursday friday saturday sunday early late"
  ).split(" "),
);

/** The words that carry a sentence's content: numbers kept whole ("1,500"), plurals folded. */
export function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+(?:,\d{3})*/gu) ?? []) {
    if (w.length <= 3 || BOILERPLATE.has(w) || /^(?:1[89]|20)\d\d$/.test(w)) continue;
    out.add(w.replace(/s$/, ""));
  }
  return out;
}

/** Near-duplicate: most of the shorter sentence's content words are in the other. */
export function nearDuplicate(
  a: ReadonlySet<string>,
  b: ReadonlySet<string>,
  threshold = 0.7,
): boolean {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  const smaller = Math.min(a.size, b.size) || 1;
  const union = a.size + b.size - shared || 1;
  return shared / smaller >= threshold || shared / union >= 0.5;
}

/**
 * Against an earlier week of the same story, a looser test: a report of the same claim with a
 * new date or wording is still not news this week.
 */
export const REPEAT_THRESHOLD = 0.55;
