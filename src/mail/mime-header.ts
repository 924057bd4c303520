/**
 * Header fields of outgoing mail, written so that no field value can break the header:
 *
 * - Every value is header text first (`headerText`): C0 and C1 control characters (CR and LF
 *   among them), DEL and U+FEFF become a space, and lone surrogates U+FFFD. A value can
 *   therefore never end its line and start a header (or the body) of its own.
 * - Text that is plain ASCII words between single spaces is written as it is, folded at spaces
 *   into lines of at most 76 characters where the words allow (RFC 5322 §2.2.3; RFC 2047 §2
 *   asks 76 of lines with encoded words, and the same limit keeps every line well under 998).
 * - Anything else (non-ASCII, leading, trailing or repeated spaces, in text "=?" that a reader
 *   would take for an encoded word, a word too long for a line) is written as RFC 2047 encoded
 *   words (`=?utf-8?B?…?=`), each at most 75 characters and holding whole characters, folded
 *   between them, so a reader that decodes them gets back exactly the header text.
 */
import { toBase64 } from "../lib/base64.ts";

/** RFC 2047 §2: a header line that holds encoded words is at most 76 characters long. */
const LINE = 76;
/** RFC 5322 §2.1.1: no line of a message may be longer than 998 characters. */
const HARD_LINE = 998;
const CRLF = "\r\n";
const ENCODED_WORD_OVERHEAD = "=?utf-8?B?".length + "?=".length;

// U+FEFF too: at the start of an encoded word, UTF-8 decoders take it for a byte order mark and
// drop it, so it could not be read back.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\uFEFF]/g;
/** Printable ASCII words separated by single spaces (or nothing at all). */
const PLAIN = /^(?:[\x21-\x7E]+(?: [\x21-\x7E]+)*)?$/;
/** An RFC 5322 phrase of atoms (atext, §3.2.3) between single spaces: a display name as is. */
const ATOMS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** A field name: printable ASCII but the colon (RFC 5322 §3.6.8). */
const FIELD_NAME = /^[\x21-\x39\x3B-\x7E]+$/;
/**
 * An address we send to or from: dot-atom local part (RFC 5322 §3.4.1), which may hold UTF-8
 * letters (RFC 6532 §3.2, for SMTPUTF8 recipients such as josé@…, which sign-up accepts only
 * for transports that carry them), and an ASCII domain (IDNs arrive as punycode).
 */
