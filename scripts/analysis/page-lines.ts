/**
 * An article body as the lines an operator pasted: Markdown, often a whole web page copied as
 * text. Each line keeps its number in the file, so the analysis can say `file:line`. Lines are
 * made plain (emphasis, links and images unwrapped) and joined into blocks where a sentence was
 * broken across lines (a copied link puts its words on a line of their own).
 */

export type LineKind = "text" | "heading" | "quote" | "item" | "caption";

export interface PageLine {
  /** Line number in the file. */
  readonly line: number;
  readonly kind: LineKind;
  readonly text: string;
}

export interface PageBlock {
  /** The file line the block starts on. */
  readonly line: number;
  readonly kind: LineKind;
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

/** Markdown and HTML unwrapped; each step only when its mark is there (100,000 articles). */
function plain(text: string): string {
  let out = text;
  if (out.includes("](")) {
    out = out.replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
  }
  if (out.includes("<")) out = out.replace(/<[^>]*>/g, "");
  if (out.includes("&")) {
    out = out.replace(/&(#\d+|[a-z]+);/gi, (whole, name: string) =>
      name[0] === "#"
        ? String.fromCodePoint(Number(name.slice(1)))
        : (ENTITIES[name.toLowerCase()] ?? whole),
    );
  }
  if (/[*_`]/.test(out)) {
    out = out
      .replace(/(\*\*|__|`)/g, "")
      .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s.,;:!?)]|$)/g, "$1$2");
  }
  // A page copied as text loses the space before a quote that followed a link: "represents“a".
  if (out.includes("“")) out = out.replace(/(\p{L})“/gu, "$1 “");
  return out.replace(/\s+/g, " ").trim();
}

/** A whole line in italics: a caption or a credit in Markdown written by hand. */
const ITALIC_LINE = /^(?:\*[^*].*[^*]\*|_[^_].*[^_]_)$/;
const IMAGE_LINE = /^!\[[^\]]*\]\([^)]*\)$/;

/** The body's non-empty lines, plain, with their kind and file line. */
export function pageLines(markdown: string, firstLine: number): PageLine[] {
  const out: PageLine[] = [];
  markdown.split("\n").forEach((raw, i) => {
    const line = firstLine + i;
    let text = raw.trim();
    if (text === "") return;
    let kind: LineKind = "text";
    if (/^#{1,6}\s/.test(text)) {
      kind = "heading";
      text = text.replace(/^#+\s*/, "");
    } else if (/^>/.test(text)) {
      kind = "quote";
      text = text.replace(/^(?:>\s?)+/, "");
    } else if (/^(?:[-*+]|\d+[.)])\s/.test(text)) {
      kind = "item";
      text = text.replace(/^(?:[-*+]|\d+[.)])\s+/, "");
    } else if (ITALIC_LINE.test(text) || IMAGE_LINE.test(text)) {
      kind = "caption";
    }
    const clean = plain(text);
    if (clean !== "") out.push({ line, kind, text: clean });
  });
  return out;
}

/**
 * A line wrapped in the file is short; a pasted page puts a whole paragraph on one line, so a
 * long line that stops mid-sentence ("… Mark Rutte") was not wrapped into the next.
 */
const WRAPPED = 100;

const ENDS_SENTENCE = /[.!?…]["”’')\]]*$/;

function titleCase(text: string): boolean {
  const words = text.split(" ").filter((w) => /^\p{L}/u.test(w));
  const capitals = words.filter((w) => /^\p{Lu}/u.test(w)).length;
  return words.length > 0 && capitals / words.length > 0.6;
}

/**
 * Lines joined into blocks: a line continues the one before when that one does not end a
 * sentence and this one starts in lower case (a word a copied link left on its own line), or
 * when the one before is running prose wrapped in the file. A blank line always ends a block.
 */
export function pageBlocks(markdown: string, firstLine: number): PageBlock[] {
  const lines = pageLines(markdown, firstLine);
  const blocks: { line: number; last: number; lastText: string; kind: LineKind; text: string }[] =
    [];
  for (const l of lines) {
    const prev = blocks.at(-1);
    const adjacent = prev !== undefined && prev.last === l.line - 1 && prev.kind === l.kind;
    const continues =
      adjacent &&
      !ENDS_SENTENCE.test(prev.text) &&
      (/^[\p{Ll}\d]/u.test(l.text) ||
        (prev.text.split(" ").length >= 9 &&
          prev.lastText.length <= WRAPPED &&
          !titleCase(prev.text)));
    if (continues) {
      prev.text = `${prev.text} ${l.text}`;
      prev.last = l.line;
      prev.lastText = l.text;
    } else {
      blocks.push({ line: l.line, last: l.line, lastText: l.text, kind: l.kind, text: l.text });
    }
  }
  return blocks.map(({ line, kind, text }) => ({ line, kind, text }));
}
