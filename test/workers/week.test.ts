import { describe, expect, it } from "vitest";
import {
  lastEndedWeek,
  parseWeek,
  previousWeek,
  weekOf,
  weekRange,
  weeksInYear,
} from "../../src/lib/time.ts";

describe("ISO weeks in a time zone", () => {
  it("puts Sunday 23:59 and Monday 00:00 local time in different weeks, in a non-UTC zone", () => {
    // Seoul is UTC+9: Sunday 2024-10-27 23:59 KST = 14:59 UTC; Monday 00:00 KST = Sunday 15:00 UTC.
    expect(weekOf(new Date("2024-10-27T23:59:00+09:00"), "Asia/Seoul")).toBe("2024-W43");
    expect(weekOf(new Date("2024-10-28T00:00:00+09:00"), "Asia/Seoul")).toBe("2024-W44");
    // The same instants cut in UTC both fall on Sunday, in W43.
    expect(weekOf(new Date("2024-10-28T00:00:00+09:00"), "UTC")).toBe("2024-W43");
  });

  it("handles a zone west of UTC across a DST change", () => {
    // New York leaves DST on Sunday 2024-11-03; Monday 2024-11-04 00:00 EST = 05:00 UTC.
    const r = weekRange("2024-W45", "America/New_York");
    expect(r.start.toISOString()).toBe("2024-11-04T05:00:00.000Z");
    expect(r.end.toISOString()).toBe("2024-11-11T05:00:00.000Z");
    const w44 = weekRange("2024-W44", "America/New_York");
    expect(w44.start.toISOString()).toBe("2024-10-28T04:00:00.000Z"); // still EDT
    expect(w44.end.getTime()).toBe(r.start.getTime());
    expect(weekOf(new Date("2024-11-04T04:59:59Z"), "America/New_York")).toBe("2024-W44");
    expect(weekOf(new Date("2024-11-04T05:00:00Z"), "America/New_York")).toBe("2024-W45");
  });

  it("follows ISO 8601 at year ends", () => {
    expect(weekOf(new Date("2024-12-30T12:00:00Z"), "UTC")).toBe("2025-W01");
    expect(weekOf(new Date("2021-01-03T12:00:00Z"), "UTC")).toBe("2020-W53");
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2024)).toBe(52);
    expect(previousWeek("2021-W01")).toBe("2020-W53");
    expect(weekRange("2025-W01", "UTC").start.toISOString()).toBe("2024-12-30T00:00:00.000Z");
  });

  it("rejects malformed or impossible weeks", () => {
    for (const bad of [
      "2024-W99",
      "2024-W53",
      "2024-W00",
      "2024W43",
      "2024-w43",
      "24-W43",
      "2024-W4",
    ])
      expect(parseWeek(bad), bad).toBeNull();
    expect(parseWeek("2020-W53")).toEqual({ year: 2020, week: 53 });
  });

  it("names the week that just ended at the cron's time", () => {
    expect(lastEndedWeek(Date.parse("2024-10-28T06:00:00Z"), "UTC")).toBe("2024-W43");
    // 06:00 UTC Monday is still Sunday in Los Angeles: the week before is the last one ended.
    expect(lastEndedWeek(Date.parse("2024-10-28T06:00:00Z"), "America/Los_Angeles")).toBe(
      "2024-W42",
    );
  });
});
