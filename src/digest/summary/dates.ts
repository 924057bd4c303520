/**
 * Relative dates resolved against the article's own date, so a sentence taken out of its
 * article still says when: "on Friday" in a report of Tuesday 22 October 2024 becomes "on
 * 18 October 2024", "October 17" becomes "17 October 2024". What cannot be resolved honestly (an
 * estimated article date, "last week") is left for the caller to drop.
 */
import { MONTHS } from "../../model/standalone.ts";

const DAY = 86_400_000;
const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];
const MONTH_NAMES = MONTHS.split("|");

function dayText(t: number): string {
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** The calendar day of `iso` as written (its own offset), as a UTC-midnight timestamp. */
function localDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
}

/** The year in which `month`/`day` falls on or before `published` (a report looks back). */
function yearFor(month: number, day: number, published: number): number {
  const year = new Date(published).getUTCFullYear();
  return Date.UTC(year, month, day) <= published + DAY ? year : year - 1;
}

export interface DateContext {
  /** The article's publication time (RFC 3339). */
  readonly published: string;
  /** True when that date is itself an estimate: weekdays and "yesterday" cannot be placed. */
  readonly approximate: boolean;
}

/** `sentence` with the relative dates it can place replaced by absolute ones. */
export function resolveRelativeDates(sentence: string, context: DateContext): string {
  const today = localDay(context.published);
  let out = sentence;
  if (!context.approximate) {
    out = out.replace(
      /\b(on|last|this past) (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/g,
      (_whole, _prep: string, weekday: string) => {
        const target = WEEKDAY_NAMES.indexOf(weekday);
        const back = (new Date(today).getUTCDay() - target + 7) % 7;
        return `on ${dayText(today - back * DAY)}`;
      },
    );
    out = out
      .replace(/\byesterday\b/gi, `on ${dayText(today - DAY)}`)
      .replace(/\btoday\b/gi, `on ${dayText(today)}`);
  }
  // "last June" in an October report: the most recent June before it.
  out = out.replace(new RegExp(String.raw`\blast (${MONTHS})\b`, "g"), (_w, month: string) => {
    const m = MONTH_NAMES.indexOf(month);
    const published = new Date(today);
    const year =
      m < published.getUTCMonth() ? published.getUTCFullYear() : published.getUTCFullYear() - 1;
    return `in ${month} ${year}`;
  });
  // "Dec. 8", "Dec. 11–16": abbreviated months, spelt out first.
  out = out.replace(
    /\b(Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\. (?=\d)/g,
    (_w, abbr: string) => `${MONTH_NAMES.find((m) => m.startsWith(abbr.slice(0, 3)))!} `,
  );
  // "December 11–16" without a year: "11–16 December <year>".
  out = out.replace(
    new RegExp(String.raw`\b(${MONTHS}) (\d{1,2})[–-](\d{1,2})\b(?!,? \d{4})`, "g"),
    (_w, month: string, from: string, to: string) =>
      `${+from}–${+to} ${month} ${yearFor(MONTH_NAMES.indexOf(month), +from, today)}`,
  );
  // "October 17" / "17 October" without a year: the year of the report.
  out = out.replace(
    new RegExp(String.raw`\b(${MONTHS}) (\d{1,2})(?:st|nd|rd|th)?\b(?!,? \d{4})`, "g"),
    (_w, month: string, day: string) => {
      const m = MONTH_NAMES.indexOf(month);
      return `${+day} ${month} ${yearFor(m, +day, today)}`;
    },
  );
  out = out.replace(
    new RegExp(String.raw`\b(\d{1,2}) (${MONTHS})\b(?!,? \d{4})`, "g"),
    (_w, day: string, month: string) => {
      const m = MONTH_NAMES.indexOf(month);
      return `${+day} ${month} ${yearFor(m, +day, today)}`;
    },
  );
  return out;
}
