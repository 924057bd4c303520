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
 * What the slow path below would change in a string that is not PLAIN_ASCII: a character it
 * strips (C0/C1 controls, DEL, U+FFFE/FFFF, bidi controls), whitespace other than a single space
 * (\s: tab, line breaks, NBSP, U+1680, U+2000–200A, U+2028/2029, U+202F, U+205F, U+3000,
 * U+FEFF), or a space at either end. Lone surrogates are checked apart (isWellFormed).
 */
const NEEDS_CLEANING =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001F\u007F-\u00A0\u1680\u2000-\u200A\u2028-\u202F\u205F\u2066-\u2069\u3000\uFEFF\uFFFE\uFFFF]| {2}|^ | $/;

/**
 * One line of inert text: lone surrogates replaced (they cannot be encoded as UTF-8), C0/C1
 * controls other than whitespace, DEL, U+FFFE/FFFF and bidi embeddings, overrides and isolates
 * (U+202A–202E, U+2066–2069; https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters)
 * removed, and every run of whitespace, line breaks included, made one space.
 */
export function cleanText(text: string): string {
  // Fast path for the common case, printable ASCII already single-spaced: nothing to change.
  if (PLAIN_ASCII.test(text)) return text;
  // The same for any other text the slow path would leave as it is (most non-English text).
  if (!NEEDS_CLEANING.test(text) && text.isWellFormed()) return text;
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
    keep === undefined
      ? cleanText
      : (s: string) => (s.includes(keep) ? s.split(keep).map(cleanText).join(keep) : cleanText(s));
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return clean(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") {
      // A plain copy of its own enumerable properties, as Object.fromEntries(Object.entries()).
      const copy: Record<string, unknown> = {};
      for (const k of Object.keys(value)) {
        const v = walk((value as Record<string, unknown>)[k]);
        if (k === "__proto__")
          Object.defineProperty(copy, k, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else copy[k] = v;
      }
      return copy;
    }
    // Mustache calls functions in a view as lambdas; a view never needs one.
    return typeof value === "function" ? undefined : value;
  };
  return walk(view) as T;
}
