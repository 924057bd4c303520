/**
 * Time as the app shows and groups it: one cache of Intl formatters, and ISO 8601 weeks
 * (Monday 00:00 to the next Monday 00:00) in an IANA time zone, named like `2024-W43`.
 */

/** `2024-W43`: an ISO 8601 week in the configured time zone. */
export type WeekKey = string;

export interface Week {
  readonly year: number;
  readonly week: number;
}

export interface WeekRange {
  readonly key: WeekKey;
  /** Monday 00:00 local time, as an instant. */
  readonly start: Date;
  /** The next Monday 00:00 local time (exclusive). */
  readonly end: Date;
}

const DAY = 86_400_000;
const WEEK_KEY = /^(\d{4})-W(\d{2})$/;

// Building an Intl.DateTimeFormat costs tens of microseconds, more than formatting with it:
// every formatter the app uses is built once per isolate.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter; throws a RangeError naming the zone when it is not a valid IANA zone. */
export function dateFormatter(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}\n${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  return dateFormatter("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    wallClockFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** "21 October 2024": the day in UTC, so every reader of a page sees the same one. */
export function formatDay(iso: string): string {
  return dateFormatter("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(iso));
}

/** "28 October 2024": the day of an instant as seen in `timeZone` (a digest's zone). */
export function formatDayIn(iso: string, timeZone: string): string {
  return dateFormatter("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone,
  }).format(new Date(iso));
}

/** `2024-10-22T12:00:00Z` for `<time datetime>`. */
export function machineTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * "21–27 October 2024": a week from its Monday to its Sunday as seen in `timeZone`; `end` is
 * exclusive. Empty when the instants are not a range.
 */
export function weekSpan(start: string, end: string, timeZone: string): string {
  const first = Date.parse(start);
  const next = Date.parse(end);
  if (Number.isNaN(first) || Number.isNaN(next) || next <= first) return "";
  const f = dateFormatter("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone });
  return f.formatRange(first, next - 1);
}

/** "Week 43, 2024" for `2024-W43`; null when the key is malformed. */
export function weekLabel(key: string): string | null {
  const m = WEEK_KEY.exec(key);
  return m ? `Week ${Number(m[2])}, ${m[1]}` : null;
}

/** The wall-clock date and time in `timeZone` at `instant`, as if it were UTC. */
export function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of wallClockFormatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
}

/**
 * The instant at which the wall clock in `timeZone` shows `local` (a UTC-encoded wall time). A
 * local time that does not exist (skipped by a DST change) lands just after the gap.
 */
export function instantOfWallClock(local: number, timeZone: string): number {
  // Two rounds of offset correction settle the answer, including across DST changes.
  let guess = local - (wallClock(local, timeZone) - local);
  guess = local - (wallClock(guess, timeZone) - guess);
  return guess;
}

/** ISO weekday, Monday = 1 … Sunday = 7, of a UTC-encoded date. */
function isoWeekday(utcDate: number): number {
  return ((new Date(utcDate).getUTCDay() + 6) % 7) + 1;
}

/** The ISO week of the calendar date `utcDate` (UTC-encoded midnight). */
function isoWeekOfDate(utcDate: number): Week {
  // The week belongs to the year its Thursday falls in (ISO 8601 §3.2.2).
  const thursday = utcDate + (4 - isoWeekday(utcDate)) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return { year, week };
}

export function formatWeek({ year, week }: Week): WeekKey {
  return `${String(year).padStart(4, "0")}-W${String(week).padStart(2, "0")}`;
}

export function weeksInYear(year: number): number {
  // A year has 53 ISO weeks when 28 December falls in week 53.
  return isoWeekOfDate(Date.UTC(year, 11, 28)).week;
}

/** Parses `2024-W43`; null when malformed or out of range (e.g. `2024-W99`, `2024-W53`). */
export function parseWeek(key: string): Week | null {
  const m = WEEK_KEY.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1970 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

/** The week that contains `instant` in `timeZone`. */
export function weekOf(instant: Date | number, timeZone: string): WeekKey {
  const local = new Date(
    wallClock(typeof instant === "number" ? instant : instant.getTime(), timeZone),
  );
  return formatWeek(
    isoWeekOfDate(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate())),
  );
}

/** Start and end instants of a week in `timeZone`. */
export function weekRange(week: Week | WeekKey, timeZone: string): WeekRange {
  const w = typeof week === "string" ? parseWeek(week) : week;
  if (w === null)
    throw new RangeError(`"${String(week)}" is not an ISO week: expected YYYY-Www, e.g. 2024-W43`);
  const jan4 = Date.UTC(w.year, 0, 4);
  const monday = jan4 - (isoWeekday(jan4) - 1) * DAY + (w.week - 1) * 7 * DAY;
  return {
    key: formatWeek(w),
    start: new Date(instantOfWallClock(monday, timeZone)),
    end: new Date(instantOfWallClock(monday + 7 * DAY, timeZone)),
  };
}

/** The week before `key`. */
export function previousWeek(key: WeekKey): WeekKey {
  const w = parseWeek(key);
  if (w === null) throw new RangeError(`"${key}" is not an ISO week`);
  if (w.week > 1) return formatWeek({ year: w.year, week: w.week - 1 });
  return formatWeek({ year: w.year - 1, week: weeksInYear(w.year - 1) });
}

/** The most recent week that has fully ended at `instant` in `timeZone`. */
export function lastEndedWeek(instant: Date | number, timeZone: string): WeekKey {
  return previousWeek(weekOf(instant, timeZone));
}
