/**
 * Reading what we need of an incoming message (Email Routing hands the Worker the raw RFC 5322
 * stream): its header block, read up to a bound, and one field's value, unfolded and with RFC
 * 2047 encoded words decoded. Nothing more: the unsubscribe handler needs the subject only.
 */
import { fromBase64 } from "../lib/base64.ts";

/** Header blocks longer than this are not read further (real ones are a few KB). */
export const MAX_HEADER_BYTES = 64 * 1024;

/**
 * The header block of a raw message (up to the first empty line, or `maxBytes`), as text. The
 * rest of the stream is not read.
 */
export async function readHeaderBlock(
  raw: ReadableStream<Uint8Array>,
  maxBytes = MAX_HEADER_BYTES,
): Promise<string> {
  const reader = raw.getReader();
  const decoder = new TextDecoder("utf-8");
  let text = "";
  let bytes = 0;
  try {
    while (bytes < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      text += decoder.decode(value, { stream: true });
      const end = /\r?\n\r?\n/.exec(text);
      if (end) return text.slice(0, end.index);
    }
    return text.slice(0, maxBytes);
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** The first field called `name` (any case), unfolded (RFC 5322 §2.2.3), or null. */
export function headerValue(block: string, name: string): string | null {
  const unfolded = block.replace(/\r?\n(?=[ \t])/g, "");
  const wanted = name.toLowerCase();
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted)
      return line.slice(colon + 1).trim();
  }
  return null;
}

function qBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const hex = text.slice(i + 1, i + 3);
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(c === "_" ? 0x20 : c.charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(out);
}

/**
 * RFC 2047 encoded words decoded (B and Q, any charset the runtime knows); white space between
 * two encoded words dropped (§6.2). A word that cannot be decoded is left as it is.
 */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?)/g, "$1")
    .replace(
      /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=/g,
      (word, charset: string, enc: string, text: string) => {
        const bytes = enc.toUpperCase() === "B" ? fromBase64(text) : qBytes(text);
        if (bytes === null) return word;
        try {
          return new TextDecoder(charset).decode(bytes);
        } catch {
          return word;
        }
      },
    );
}
