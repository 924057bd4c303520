/**
 * The subscriber export as CSV (RFC 4180): CRLF line ends, every field quoted with inner quotes
 * doubled, so commas, quotes and line breaks in a value cannot shift columns. A field a
 * spreadsheet would run as a formula (starting with = + - @, or a tab or CR that some strip first)
 * gets a leading apostrophe (OWASP "CSV injection"): an address like `=HYPERLINK(…)@x.org` is
 * valid enough to be stored, and must open as text.
 */
import type { DeliveryReportRow } from "../delivery/report.ts";
import type { SubscriberRow } from "../subscriptions/admin-store.ts";

export const CSV_HEADER = ["email", "status", "created_at", "updated_at"] as const;

export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

export function subscriberCsvLine(row: SubscriberRow): string {
  return csvLine([row.email, row.status, row.createdAt, row.updatedAt]);
}

/** The delivery report's columns (src/delivery/report.ts), one row per digest and variant. */
export const REPORT_CSV_HEADER = [
  "week",
  "variant",
  "recipients",
  "sent",
  "failed",
  "bounced",
  "complained",
  "unsubscribed",
] as const;

export function reportCsvLine(row: DeliveryReportRow): string {
  return csvLine(REPORT_CSV_HEADER.map((k) => String(row[k])));
}
