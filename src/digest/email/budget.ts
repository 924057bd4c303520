/**
 * The digest email's byte budget, and how a piece of its HTML counts against it.
 */
import { BASE_URL_SLOT, UNSUBSCRIBE_SLOT } from "./slots.ts";

/**
 * Gmail clips HTML over about 102 KB behind "[Message clipped] View entire message", hiding the
 * footer and its unsubscribe link; the exact point varies with the transfer encoding
 * (https://www.spamresource.com/2022/01/what-is-gmail-clipping-and-what-to-do.html). Budget
 * below it, as UTF-8 bytes with the slot filled by an unsubscribe URL of BUDGET_URL_LENGTH.
 */
export const HTML_BUDGET_BYTES = 100_000;
const BUDGET_URL_LENGTH = 300; // an unsubscribe URL of 300 characters
const BUDGET_BASE_LENGTH = 100; // a 100-character BASE_URL

/** Extra UTF-8 bytes of each ASCII character once HTML-escaped as Mustache does (& < > " ' / ` =). */
const ESCAPE_EXTRA = new Uint8Array(128);
for (const [c, entity] of Object.entries({
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "/": "&#x2F;",
  "`": "&#x60;",
  "=": "&#x3D;",
}))
  ESCAPE_EXTRA[c.charCodeAt(0)] = entity.length - 1;

const SLOT_MARK = 0x1a; // both slots start with U+001A, which content cannot hold

const occurrences = (text: string, slot: string) => text.split(slot).length - 1;

/**
 * The budget weight of a piece of the HTML: its UTF-8 bytes (HTML-escaped first when `escape`;
 * a lone surrogate counts as the 3 bytes of the U+FFFD that replaces it), with every slot counted
 * at the length of the URL it stands for (plain ASCII). Additive over the pieces the HTML is
 * made of, so the measure of a view is the weight of its HTML: every view string is well formed
 * and holds U+001A only inside whole slots (sanitize.ts), and the template text holds neither a
 * lone surrogate nor U+001A, so no surrogate pair or slot spans two pieces.
 */
export function budgetWeight(text: string, escape: boolean): number {
  let bytes = text.length;
  let slots = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (escape) bytes += ESCAPE_EXTRA[c]!;
      if (c === SLOT_MARK) slots = true;
    } else if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 code units
      i++;
    } else {
      bytes += 2;
    }
  }
  if (slots) {
    bytes +=
      occurrences(text, UNSUBSCRIBE_SLOT) * (BUDGET_URL_LENGTH - UNSUBSCRIBE_SLOT.length) +
      occurrences(text, BASE_URL_SLOT) * (BUDGET_BASE_LENGTH - BASE_URL_SLOT.length);
  }
  return bytes;
}
