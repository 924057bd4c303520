/**
 * Property: whatever text goes into a message (random Unicode, lone surrogates, control
 * characters CR and LF among them, markup, `]]>`, things that look like encoded words, very
 * long words and lines), toMime (src/mail/mime.ts) gives a message that the strict reader in
 * test/helpers/mime.ts parses, with exactly the header fields written (none injected), no bare
 * CR or LF, no line over 998 characters, and header values and parts that decode to the input.
 *
 * The documented normalisation (src/mail/mime-header.ts, src/mail/mime.ts): in header values,
 * C0 and C1 control characters, DEL and U+FEFF become spaces, and lone surrogates U+FFFD; a
 * display name is trimmed and loses surrounding double quotes; bodies go in as they are, but
 * lone surrogates become U+FFFD (UTF-8 cannot carry them) and a leading U+FEFF is dropped (UTF-8
 * decoders take it for a byte order mark).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MailMessage } from "../../src/mail/message.ts";
import { toMime } from "../../src/mail/mime.ts";
import { parseMime } from "../helpers/mime.ts";

const headerNormal = (s: string) =>
  s.toWellFormed().replace(/[\u0000-\u001F\u007F-\u009F\uFEFF]/g, " ");
const bodyNormal = (s: string) => s.toWellFormed().replace(/^\uFEFF+/, "");

/** What the From header's display name must decode to (the rule above). */
function expectedDisplayName(name: string): string {
  let n = name.trim();
  const quoted = /^"((?:[^"\\]|\\.)*)"$/s.exec(n);
  if (quoted) n = quoted[1]!.replace(/\\(.)/gs, "$1");
  return headerNormal(n).trim();
}

/** Pieces hostile text is made of. */
const piece = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.constantFrom(
    "\r\n",
    "\r",
    "\n",
    "\r\n\r\n",
    "\t",
    "\u0000",
    "\u007F",
    "\u0085",
    "\u2028",
    "\uD800",
    "\uDFFF",
    "\uFEFF",
    "\u202E",
    "<script>alert(1)</script>",
    "<b>",
    "]]>",
    "=?",
    "?=",
    "=?utf-8?B?",
    "--",
    "Bcc: victim@example.net",
    '"',
    "\\",
    "<",
    ">",
    ",",
    ";",
    ":",
    " ",
    "  ",
    "é",
    "🇰🇵",
    "北朝鮮",
  ),
  fc.string({ unit: "binary-ascii", minLength: 70, maxLength: 1200 }),
);
const hostile = (maxLength: number) =>
  fc.array(piece, { maxLength }).map((parts) => parts.join(""));

const fieldName = fc.stringMatching(/^X-[A-Za-z0-9-]{1,20}$/);

const messages = fc.record({
  subject: hostile(8),
  fromName: hostile(5),
  text: hostile(20),
  html: hostile(20),
  extra: fc.uniqueArray(fc.tuple(fieldName, hostile(5)), {
    maxLength: 4,
    selector: ([name]) => name.toLowerCase(),
  }),
});

/** An RFC 2047 encoded word: a reader decodes one wherever it is written as is. */
const ENCODED_WORD = /=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=/;

describe("toMime, for any input", () => {
  it("gives a parseable message with no injected header and parts equal to the input", () => {
    fc.assert(
      fc.property(messages, ({ subject, fromName, text, html, extra }) => {
        const msg: MailMessage = {
          from: `${fromName} <digest@example.org>`,
          to: "reader@example.org",
          subject,
          text,
          html,
          headers: Object.fromEntries(extra),
          messageId: "<digest.2024-W43.0123456789abcdef@example.org>",
          date: new Date("2024-10-28T06:00:00Z"),
        };
        const raw = toMime(msg);

        // CRLF only, and lines within RFC 5322's hard limit.
        expect(raw.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
        for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(998);

        const mime = parseMime(raw);
        // Exactly the fields written, each once: nothing a value said became a header.
        expect(mime.rawHeaders.map(([name]) => name)).toEqual([
          "From",
          "To",
          "Subject",
          "Date",
          "Message-ID",
          "MIME-Version",
          ...extra.map(([name]) => name),
          "Content-Type",
        ]);
        expect(mime.header("Subject")).toBe(headerNormal(subject));
        const display = expectedDisplayName(fromName);
        expect(mime.header("From")).toBe(
          display === "" ? "digest@example.org" : `${display} <digest@example.org>`,
        );
        for (const [name, value] of extra) {
          // A structured value is written as is when printable ASCII: an encoded word typed
          // into it is one, and is decoded (only text like the Subject escapes "=?").
          if (!ENCODED_WORD.test(headerNormal(value)))
            expect(mime.header(name)).toBe(headerNormal(value));
        }
        expect(mime.parts.map((p) => p.contentType.mediaType)).toEqual(["text/plain", "text/html"]);
        expect(mime.parts[0]!.body).toBe(bodyNormal(text));
        expect(mime.parts[1]!.body).toBe(bodyNormal(html));
      }),
      { numRuns: 300 },
    );
  });
});
