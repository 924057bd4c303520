/**
 * The kinds of front-matter field (text, date-time, list, flag), as zod schemas that report
 * every problem in the operator's words. Each issue's path says where it is (the field, an item
 * of a list, a claim's key) and parse.ts turns that path into the line in the file; markup is
 * located more precisely, by the text it starts with (`params.needle`).
 *
 * The schemas take what the YAML parser made of a value (`unknown`) and check it by hand rather
 * than with z.string() and friends, because the messages must say what the operator wrote and
 * what was expected ("field "date" is "2024-10-22", which has no UTC offset: expected …"), and
 * because a field must report all its problems at once, not stop at the first.
 */
import { z } from "zod";
import { stripUnsafeChars } from "../../src/model/safe-text.ts";
import { findMarkup, lineProblem, markupMessage } from "./plain-text.ts";

/** What new-article writes for a field; `placeholder` values are refused until replaced. */
export type Template =
  | { readonly write: "argument"; readonly placeholder?: string }
  | { readonly write: "placeholder"; readonly placeholder: string | readonly string[] }
  | { readonly write: "example"; readonly example: string | readonly string[] }
  | { readonly write: "no" };

/** Everything about a field besides its checks: its key, what it expects, its template line. */
export interface FieldInfo {
  /** The key as written in the front matter. */
  readonly key: string;
  readonly required: boolean;
  /** What the field is for and its rules, for docs/content.md. */
  readonly about: string;
  /** What a valid value is, as messages end: "expected <expected>". */
  readonly expected: string;
  readonly template: Template;
  /** A comment new-article writes above the field, for fields whose rules are not obvious. */
  readonly comment?: string;
}

/** Each field schema's FieldInfo: the docs, the template and the messages read it. */
export const fieldInfo = z.registry<FieldInfo>();

/** Reports a problem at `path` below the value being checked (an item, a claim's key). */
export type Report = (message: string, at?: { path?: PropertyKey[]; needle?: string }) => void;

type Ctx = z.core.$RefinementCtx;

export function reporter(ctx: Ctx): Report {
  return (message, at = {}) =>
    ctx.addIssue({
      code: "custom",
      message,
      path: at.path ?? [],
      ...(at.needle === undefined ? {} : { params: { needle: at.needle } }),
    });
}

/** True while nothing was reported since this call: a value is kept only when valid. */
function unreported(ctx: Ctx): () => boolean {
  const before = ctx.issues.length;
  return () => ctx.issues.length === before;
}

/**
 * Refuses markup, a line break or more than `max` characters in a plain-text value (`what`
 * names it in the message); markup is reported on the line it is on.
 */
export function checkPlainText(
  report: Report,
  what: string,
  value: string,
  max: number,
  path: PropertyKey[] = [],
): void {
  const problem = lineProblem(value, max);
  if (problem !== null) report(`${what} ${problem}`, { path });
  const markup = findMarkup(value);
  if (markup !== null) report(`${what} ${markupMessage(markup)}`, { path, needle: markup.needle });
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return "text";
  return `a ${typeof value} (${String(value)})`;
}

export function placeholderMessage(what: string, expected: string): string {
  return `${what} is still npm run new-article's placeholder: expected ${expected}`;
}

function isPlaceholder(info: FieldInfo, value: string): boolean {
  const t = info.template;
  if (t.write === "example" || t.write === "no" || t.placeholder === undefined) return false;
  return typeof t.placeholder === "string" ? t.placeholder === value : t.placeholder.includes(value);
}

interface TextOptions {
  /** Longest in characters when the field is plain text shown to readers (plain-text.ts). */
  readonly max?: number;
  /** Further checks of the cleaned value. */
  readonly check?: (value: string, report: Report) => void;
}

/** A text field: trimmed, with control and bidi characters removed. */
function textValue(info: FieldInfo, options: TextOptions) {
  const field = `field "${info.key}"`;
  return z.unknown().transform((raw, ctx): string => {
    const report = reporter(ctx);
    const valid = unreported(ctx);
    if (raw === null || raw === undefined || (typeof raw === "string" && raw.trim() === "")) {
      report(`${field} is empty: expected ${info.expected}${info.required ? "" : ", or remove the line"}`);
      return z.NEVER;
    }
    if (typeof raw !== "string") {
      report(`${field} must be text, got ${typeName(raw)}: expected ${info.expected}`);
      return z.NEVER;
    }
    const value = stripUnsafeChars(raw.trim());
    if (options.max !== undefined) checkPlainText(report, field, value, options.max);
    options.check?.(value, report);
    // Placeholders are valid values on purpose (the new file must parse), so nothing else
    // would catch one; a value already refused for another reason is not refused twice.
    if (valid() && isPlaceholder(info, value)) report(placeholderMessage(field, info.expected));
    return valid() ? value : z.NEVER;
  });
}

export function requiredText(info: Omit<FieldInfo, "required">, options: TextOptions = {}) {
  const full = { ...info, required: true };
  return textValue(full, options).register(fieldInfo, full);
}

/** An optional text field: null when absent. */
export function optionalText(info: Omit<FieldInfo, "required">, options: TextOptions = {}) {
  const full = { ...info, required: false };
  return textValue(full, options)
    .transform((v): string | null => v)
    .default(null)
    .register(fieldInfo, full);
}

