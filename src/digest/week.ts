/**
 * ISO 8601 weeks (Monday 00:00 to the next Monday 00:00) in an IANA time zone, named like
 * `2024-W43`. An article belongs to the week of its publication instant as seen in that zone.
 */
import type { WeekKey } from "./model.ts";

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
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError naming the zone when it is not a valid IANA time zone. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time in `timeZone` at `instant`, as if it were UTC. */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The instant at which the wall clock in `timeZone` shows `local` (a UTC-encoded wall time). */
function instantOfWallClock(local: number, timeZone: string): number {
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
  const m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1970 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

/** The week that contains `instant` in `timeZone`. */
export function weekOf(instant: Date | number, timeZone: string): WeekKey {
  const local = wallClock(typeof instant === "number" ? instant : instant.getTime(), timeZone);
  const date = Date.UTC(new Date(local).getUTCFullYear(), new Date(local).getUTCMonth(), new Date(local).getUTCDate());
  return formatWeek(isoWeekOfDate(date));
}

/** Start and end instants of a week in `timeZone`. */
export function weekRange(week: Week | WeekKey, timeZone: string): WeekRange {
  const w = typeof week === "string" ? parseWeek(week) : week;
  if (w === null) throw new RangeError(`"${String(week)}" is not an ISO week: expected YYYY-Www, e.g. 2024-W43`);
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
