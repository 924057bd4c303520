/**
 * Relative dates made absolute against the article's own date, so a sentence taken out of its
 * article still says when: "On Monday" in a report of Tuesday 22 October 2024 becomes "On 21
 * October 2024", "told reporters Tuesday" becomes "told reporters on 22 October 2024". chrono-node
 * finds the dates (including the AP style's bare weekdays); the wording of the replacement is
 * ours. A date that cannot be placed honestly (the article's own date is an estimate, or no rule
 * here knows the phrase) makes the sentence unresolved: the caller leaves it out.
 */
import * as chrono from "chrono-node";
import { MONTHS } from "../../src/model/standalone.ts";

const DAY = 86_400_000;
const MONTH_NAMES = MONTHS.split("|");
const WEEKDAY_INDEX: Record<string, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};

export interface DateContext {
  /** The article's publication time, RFC 3339 with its offset. */
  readonly published: string;
  /** The article's date is an estimate: nothing that needs its day can be placed. */
  readonly approximate: boolean;
}

export interface ResolvedDates {
  readonly text: string;
  /** Each replacement, `"on Friday" → "on 18 October 2024"`. */
  readonly rewrites: readonly string[];
  /** A relative date no rule could place, or null. */
  readonly unresolved: string | null;
}

const dayText = (t: number) => {
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};
const monthText = (t: number) => {
  const d = new Date(t);
  return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};

/** The calendar day of `iso` as written (in its own offset), as a UTC-midnight timestamp. */
function localDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
}

/** Monday of the week of `t` (ISO weeks start on Monday). */
const mondayOf = (t: number) => t - ((new Date(t).getUTCDay() + 6) % 7) * DAY;

/** Words before a weekday that point forward: "through Wednesday", "will meet Saturday". */
const FORWARD =
  /\b(?:through|until|till|by|next|will|would|is to|are to|to be|scheduled|set to|plans? to|due)\b[^.;]*$/i;

