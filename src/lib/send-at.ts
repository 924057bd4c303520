/**
 * DIGEST_SEND_AT: when the week that just ended goes out, as a weekday and a local time in
 * DIGEST_TIME_ZONE ("monday 06:00"). The due instant is computed through Intl (time.ts), so it
 * stays at 06:00 local across daylight-saving changes.
 */
import { instantOfWallClock, parseWeek, wallClock, weekRange, type WeekKey } from "./time.ts";

export interface SendAt {
  /** ISO weekday: Monday = 1 … Sunday = 7. */
  readonly weekday: number;
  /** Minutes after local midnight, 0 … 1439. */
  readonly minutes: number;
}

const DAY = 86_400_000;
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** "monday 06:00" (any case, "mon" too); null when it is not a weekday and an HH:MM time. */
export function parseSendAt(value: string): SendAt | null {
  const m = /^([a-z]+)\s+(\d{1,2}):(\d{2})$/i.exec(value.trim());
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  const weekday = WEEKDAYS.findIndex(
    (d) => d === name || (name.length === 3 && d.startsWith(name)),
  );
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (weekday === -1 || hours > 23 || minutes > 59) return null;
  return { weekday: weekday + 1, minutes: hours * 60 + minutes };
}

/** "Monday 06:00", for pages and logs. */
export function formatSendAt(at: SendAt): string {
  const day = WEEKDAYS[at.weekday - 1]!;
  const hh = String(Math.floor(at.minutes / 60)).padStart(2, "0");
  const mm = String(at.minutes % 60).padStart(2, "0");
  return `${day[0]!.toUpperCase()}${day.slice(1)} ${hh}:${mm}`;
}

/**
 * When `week`'s digest is due: the first `at` after the week ended, in `timeZone` (with the
 * default, the Monday 06:00 right after it). A week is only complete once it has ended, so the
 * send is never inside the week it reports.
 */
export function dueInstant(week: WeekKey, at: SendAt, timeZone: string): number {
  const w = parseWeek(week);
  if (w === null) throw new RangeError(`"${week}" is not an ISO week`);
  // The Monday after the week, as a UTC-encoded wall date; then the weekday and time on it.
  const end = weekRange(week, "UTC").end.getTime();
  return instantOfWallClock(end + (at.weekday - 1) * DAY + at.minutes * 60_000, timeZone);
}

/** "2024-10-28T09:30": a datetime-local value (HTML) as an instant in `timeZone`; null if malformed. */
export function parseLocalDateTime(value: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const local = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(local);
  // Date.UTC rolls 31 February over into March: a date that does not exist is refused.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return instantOfWallClock(local, timeZone);
}

/** The datetime-local value ("2024-10-28T09:30") showing `instant` in `timeZone`. */
export function localDateTimeValue(instant: number, timeZone: string): string {
  return new Date(wallClock(instant, timeZone)).toISOString().slice(0, 16);
}
