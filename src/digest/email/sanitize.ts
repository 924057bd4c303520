/**
 * Making article text inert and bounded before it enters the digest email. Mustache's escaping
 * handles HTML syntax; this handles what escaping cannot: invisible controls, bidi overrides
 * that reorder the text around them, line breaks that would fake lines in the plain-text part,
 * and unbounded length (the email has a byte budget).
 */
import { stripUnsafeChars } from "../../model/safe-text.ts";

/**
 * C1 controls (U+0080–U+009F, e.g. NEL, which some clients treat as a line break): never
 * meaningful in article text. stripUnsafeChars covers C0, DEL, U+FFFE/FFFF and bidi controls.
 */
const C1_CONTROLS = /[\u0080-\u009F]/g;
const PLAIN_ASCII = /^(?! )(?:[\x21-\x7E]| (?! ))*$/;

/**
 * One line of inert text: lone surrogates replaced (they cannot be encoded as UTF-8), C0/C1
 * controls other than whitespace, DEL, U+FFFE/FFFF and bidi embeddings, overrides and isolates
 * (U+202A–202E, U+2066–2069; https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters)
 * removed, and every run of whitespace, line breaks included, made one space.
 */
export function cleanText(text: string): string {
  // Fast path for the common case, printable ASCII already single-spaced: nothing to change.
  if (PLAIN_ASCII.test(text)) return text;
  // NEL (U+0085) is a line break to some clients: whitespace, like the others.
  return stripUnsafeChars(text.toWellFormed())
    .replace(/[\s\u0085]+/g, " ")
    .replace(C1_CONTROLS, "")
    .trim();
}

/**
 * cleanText, then at most `max` code points, ending in "…" when cut (at a word boundary when
 * one is near). Code points, not graphemes: a grapheme can hold any number of combining marks,
 * and the cap exists to bound bytes.
 */
export function clip(text: string, max: number): string {
  const clean = cleanText(text);
  if (clean.length <= max) return clean; // UTF-16 length ≥ code points: no cut needed.
  const points = Array.from(clean);
  if (points.length <= max) return clean;
  let cut = points.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  if (space > cut.length * 0.8) cut = cut.slice(0, space);
  return `${cut.replace(/[\s.,;:–—-]+$/u, "")}…`;
}

/**
 * A copy of `view` with cleanText applied to every string in it, however deep. `keep` (the
 * base-URL slot of a stored digest's links) survives: it is split out, not cleaned. Content can
 * never carry it, since its control characters were stripped long before.
 */
export function sanitizeView<T>(view: T, keep?: string): T {
  const clean =
    keep === undefined ? cleanText : (s: string) => s.split(keep).map(cleanText).join(keep);
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return clean(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    // Mustache calls functions in a view as lambdas; a view never needs one.
    return typeof value === "function" ? undefined : value;
  };
  return walk(view) as T;
}