const PREPOSITION_BEFORE = /\b(?:through|until|till|by|since|from|to|before|after|on|and|or)\s+$/i;

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function replacement(
  sentence: string,
  found: chrono.ParsedResult,
  today: number,
  approximate: boolean,
): Replacement | "unresolved" | null {
  const phrase = found.text.replace(/[,.]$/, "");
  let start = found.index;
  let end = start + phrase.length;
  const lower = phrase.toLowerCase();
  const before = sentence.slice(0, start);
  const c = found.start;
  if (/\b(?:1[89]\d\d|20\d\d)\b/.test(phrase) && !/\bago\b/i.test(phrase)) return null; // has its year
  const needsDay = () => (approximate ? "unresolved" : null);

  const weekday =
    /^(?:(on|last|this past|this|next|since|by|until|through)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/i.exec(
      phrase,
    );
  if (weekday) {
    if (needsDay()) return "unresolved";
    const [, prep, name] = weekday;
    const target = WEEKDAY_INDEX[name!.toLowerCase()]!;
    const dow = new Date(today).getUTCDay();
    const forward = /^next$/i.test(prep ?? "") || FORWARD.test(before.slice(-40));
    const t = forward
      ? today + ((target - dow + 7) % 7 || 7) * DAY
      : today - ((dow - target + 7) % 7) * DAY;
    // A bare weekday ("said Tuesday") gets the "on" a date needs; "through Wednesday" keeps its word.
    const keep = prep && !/^(?:last|this past|this|next)$/i.test(prep) ? prep : "on";
    const cased = start === 0 ? keep[0]!.toUpperCase() + keep.slice(1) : keep;
    const afterPreposition = !prep && PREPOSITION_BEFORE.test(before);
    return { start, end, text: afterPreposition ? dayText(t) : `${cased} ${dayText(t)}` };
  }
  if (
    /^(?:yesterday|today|tonight|tomorrow|last night|this morning|this afternoon|this evening)$/i.test(
      lower,
    )
  ) {
    if (needsDay()) return "unresolved";
    const shift = /yesterday|last night/.test(lower) ? -1 : /tomorrow/.test(lower) ? 1 : 0;
    return { start, end, text: `on ${dayText(today + shift * DAY)}` };
  }
  const ago =
    /^(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten) (day|week|month|year)s? ago$/i.exec(
      lower,
    );
  if (ago) {
    if (ago[2] !== "year" && needsDay()) return "unresolved";
    const t = c.date().getTime();
    const text =
      ago[2] === "year"
        ? `in ${new Date(t).getUTCFullYear()}`
        : ago[2] === "month"
          ? `in ${monthText(t)}`
          : `on ${dayText(localDay(c.date().toISOString()))}`;
    return { start, end, text };
  }
  const period = /^(this|last|next) (week|month|year)$/i.exec(lower);
  if (period) {
    const step = period[1] === "last" ? -1 : period[1] === "next" ? 1 : 0;
    const d = new Date(today);
    if (period[2] === "week") {
      if (needsDay()) return "unresolved";
      return { start, end, text: `in the week of ${dayText(mondayOf(today) + step * 7 * DAY)}` };
    }
    if (period[2] === "month") {
      if (needsDay()) return "unresolved";
      return {
        start,
        end,
        text: `in ${monthText(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step, 1))}`,
      };
    }
    return { start, end, text: `in ${d.getUTCFullYear() + step}` };
  }
  // A month and day without a year ("Dec. 8", "October 17"), or a range ("Dec. 11–16").
  if (c.isCertain("month") && c.isCertain("day") && !c.isCertain("year")) {
    const range = /^[–-](\d{1,2})\b/.exec(sentence.slice(end));
    const day = c.get("day")!;
    const month = MONTH_NAMES[c.get("month")! - 1]!;
    // A report looks back: a date more than a week after it is last year's, unless said ahead.
    let year = c.get("year")!;
    const month0 = c.get("month")! - 1;
    if (!FORWARD.test(before.slice(-40)) && Date.UTC(year, month0, day) > today + 7 * DAY) year--;
    else if (Date.UTC(year, month0, day) < today - 300 * DAY) year++;
    const lead = /^(?:on|by|since|until|from|before|after)\s+(?:the\s+)?/i.exec(phrase)?.[0] ?? "";
    if (range) {
      end += range[0].length;
      return { start, end, text: `${lead}${day}–${range[1]} ${month} ${year}` };
    }
    return { start, end, text: `${lead}${day} ${month} ${year}` };
  }
  // A month alone ("in May", "last June"): the nearest such month, as chrono places it.
  if (c.isCertain("month") && !c.isCertain("day") && !c.isCertain("year")) {
    if (!new RegExp(`^(?:${MONTHS})$`).test(phrase)) return "unresolved";
    const last = /\b(last|this past) $/i.exec(before);
    if (last) start -= last[0].length;
    const month = c.get("month")! - 1;
    const d = new Date(today);
    const year = last
      ? month < d.getUTCMonth()
        ? d.getUTCFullYear()
        : d.getUTCFullYear() - 1
      : // "will attend … in May": anywhere before it in the sentence, the future is said.
        FORWARD.test(before)
        ? month >= d.getUTCMonth()
          ? d.getUTCFullYear()
          : d.getUTCFullYear() + 1
        : month <= d.getUTCMonth()
          ? d.getUTCFullYear()
          : d.getUTCFullYear() - 1;
    const preposition = PREPOSITION_BEFORE.test(before.slice(0, start));
    return {
      start,
      end,
      text: `${last && !preposition ? "in " : ""}${MONTH_NAMES[month]} ${year}`,
    };
  }
  // A span counted from another event ("after three days", "within weeks"): no date to place.
  if (/^(?:after|within|for|over|during|in)\s/i.test(phrase) && !/\bago\b/i.test(phrase))
    return null;
  if (c.isCertain("hour") || /^(?:morning|afternoon|evening|night|noon|midnight)$/i.test(lower))
    return null;
  return "unresolved";
}

/** A word some date has; a sentence without any needs no parse (chrono is the slow part). */
const MAY_HAVE_DATE =
  /\d|day|week|month|year|ago|tonight|tomorrow|morning|afternoon|evening|night|noon|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/i;

/** `sentence` with its relative dates made absolute, or the first it could not place. */
export function resolveDates(sentence: string, context: DateContext): ResolvedDates {
  if (!MAY_HAVE_DATE.test(sentence)) return { text: sentence, rewrites: [], unresolved: null };
  const today = localDay(context.published);
  const reference = new Date(today + 12 * 3_600_000);
  const found = chrono.parse(sentence, { instant: reference, timezone: 0 });
  const replacements: Replacement[] = [];
  for (const f of found) {
    const r = replacement(sentence, f, today, context.approximate);
    if (r === "unresolved") return { text: sentence, rewrites: [], unresolved: f.text };
    if (r !== null) replacements.push(r);
  }
  let text = sentence;
  const rewrites: string[] = [];
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) {
    const was = text.slice(r.start, r.end);
    // "in in May 2024": a preposition the replacement already has is not said twice.
    const head = text.slice(0, r.start);
    const repl =
      /\b(in|on)\s$/i.test(head) &&
      new RegExp(`^${/\b(in|on)\s$/i.exec(head)![1]} `, "i").test(r.text)
        ? r.text.replace(/^\S+ /, "")
        : r.text;
    rewrites.unshift(`"${was}" → "${repl}"`);
    text = head + repl + text.slice(r.end);
  }
  return { text, rewrites, unresolved: null };
}
