/**
 * A subscriber list (CSV) read into rows to import: the header checked, each row's address
 * normalized and validated exactly as a sign-up's (address.ts), its other columns checked, and
 * repeated addresses reported at their second line. Pure: nothing here reads the database.
 */
import { CsvError, parseCsv } from "../lib/csv.ts";
import { MAX_TOPICS } from "../model/topic.ts";
import { addressForEcho, normalizeEmail } from "./address.ts";

export const IMPORT_COLUMNS = ["email", "name", "subscribed_at", "topics"] as const;
type Column = (typeof IMPORT_COLUMNS)[number];

/** The longest name kept; a longer one is refused rather than cut. */
const MAX_NAME = 200;
/**
 * A topic as a list gives it: a tag or story id (lower-case words joined by hyphens), bare or
 * prefixed as the preferences page stores it (`tag:china`, `story:troops-to-russia`). Which of
 * the site's tags and stories a bare one names is settled against the published content
 * (import-topics.ts).
 */
const TOPIC = /^(?:(?:tag|story):)?[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Control, format and separator characters other than the space: invisible or reordering.
const HIDDEN = /[\p{C}\u2028\u2029]/u;

export interface ImportRow {
  /** The physical line the row starts on (1 is the header). */
  readonly line: number;
  readonly email: string;
  readonly name: string | null;
  /** ISO 8601 (UTC) as given, or null. */
  readonly subscribedAt: string | null;
  /** As the file gives them (see TOPIC), deduplicated; null: none (everything). */
  readonly topics: readonly string[] | null;
}

export interface RejectedRow {
  readonly line: number;
  readonly reason: string;
}

export interface RepeatedRow {
  readonly line: number;
  readonly email: string;
  /** Where the address first appears: that row is the one imported. */
  readonly firstLine: number;
}

export interface ImportList {
  /** Data rows in the file (the header and blank lines not counted). */
  readonly records: number;
  readonly rows: readonly ImportRow[];
  readonly rejected: readonly RejectedRow[];
  readonly repeated: readonly RepeatedRow[];
  /** Header columns this import does not know: their values are not imported. */
  readonly ignoredColumns: readonly string[];
  /** Whether the file has a topics column. */
  readonly hasTopics: boolean;
}

/** The file cannot be imported at all (no header, no email column, broken quoting). */
export class ImportFileError extends Error {
  override readonly name = "ImportFileError";
}

/** `YYYY-MM-DD` or a full ISO 8601 time with a zone, as an ISO string (UTC); null if neither. */
function isoTime(raw: string): string | null {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(raw)
    ? `${raw}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(raw)
      ? raw.replace(" ", "T")
      : null;
  if (date === null) return null;
  const time = new Date(date);
  if (Number.isNaN(time.getTime())) return null;
  // Date rolls 2024-02-30 over to March: a date that is not in the calendar is refused.
  if (date.slice(0, 10) !== time.toISOString().slice(0, 10) && /Z$/i.test(date)) return null;
  return time.toISOString();
}

type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

function checkName(raw: string): Checked<string | null> {
  // A line break or tab inside a quoted name is layout, not part of the name: one space.
  const name = raw.normalize("NFC").replace(/\s+/gu, " ").trim();
  if (name === "") return { ok: true, value: null };
  if (HIDDEN.test(name))
    return {
      ok: false,
      reason: "name has a control or invisible character: expected plain text",
    };
  if (name.length > MAX_NAME)
    return { ok: false, reason: `name is ${name.length} characters: expected at most ${MAX_NAME}` };
  return { ok: true, value: name };
}

function checkSubscribedAt(raw: string, now: Date): Checked<string | null> {
  const text = raw.trim();
  if (text === "") return { ok: true, value: null };
  const iso = isoTime(text);
  if (iso === null)
    return {
      ok: false,
      reason: `subscribed_at “${addressForEcho(text).slice(0, 40)}” is not a date: expected YYYY-MM-DD or an ISO 8601 time like 2024-03-01T09:30:00Z`,
    };
  if (iso > now.toISOString())
    return { ok: false, reason: `subscribed_at ${iso.slice(0, 10)} is in the future` };
  return { ok: true, value: iso };
}

function checkTopics(raw: string): Checked<string[] | null> {
  const topics = raw
    .toLowerCase()
    .split(/[;,\s]+/)
    .filter((t) => t !== "");
  if (topics.length === 0) return { ok: true, value: null };
  const bad = topics.find((t) => !TOPIC.test(t));
  if (bad !== undefined)
    return {
      ok: false,
      reason: `topic “${addressForEcho(bad).slice(0, 40)}” is not a topic: expected a tag or story id in lower-case words joined by hyphens (like north-korea, or tag:north-korea, story:troops-to-russia), topics separated by semicolons or spaces`,
    };
  const unique = [...new Set(topics)];
  // The preferences page's limit: more and "everything" is what the reader means.
  if (unique.length > MAX_TOPICS)
    return { ok: false, reason: `${unique.length} topics: expected at most ${MAX_TOPICS}` };
  return { ok: true, value: unique };
}

/** The file's rows; throws ImportFileError when the file as a whole cannot be read. */
export function readImportList(text: string, now: Date): ImportList {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) throw new ImportFileError(`${err.message} (RFC 4180 CSV)`);
    throw err;
  }
  const [header, ...data] = records;
  if (header === undefined)
    throw new ImportFileError(
      `the file is empty: expected a header line naming the columns (${IMPORT_COLUMNS.join(", ")}), then one subscriber per line`,
    );
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<Column, number>();
  const ignoredColumns: string[] = [];
  names.forEach((name, i) => {
    const known = (IMPORT_COLUMNS as readonly string[]).includes(name);
    if (known && index.has(name as Column))
      throw new ImportFileError(`line ${header.line}: the column “${name}” appears twice`);
    if (known) index.set(name as Column, i);
    else ignoredColumns.push(name === "" ? `(column ${i + 1}, unnamed)` : name);
  });
  if (!index.has("email"))
    throw new ImportFileError(
      `line ${header.line}: no “email” column in the header (${names.map((n) => `“${addressForEcho(n).slice(0, 40)}”`).join(", ")}): expected a header line with email and any of name, subscribed_at, topics`,
    );

  const rows: ImportRow[] = [];
  const rejected: RejectedRow[] = [];
  const repeated: RepeatedRow[] = [];
  const firstLine = new Map<string, number>();
  const field = (fields: readonly string[], column: Column) => {
    const i = index.get(column);
    return i === undefined ? "" : (fields[i] ?? "");
  };
  for (const { line, fields } of data) {
    if (fields.length !== header.fields.length) {
      rejected.push({
        line,
        reason: `${fields.length} fields where the header has ${header.fields.length}: a comma inside a value needs the value in double quotes`,
      });
      continue;
    }
    const address = normalizeEmail(field(fields, "email"));
    const name = checkName(field(fields, "name"));
    const subscribedAt = checkSubscribedAt(field(fields, "subscribed_at"), now);
    const topics = checkTopics(field(fields, "topics"));
    if (!address.ok) {
      rejected.push({ line, reason: `email: ${address.reason}` });
      continue;
    }
    const problem = [name, subscribedAt, topics].find((c) => !c.ok);
    if (problem && !problem.ok) {
      rejected.push({ line, reason: problem.reason });
      continue;
    }
    const first = firstLine.get(address.email);
    if (first !== undefined) {
      repeated.push({ line, email: address.email, firstLine: first });
      continue;
    }
    firstLine.set(address.email, line);
    rows.push({
      line,
      email: address.email,
      name: name.ok ? name.value : null,
      subscribedAt: subscribedAt.ok ? subscribedAt.value : null,
      topics: topics.ok ? topics.value : null,
    });
  }
  return {
    records: data.length,
    rows,
    rejected,
    repeated,
    ignoredColumns,
    hasTopics: index.has("topics"),
  };
}
