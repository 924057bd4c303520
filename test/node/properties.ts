/**
 * Shared by the property-based tests on both sides (test/node and test/workers): hostile text to
 * feed the product, the stripping the product documents (written here independently of
 * src/model/safe-text.ts, so the tests do not take the product's word for it), and an HTML
 * reader (parse5, the WHATWG parsing algorithm browsers implement, not the htmlparser2 the
 * sanitizer itself parses with) that says whether markup could run script.
 *
 * Every property runs with a fixed seed and a few hundred cases: a failure prints its seed and
 * path, and reproduces.
 */
import fc from "fast-check";
import { type DefaultTreeAdapterMap, parseFragment } from "parse5";

/** fast-check's run parameters for every property: fast, deterministic, reproducible. */
export const PROPERTY_RUNS = { numRuns: 200, seed: 20_261_121 } as const;

/** Pieces that have broken feeds, pages and sanitizers before, mixed into random text. */
const HOSTILE_PIECES = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '"><svg onload=alert(1)>',
  "<a href=javascript:alert(1)>x</a>",
  "javascript:alert(1)",
  "]]>",
  "]]",
  "<![CDATA[",
  "<!--",
  "-->",
  "<?xml version='1.0'?>",
  "</title>",
  "</content:encoded>",
  "&",
  "&amp;",
  "&lt;",
  "&#0;",
  "&#x1F600;",
  "<",
  ">",
  '"',
  "'",
  "< 5%",
  "\u0000",
  "\u0007",
  "\u000b",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u2028",
  "\u2029",
  "\u202e",
  "\u2066",
  "\ufeff",
  "\ufffe",
  "\uffff",
  "\ud800",
  "\udfff",
  "\ud83d\ude00",
  "\u{10fffd}",
  "\r",
  "\r\n",
  "\n",
  "\t",
  " ",
];

/**
 * Random text as hostile as it gets: markup and `]]>`, every code unit (controls, lone
 * surrogates, U+FFFE), every code point (astral included), U+2028/2029, and plain letters.
 */
export function hostileText(constraints: { minLength?: number; maxLength?: number } = {}) {
  return fc.string({
    minLength: constraints.minLength ?? 0,
    maxLength: constraints.maxLength ?? 24,
    unit: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
      {
        weight: 2,
        arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      },
      { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
      { weight: 3, arbitrary: fc.constantFrom(..."abcdefghij XYZ 0123.,;:-") },
    ),
  });
}

/**
 * Characters a reader must see exactly as written, whatever each format does with them: markup
 * and reference syntax (and references typed literally, which must not be decoded), `]]>`,
 * quotes, emoji (astral, with skin tone and ZWJ sequences), combining marks (decomposed é,
 * stacked marks, a mark with nothing before it) and right-to-left text.
 */
const READER_PIECES = [
  "&",
  "<",
  ">",
  '"',
  "'",
  "]]>",
  "]]",
  "<![CDATA[",
  "&amp;",
  "&lt;",
  "&#38;",
  "&#x26;",
  "&nbsp;",
  "<b>",
  "</b>",
  "<script>x</script>",
  "R&D",
  "Q&A",
  "AT&T",
  "< 5%",
  "a>b",
  "\u{1F600}",
  "\u{1F469}\u{1F3FD}\u200D\u{1F4BB}",
  "\u{1F1FA}\u{1F1E6}",
  "e\u0301",
  "\u0301",
  "a\u0308\u0323",
  "\u05E9\u05DC\u05D5\u05DD",
  "\u0645\u0631\u062D\u0628\u0627",
  "\u200F",
  " ",
];

/**
 * Random text of the pieces above and plain letters, on one line, trimmed and not blank, as the
 * content build loads a plain-text field (it refuses markup in them, but the renderers must not
 * depend on that).
 */
export function readerText(constraints: { maxLength?: number } = {}) {
  return fc
    .string({
      minLength: 1,
      maxLength: constraints.maxLength ?? 16,
      unit: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...READER_PIECES) },
        { weight: 2, arbitrary: fc.constantFrom(..."abcXYZ019 .,;:-") },
      ),
    })
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

/**
 * Text as an HTML page or an email shows it: runs of white space are one space, none at the ends
 * (CSS white-space: normal; the email's cleanText does the same to what it puts in).
 */
export function shownAsHtml(text: string): string {
  return text.replace(/[\t\n\f\r ]+/g, " ").trim();
}

/**
 * The stripping the product documents (src/model/safe-text.ts), implemented again: code points
 * XML 1.0 does not allow (§2.2 Char: C0 controls but tab, LF, CR; surrogates, which a lone
 * surrogate is; U+FFFE, U+FFFF), DEL, and the bidi embedding, override and isolate controls.
 */
export function documentedStripping(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const xmlChar =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000;
    const stripped = c === 0x7f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    if (xmlChar && !stripped) out += ch;
  }
  return out;
}

/** Every code point in `text` that XML 1.0 (§2.2) does not allow in a document, as U+XXXX. */
export function nonXmlChars(text: string): string[] {
  const bad = text.match(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu) ?? [];
  return bad.map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
}