// RFC 3339 date-time: the offset is mandatory, so a date means one instant wherever it is built.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ZONELESS = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/** Checks an RFC 3339 date-time (https://www.rfc-editor.org/rfc/rfc3339#section-5.6). */
export function checkDateTime(key: string, value: string, now: Date, report: Report): void {
  const m = RFC3339.exec(value);
  if (!m) {
    if (ZONELESS.test(value)) {
      report(`field "${key}" is "${value}", which has no UTC offset: expected an ISO 8601 date-time with an offset, e.g. ${suggestDate(value)}`);
    } else {
      report(`field "${key}" is "${value}", which is not a date-time: expected ISO 8601 with a UTC offset, e.g. 2024-10-22T09:30:00+09:00`);
    }
    return;
  }
  const [, y, mo, d, h, mi, s, , zone] = m;
  const time = Date.parse(value);
  const probe = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
  if (Number.isNaN(time) || probe.getUTCDate() !== +d! || probe.getUTCMonth() !== +mo! - 1 || +h! > 23 || +mi! > 59 || +s! > 59 || !validZone(zone!)) {
    report(`field "${key}" is "${value}", which is not a real date and time: expected ISO 8601 with a UTC offset, e.g. 2024-10-22T09:30:00+09:00`);
    return;
  }
  if (time > now.getTime()) {
    report(`field "${key}" is ${value}, which is in the future (the build ran at ${now.toISOString()}): expected the time the article was published`);
  }
}

function validZone(zone: string): boolean {
  if (zone === "Z") return true;
  const [h, m] = zone.slice(1).split(":").map(Number);
  return h! <= 23 && m! <= 59;
}

function suggestDate(value: string): string {
  const [day, time = "00:00:00"] = value.split(/[T ]/);
  const full = time.length === 5 ? `${time}:00` : time;
  return `${day}T${full}Z (UTC) or ${day}T${full}+09:00`;
}

interface ListOptions {
  /** Checks an item (cleaned); false drops it. `path` is the item's, for reports. */
  readonly item?: (value: string, report: Report, path: PropertyKey[]) => boolean;
}

/** A YAML list of text items, each once; an optional list is [] when absent. */
function listValue(info: FieldInfo, options: ListOptions) {
  const field = `field "${info.key}"`;
  return z.unknown().transform((raw, ctx): string[] => {
    const report = reporter(ctx);
    const valid = unreported(ctx);
    if (!Array.isArray(raw)) {
      report(`${field} must be a YAML list, got ${typeName(raw)}: expected ${info.expected}`);
      return z.NEVER;
    }
    if (raw.length === 0) {
      if (info.required) report(`${field} is empty: expected ${info.expected}`);
      return valid() ? [] : z.NEVER;
    }
    const out: string[] = [];
    raw.forEach((item: unknown, i) => {
      if (typeof item !== "string" || item.trim() === "") {
        const what = typeof item === "string" ? "empty" : typeName(item);
        report(`an item of "${info.key}" is ${what}: expected ${info.expected}`, { path: [i] });
        return;
      }
      const value = stripUnsafeChars(item.trim());
      if (options.item && !options.item(value, report, [i])) return;
      if (out.includes(value)) {
        report(`"${value}" is listed twice in "${info.key}": expected each once`, { path: [i] });
        return;
      }
      out.push(value);
    });
    return valid() ? out : z.NEVER;
  });
}

export function requiredList(info: Omit<FieldInfo, "required">, options: ListOptions = {}) {
  const full = { ...info, required: true };
  return listValue(full, options).register(fieldInfo, full);
}

export function optionalList(info: Omit<FieldInfo, "required">, options: ListOptions = {}) {
  const full = { ...info, required: false };
  return listValue(full, options).default([]).register(fieldInfo, full);
}

/** A true/false field, false when absent. */
export function flag(info: Omit<FieldInfo, "required" | "template">) {
  const full: FieldInfo = { ...info, required: false, template: { write: "no" } };
  return z
    .unknown()
    .transform((raw, ctx): boolean => {
      if (typeof raw === "boolean") return raw;
      reporter(ctx)(`field "${info.key}" is ${JSON.stringify(raw)}: expected ${info.expected}`);
      return z.NEVER;
    })
    .default(false)
    .register(fieldInfo, full);
}

/**
 * A field whose value is checked by `parse` (a list of sentences, of claims): `parse` reports
 * through `report` and returns the value, or null when it reported.
 */
export function custom<T>(
  info: Omit<FieldInfo, "required">,
  fallback: NoInfer<T>,
  parse: (raw: unknown, report: Report) => T | null,
) {
  const full = { ...info, required: false };
  return z
    .unknown()
    .transform((raw, ctx): T => {
      const report = reporter(ctx);
      const valid = unreported(ctx);
      const value = parse(raw, report);
      if (Array.isArray(raw)) {
        raw.forEach((item: unknown, i) => {
          if (typeof item === "string" && isPlaceholder(full, item.trim())) {
            report(placeholderMessage(`an item of "${info.key}"`, info.expected), { path: [i] });
          }
        });
      }
      return value === null || !valid() ? z.NEVER : value;
    })
    .default(fallback as never)
    .register(fieldInfo, full);
}
