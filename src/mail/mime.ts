/**
 * The raw RFC 5322 form of a MailMessage: multipart/alternative (RFC 2046 §5.1.4) with the
 * plain-text part first, each part UTF-8 and base64 (RFC 2045 §6.8) in lines of 76 characters.
 *
 * Written here rather than with a MIME library because every byte must be what it declares and
 * the same on every retry: the parts are encoded as they are labelled, the header fields are
 * encoded and folded so no value can inject a line (mime-header.ts), and the boundary is derived
 * from the Message-ID, so the same message always gives the same bytes (a provider compares a
 * retried request with the first one under its idempotency key).
 *
 * Bodies go in exactly as given (base64 carries any bytes, bare LF included), but for two
 * things a UTF-8 reader could not give back: lone surrogates become U+FFFD, and U+FEFF at the
 * very start is dropped (decoders take it for a byte order mark and drop it themselves).
 */
import { toBase64 } from "../lib/base64.ts";
import type { MailMessage } from "./message.ts";
import {
  dateField,
  isFieldName,
  mailboxField,
  messageIdField,
  structuredField,
  textField,
} from "./mime-header.ts";

const CRLF = "\r\n";
/** RFC 2045 §6.8: encoded lines are at most 76 characters. */
const BASE64_LINE = 76;

/** Headers toMime writes itself; an extra header may not repeat them. */
const RESERVED = new Set([
  "from",
  "to",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
]);

const encoder = new TextEncoder();

/** Base64 of the UTF-8 bytes of `text`, in CRLF-separated lines of 76 characters. */
export function base64Lines(text: string): string {
  const b64 = toBase64(text);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += BASE64_LINE) lines.push(b64.slice(i, i + BASE64_LINE));
  return lines.join(CRLF);
}

/** FNV-1a (64-bit) of `text`, as 16 hex digits: a short, stable name for a boundary. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const b of encoder.encode(text)) {
    hash ^= BigInt(b);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

/**
 * The multipart boundary. "=_" cannot occur in base64 (nor in quoted-printable as "=_"), so no
 * line of an encoded part can ever be mistaken for a delimiter (RFC 2046 §5.1.1).
 */
function boundaryFor(msg: MailMessage): string {
  return `=_alt_${fnv1a64(`${msg.messageId}\n${msg.to}`)}`;
}

function part(mediaType: string, body: string): string {
  return [
    `Content-Type: ${mediaType}; charset=utf-8`,
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(body.replace(/^\uFEFF+/, "")),
  ].join(CRLF);
}

/** Every header field of the message, folded, in order. Throws on a bad address or name. */
function headerLines(msg: MailMessage, boundary: string): string[] {
  const extra = Object.entries(msg.headers).map(([name, value]) => {
    if (!isFieldName(name) || RESERVED.has(name.toLowerCase()))
      throw new Error(
        `extra header ${JSON.stringify(name)}: expected a field name other than ${[...RESERVED].join(", ")}`,
      );
    return structuredField(name, value);
  });
  return [
    mailboxField("From", msg.from),
    mailboxField("To", msg.to),
    textField("Subject", msg.subject),
    dateField(msg.date),
    messageIdField(msg.messageId),
    "MIME-Version: 1.0",
    ...extra,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
}

/** The raw message, CRLF line ends throughout. The same message always gives the same bytes. */
export function toMime(msg: MailMessage): string {
  const boundary = boundaryFor(msg);
  return [
    ...headerLines(msg, boundary),
    "",
    `--${boundary}`,
    part("text/plain", msg.text),
    `--${boundary}`,
    part("text/html", msg.html),
    `--${boundary}--`,
    "",
  ].join(CRLF);
}