/**
 * Line breaks as an XML or HTML parser reads them: CR LF and a lone CR become LF (XML 1.0 §2.11,
 * HTML §13.2.3.5), so that is what a reader gets back for a CR in a field.
 */
export function asParsed(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

type Node = DefaultTreeAdapterMap["childNode"];
type Element = DefaultTreeAdapterMap["element"];

function isElement(node: Node): node is Element {
  return "tagName" in node;
}

function walk(nodes: readonly Node[], visit: (node: Node) => void): void {
  for (const node of nodes) {
    visit(node);
    if (isElement(node)) walk(node.childNodes, visit);
    if (node.nodeName === "template")
      walk((node as DefaultTreeAdapterMap["template"]).content.childNodes, visit);
  }
}

export interface HtmlElement {
  readonly name: string;
  readonly attrs: ReadonlyMap<string, string>;
  /** Its text content, character references decoded. */
  readonly text: string;
}

function textContent(nodes: readonly Node[]): string {
  let text = "";
  walk(nodes, (n) => {
    if (n.nodeName === "#text") text += (n as DefaultTreeAdapterMap["textNode"]).value;
  });
  return text;
}

/**
 * The fragment a browser parses: bytes on the wire are UTF-8, in which a lone surrogate can only
 * arrive as U+FFFD (and parse5 itself cannot take one).
 */
function parse(html: string) {
  return parseFragment(html.toWellFormed());
}

/** Every element of an HTML fragment, in document order, as a browser's parser builds them. */
export function htmlElements(html: string): HtmlElement[] {
  const elements: HtmlElement[] = [];
  walk(parse(html).childNodes, (n) => {
    if (!isElement(n)) return;
    elements.push({
      name: n.tagName,
      attrs: new Map(n.attrs.map((a) => [a.prefix ? `${a.prefix}:${a.name}` : a.name, a.value])),
      text: textContent(n.childNodes),
    });
  });
  return elements;
}

/** What a reader shows for HTML text: the fragment's text content, references decoded. */
export function htmlToText(html: string): string {
  return textContent(parse(html).childNodes);
}

/** Elements that show text, structure or images and nothing else. Anything else is suspect. */
const HARMLESS_ELEMENTS = new Set(
  (
    "p br hr h1 h2 h3 h4 h5 h6 blockquote ul ol li dl dt dd em strong b i u s small mark code " +
    "pre kbd samp var a img figure figcaption table caption thead tbody tfoot tr th td col " +
    "colgroup sup sub del ins abbr cite q span div time"
  ).split(" "),
);
/** Attributes whose value is a URL (or, for srcset, URLs) a browser would fetch or follow. */
const URL_ATTRIBUTES = new Set(["href", "src", "cite", "poster", "background", "action", "data"]);
const SAFE_SCHEMES = new Set(["http", "https", "mailto"]);
const SCRIPT_ATTRIBUTES = new Set(["style", "srcdoc", "formaction", "xlink:href", "is"]);

/** The scheme a browser would see: it ignores leading controls and spaces, and tabs and newlines anywhere. */
function schemeOf(url: string): string | null {
  const cleaned = url.replace(/^[\u0000-\u0020]+/, "").replace(/[\t\n\r]/g, "");
  return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned)?.[1]?.toLowerCase() ?? null;
}

/** The URLs of a srcset, as HTML splits it: whitespace-separated, trailing commas dropped. */
function srcsetUrls(srcset: string): string[] {
  return srcset
    .split(/,\s+|,(?=\S)/)
    .map((candidate) => candidate.trim().split(/\s+/)[0]!.replace(/,+$/, ""))
    .filter((url) => url !== "");
}

/** Every URL in the fragment's URL-bearing attributes, references decoded. */
export function htmlUrls(html: string): { element: string; attribute: string; url: string }[] {
  return htmlElements(html).flatMap((el) =>
    [...el.attrs].flatMap(([attribute, value]) =>
      attribute === "srcset"
        ? srcsetUrls(value).map((url) => ({ element: el.name, attribute, url }))
        : URL_ATTRIBUTES.has(attribute)
          ? [{ element: el.name, attribute, url: value }]
          : [],
    ),
  );
}

/**
 * Why `html` could run script in a browser that renders it, one line a reason; empty when it is
 * inert: only harmless elements, no event handler or style, no URL with a scheme other than
 * http, https or mailto (javascript:, data:, vbscript: …).
 */
export function scriptHazards(html: string): string[] {
  const hazards: string[] = [];
  for (const el of htmlElements(html)) {
    if (!HARMLESS_ELEMENTS.has(el.name)) hazards.push(`element <${el.name}>`);
    for (const name of el.attrs.keys()) {
      if (name.startsWith("on") || SCRIPT_ATTRIBUTES.has(name)) {
        hazards.push(`attribute ${name} on <${el.name}>`);
      }
    }
  }
  for (const { element, attribute, url } of htmlUrls(html)) {
    const scheme = schemeOf(url);
    if (scheme !== null && !SAFE_SCHEMES.has(scheme)) {
      hazards.push(`${scheme}: URL in ${attribute} on <${element}>: ${JSON.stringify(url)}`);
    }
  }
  return hazards;
}
