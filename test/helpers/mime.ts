/**
 * A small, strict reader of RFC 5322 messages and their MIME structure (RFC 2045–2047), for the
 * tests: independent of src/mail/mime.ts, which writes the messages. No MIME parser in node_modules runs
 * in workerd (postal-mime exists only bundled inside miniflare), so this reads what the tests
 * need, structurally rather than by string matching: unfolded headers, RFC 2047 encoded words,
 * Content-Type parameters, nested multipart bodies, and the base64, quoted-printable, 7bit and
 * 8bit transfer encodings. Anything it cannot read as declared is an error, never a guess.
 */

export interface ContentType {
  /** `type/subtype`, lower case. */
  readonly mediaType: string;
  /** Parameter names lower case; values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

export interface MimePart {
  /** Every header in order, names as written, values unfolded but not decoded. */
  readonly rawHeaders: readonly (readonly [name: string, value: string])[];
  /** The first header called `name` (any case), RFC 2047 encoded words decoded; null if absent. */
  header(name: string): string | null;
  /** Every header called `name`, decoded. */
  headers(name: string): string[];
  readonly contentType: ContentType;
  /** Lower case; `7bit` when absent (RFC 2045 §6.1). */
  readonly transferEncoding: string;
  /** The parts of a multipart entity, in order; empty otherwise. */
  readonly parts: readonly MimePart[];
  /**
   * A leaf's body with its transfer encoding and charset undone ("" for multipart). Decoded when
   * read, so a body that is not what its headers declare throws here, not while reading headers.
   */
  readonly body: string;
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

function bytesToText(bytes: Uint8Array, charset: string): string {
  // fatal: bytes that are not valid in the declared charset are an error, not U+FFFD.
  return new TextDecoder(charset, { fatal: true, ignoreBOM: false }).decode(bytes);
}

function decodeBase64(text: string, where: string): Uint8Array {
  const compact = text.replace(/[\r\n\t ]+/g, "");
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) {
    throw new Error(
      `${where} is declared base64 but is not base64: ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
  return Uint8Array.from(atob(compact), (c) => c.charCodeAt(0));
}

function decodeQuotedPrintable(text: string, where: string, underscoreIsSpace = false): Uint8Array {
  const out: number[] = [];
  const source = underscoreIsSpace
    ? text
    : text.replace(/[ \t]+(?=\r?\n)/g, "").replace(/=\r?\n/g, "");
  const bytes = new TextEncoder().encode(source);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x3d /* = */) {
      const hex = String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex))
        throw new Error(`${where}: bad quoted-printable escape "=${hex}"`);
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (underscoreIsSpace && b === 0x5f /* _ */) {
      out.push(0x20);
    } else {
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/** RFC 2047: encoded words decoded; whitespace between two adjacent encoded words dropped. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?)/g, "$1")
    .replace(ENCODED_WORD, (_, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === "B"
          ? decodeBase64(text, "an encoded word")
          : decodeQuotedPrintable(text, "an encoded word", true);
      return bytesToText(bytes, charset);
    });
}

/** `type/subtype; name=value; name="quoted value"` (RFC 2045 §5.1). */
export function parseContentType(value: string | null): ContentType {
  if (value === null) return { mediaType: "text/plain", params: { charset: "us-ascii" } };
  const [head, ...rest] = splitParams(value);
  const mediaType = head!.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mediaType))
    throw new Error(`not a media type: ${JSON.stringify(value)}`);
  const params: Record<string, string> = {};
  for (const p of rest) {
    const m = /^\s*([^=\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s";]+))\s*$/.exec(p);
    if (!m)
      throw new Error(
        `bad Content-Type parameter ${JSON.stringify(p)} in ${JSON.stringify(value)}`,
      );
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]!;
  }
  return { mediaType, params };
}

/** Splits at semicolons outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\" && quoted) {
      current += c + (value[++i] ?? "");
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ";" && !quoted) {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out.filter((p, i) => i === 0 || p.trim() !== "");
}

function parseHeaderBlock(block: string): [string, string][] {
  const headers: [string, string][] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      // Unfolding (RFC 5322 §2.2.3): a line that starts with white space continues the previous one.
      const last = headers.at(-1);
      if (!last) throw new Error(`a continuation line before any header: ${JSON.stringify(line)}`);
      last[1] += line;
      continue;
    }
    const m = /^([\x21-\x39\x3b-\x7e]+):[ \t]*(.*)$/.exec(line);
    if (!m) throw new Error(`not a header line: ${JSON.stringify(line)}`);
    headers.push([m[1]!, m[2]!]);
  }
  return headers.map(([name, value]) => [name, value.trim()]);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The body parts between `--boundary` lines, up to the closing `--boundary--` (RFC 2046 §5.1.1). */
function splitMultipart(body: string, boundary: string, where: string): string[] {
  const delimiter = new RegExp(
    `(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?:\\r?\\n|$)`,
    "g",
  );
  const parts: string[] = [];
  let start: number | null = null;
  for (const m of body.matchAll(delimiter)) {
    if (start !== null) parts.push(body.slice(start, m.index));
    if (m[1] === "--") return parts;
    start = m.index! + m[0].length;
  }
  throw new Error(`${where}: multipart body has no closing --${boundary}-- delimiter`);
}

/** Reads a raw message (or body part); `where` names it in errors. */
export function parseMime(raw: string, where = "the message"): MimePart {
  const split = /\r?\n\r?\n/.exec(raw);
  if (!split) throw new Error(`${where}: no empty line between the header and the body`);
  const rawHeaders = parseHeaderBlock(raw.slice(0, split.index));
  const rawBody = raw.slice(split.index + split[0].length);
  const all = (name: string) =>
    rawHeaders
      .filter(([n]) => n.toLowerCase() === name.toLowerCase())
      .map(([, v]) => decodeEncodedWords(v));
  const contentType = parseContentType(
    rawHeaders.find(([n]) => n.toLowerCase() === "content-type")?.[1] ?? null,
  );
  const transferEncoding = (all("Content-Transfer-Encoding")[0] ?? "7bit").toLowerCase();
  const multipart = contentType.mediaType.startsWith("multipart/");
  let parts: MimePart[] = [];
  if (multipart) {
    const boundary = contentType.params.boundary;
    if (!boundary) throw new Error(`${where}: ${contentType.mediaType} without a boundary`);
    parts = splitMultipart(rawBody, boundary, where).map((p, i) =>
      parseMime(p, `${where}, part ${i + 1}`),
    );
  } else if (!["base64", "quoted-printable", "7bit", "8bit", "binary"].includes(transferEncoding)) {
    throw new Error(`${where}: unknown Content-Transfer-Encoding ${transferEncoding}`);
  }
  const decodeBody = (): string => {
    if (multipart) return "";
    const charset = contentType.params.charset ?? "us-ascii";
    if (transferEncoding === "base64") return bytesToText(decodeBase64(rawBody, where), charset);
    if (transferEncoding === "quoted-printable")
      return bytesToText(decodeQuotedPrintable(rawBody, where), charset);
    return rawBody;
  };
  return {
    rawHeaders,
    header: (name) => all(name)[0] ?? null,
    headers: all,
    contentType,
    transferEncoding,
    parts,
    get body() {
      return decodeBody();
    },
  };
}

/** The address inside a mailbox header value: `Name <a@b>` or `<a@b>` or `a@b`. */
export function mailboxAddress(value: string | null): string | null {
  if (value === null) return null;
  return (/<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value)?.[1] ?? value.trim()) || null;
}

/** The angle-bracketed URIs of a List-Unsubscribe header (RFC 2369). */
export function listUnsubscribeUris(value: string | null): string[] {
  return value === null ? [] : [...value.matchAll(/<([^<>]+)>/g)].map((m) => m[1]!);
}

/** Every http(s) URL in plain text. */
export function urlsInText(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)].map((m) => m[0].replace(/[.,;:]+$/, ""));
}

/** Every `<a href>` of an HTML document, read with the runtime's HTML parser (HTMLRewriter). */
export async function linksInHtml(html: string): Promise<string[]> {
  const hrefs: string[] = [];
  await new HTMLRewriter()
    .on("a[href]", {
      element(el) {
        // Attribute values come as written: undo the character references a URL can need.
        hrefs.push(
          el
            .getAttribute("href")!
            .replace(
              /&(amp|quot|#39|lt|gt);/g,
              (_, e: string) => ({ amp: "&", quot: '"', "#39": "'", lt: "<", gt: ">" })[e]!,
            ),
        );
      },
    })
    .transform(new Response(html))
    .text();
  return hrefs;
}