const ATEXT = "(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|(?![\\p{Cc}\\p{Cf}\\p{Z}\\p{Cs}])[^\\x00-\\x7F])+";
const ADDRESS = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*$`, "u");

const encoder = new TextEncoder();

/**
 * What of `value` goes into a header: control characters (C0, DEL, C1: CR and LF among them)
 * and U+FEFF become spaces, lone surrogates U+FFFD. Exported so the HTTP transport, which hands
 * headers to the provider as JSON, applies the same rule.
 */
export function headerText(value: string): string {
  return value.toWellFormed().replace(CONTROL, " ");
}

export function isFieldName(name: string): boolean {
  return FIELD_NAME.test(name);
}

export function isPlainAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}

/**
 * `text` as encoded words of at most `firstBytes` (then `bytes`) UTF-8 bytes each, never
 * splitting a character (RFC 2047 §5: each encoded word holds whole characters).
 */
function encodedWords(text: string, firstBytes: number, bytes: number): string[] {
  const words: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of text) {
    const n = encoder.encode(ch).length;
    const limit = words.length === 0 ? firstBytes : bytes;
    if (size + n > limit && current !== "") {
      words.push(current);
      current = "";
      size = 0;
    }
    current += ch;
    size += n;
  }
  if (current !== "" || words.length === 0) words.push(current);
  return words.map((w) => `=?utf-8?B?${toBase64(w)}?=`);
}

/** Bytes an encoded word may carry in `room` characters (4 base64 characters per 3 bytes). */
function bytesFor(room: number): number {
  return Math.floor((room - ENCODED_WORD_OVERHEAD) / 4) * 3;
}

/** `Name: value` folded at the spaces of a plain value. */
function foldPlain(name: string, value: string): string {
  const words = value.split(" ");
  let line = `${name}:`;
  const lines: string[] = [];
  for (const [i, word] of words.entries()) {
    if (i > 0 && line.length + 1 + word.length > LINE) {
      lines.push(line);
      line = "";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join(CRLF);
}

/** `Name: =?utf-8?B?…?=` with one encoded word per line. */
function foldEncoded(name: string, text: string): string {
  const firstRoom = LINE - name.length - 2;
  // A very long field name leaves no room on its own line: the first word goes on the next.
  const first = bytesFor(firstRoom) >= 12 ? bytesFor(firstRoom) : bytesFor(LINE - 1);
  const words = encodedWords(text, first, bytesFor(LINE - 1));
  const head = bytesFor(firstRoom) >= 12 ? `${name}: ${words[0]}` : `${name}:${CRLF} ${words[0]}`;
  return [head, ...words.slice(1).map((w) => ` ${w}`)].join(CRLF);
}

/** A word that cannot fit a line even on a line of its own. */
function hasOverlongWord(name: string, text: string): boolean {
  return text.split(" ").some((w) => w.length > HARD_LINE - name.length - 2);
}

/**
 * Text (Subject): written as is only when it is plain and holds no "=?", which a reader would
 * try to decode; else as encoded words. `name` must be a field name (else this throws).
 */
export function textField(name: string, value: string): string {
  if (!isFieldName(name)) throw new Error(`not a header field name: ${JSON.stringify(name)}`);
  const text = headerText(value);
  const plain = PLAIN.test(text) && !text.includes("=?") && !hasOverlongWord(name, text);
  return plain ? foldPlain(name, text) : foldEncoded(name, text);
}

/**
 * A structured value the caller built (List-Unsubscribe, List-Id): printable ASCII is written
 * as is, folded at its spaces, encoded words included (that is how a caller puts non-ASCII text
 * in a phrase: see phrase()). Anything else cannot be a well-formed structured value, and is
 * written as encoded words like text, so it still cannot break the header.
 */
export function structuredField(name: string, value: string): string {
  if (!isFieldName(name)) throw new Error(`not a header field name: ${JSON.stringify(name)}`);
  const text = headerText(value);
  const plain = PLAIN.test(text) && !hasOverlongWord(name, text);
  return plain ? foldPlain(name, text) : foldEncoded(name, text);
}

/**
 * A display name as an RFC 5322 phrase: atoms as they are, anything else as encoded words
 * (RFC 2047 §5 (3) allows them in a phrase), the first fitting in `firstRoom` characters.
 * Exported for structured values built elsewhere (List-Id's description).
 */
export function phrase(name: string, firstRoom = LINE - 1): string {
  const text = headerText(name);
  if (ATOMS.test(text) && !text.includes("=?")) return text;
  const first = Math.max(bytesFor(firstRoom), 3);
  return encodedWords(text, first, bytesFor(LINE - 1)).join(" ");
}

/** `Name <address>` or a bare address, split; the name unquoted. */
export function parseMailbox(value: string): { name: string; address: string } {
  const m = /^(.*)<([^<>]*)>\s*$/s.exec(value);
  if (!m) return { name: "", address: value.trim() };
  let name = m[1]!.trim();
  const quoted = /^"((?:[^"\\]|\\.)*)"$/s.exec(name);
  if (quoted) name = quoted[1]!.replace(/\\(.)/gs, "$1");
  return { name, address: m[2]!.trim() };
}

/**
 * A mailbox header (From, To): `phrase <address>`, or the bare address when there is no name.
 * The address must be a plain ASCII address: anything else throws, naming the field.
 */
export function mailboxField(field: string, value: string): string {
  const { name, address } = parseMailbox(value);
  if (!isPlainAddress(address))
    throw new Error(
      `${field} address ${JSON.stringify(address)} is not an address we can send with: expected local-part@domain in ASCII`,
    );
  const display = headerText(name).trim();
  if (display === "") return `${field}: ${address}`;
  const words = phrase(display, LINE - field.length - 2).split(" ");
  // Fold between the phrase's words, and before the address when the line is full.
  return foldPlain(field, [...words, `<${address}>`].join(" "));
}

/** RFC 5322 §3.3 date-time in UTC: `Mon, 28 Oct 2024 06:00:00 +0000`. */
export function rfc5322Date(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error("Date is not a valid time");
  return date.toUTCString().replace(/ GMT$/, " +0000");
}

export function dateField(date: Date): string {
  return `Date: ${rfc5322Date(date)}`;
}

/** Message-ID: `<left@right>` with no spaces or angle brackets inside (RFC 5322 §3.6.4). */
export function messageIdField(messageId: string): string {
  if (!/^<[\x21-\x3B\x3D\x3F-\x7E]+@[\x21-\x3B\x3D\x3F-\x7E]+>$/.test(messageId))
    throw new Error(`Message-ID ${JSON.stringify(messageId)} is not <id@domain>`);
  return `Message-ID: ${messageId}`;
}
