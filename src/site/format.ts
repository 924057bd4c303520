/** Human-readable dates for pages: the day in UTC, so every reader sees the same one. */
const DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

export function formatDay(iso: string): string {
  return DAY.format(new Date(iso));
}

/** `2024-10-22T12:00:00Z` for `<time datetime>`. */
export function machineTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.000Z$/, "Z");
}
