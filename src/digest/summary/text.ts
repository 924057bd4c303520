/**
 * Plain text from the sanitized article HTML the content build produced, split into the blocks
 * and sentences the summarizer ranks. Works on that known, allowlisted HTML only.
 */

export type BlockKind = "paragraph" | "quote" | "caption" | "heading" | "item";

export interface Block {
  readonly kind: BlockKind;
  readonly text: string;
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X"
          ? parseInt(name.slice(2), 16)
          : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function stripTags(html: string): string {
  return decodeEntities(html.replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, ""))
    .replace(/\s+/g, " ")
    .trim();
}

/** The article's blocks in order: paragraphs, quotes (inside blockquote), captions, headings. */
export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  const re = /<blockquote>([\s\S]*?)<\/blockquote>|<(p|h[2-4]|li)>([\s\S]*?)<\/\2>/gi;
  for (const m of html.matchAll(re)) {
    if (m[1] !== undefined) {
      for (const inner of m[1].matchAll(/<p>([\s\S]*?)<\/p>/gi)) {
        const text = stripTags(inner[1]!);
        if (text) blocks.push({ kind: "quote", text });
      }
      continue;
    }
    const tag = m[2]!.toLowerCase();
    const inner = m[3]!.trim();
    const text = stripTags(inner);
    if (!text) continue;
    // A paragraph that is wholly italic is a photo caption or a credit, not reporting.
    const kind: BlockKind =
      tag === "li"
        ? "item"
        : tag.startsWith("h")
          ? "heading"
          : /^<em>[\s\S]*<\/em>$/.test(inner)
            ? "caption"
            : "paragraph";
    blocks.push({ kind, text });
  }
  return blocks;
}

const ABBREVIATIONS = new Set(
  "mr mrs ms dr prof gen col lt sgt capt adm maj st jr sr rep sen gov jan feb mar apr jun jul aug sep sept oct nov dec no vs etc approx dept est fig inc ltd co corp".split(
    " ",
  ),
);

/**
 * Splits text into sentences at `.`, `!` or `?` (with any closing quotes) followed by a space
 * and a capital, digit or opening quote, except after an abbreviation or an initial (U.S.).
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const re = /[.!?]["”’')\]]*\s+(?=["“‘'([]?[\p{Lu}\d])/gu;
  let start = 0;
  for (const m of text.matchAll(re)) {
    const end = m.index! + m[0].trimEnd().length;
    const before = text.slice(start, m.index! + 1);
    const lastWord = /([\p{L}.]+)\.$/u.exec(before)?.[1] ?? "";
    if (
      m[0][0] === "." &&
      (ABBREVIATIONS.has(lastWord.toLowerCase()) || /^(?:\p{L}\.)*\p{L}$/u.test(lastWord))
    )
      continue;
    const sentence = text.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = m.index! + m[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

export function countWords(text: string): number {
  const m = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.,:-]*/gu);
  return m ? m.length : 0;
}
