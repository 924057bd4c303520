/**
 * Markup in the fields that are plain text (title, source, summary, authors, key points, claims,
 * notes, story titles). The site and the feeds escape them, so markup would show as literal
 * `<b>`; but many feed readers treat RSS titles and descriptions as HTML, and would render it
 * (or run it). So the build refuses it instead of guessing what the writer meant.
 *
 * What counts as markup is what an HTML parser would read as markup: a `<` followed by a
 * letter, `/`, `!` or `?` (a tag, end tag, comment or declaration; HTML §13.2.5.6 "tag open
 * state"), and a character reference such as `&lt;` or `&#60;` (§13.2.5.72), which would be
 * decoded in a reader and shown literally on the site. A bare `<` before a space or digit, as in
 * "< 5%" or "<5%", and a `&` that starts no reference, as in "R&D" or "AT&T", are text.
 */

/**
 * The longest each plain-text field may be, in characters (code points). Far above what a
 * writer needs (the longest in the content so far is well under half of each), and bounded
 * so that a pasted page or a runaway value fails the build instead of swelling every page,
 * feed and email it appears in. The digest email clips to its own caps (src/digest/email/view.ts),
 * which are never below these.
 */
export const PLAIN_TEXT_MAX = {
  title: 200,
  summary: 600,
  source: 120,
  tag: 40,
  author: 120,
  sourceAuthor: 120,
  dateNote: 600,
  editorNote: 600,
  keyPoint: 400,
  claimFigure: 200,
  claimCounts: 200,
  claimant: 160,
  claimBy: 160,
} as const;

/**
 * Line breaks, as any reader may take them: LF, CR, NEL, and U+2028/2029. A plain-text field is
 * one line: a title with line breaks in it stays multi-line in a feed (XML keeps them), and would
 * fake lines in the email's plain-text part were it not flattened there.
 */
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;

/** Why `text` is not one line of at most `max` characters, or null when it is. */
export function lineProblem(text: string, max: number): string | null {
  if (LINE_BREAK.test(text)) {
    return `contains a line break: expected one line of text (in YAML, a quoted value without "\\n", or a ">" folded value without blank lines)`;
  }
  const length = [...text].length;
  if (length > max) {
    return `is ${length} characters long: expected at most ${max}`;
  }
  return null;
}

const TAG = /<[a-zA-Z/!?][^<>\s]*(?:[^<>]*>)?/;
const REFERENCE = /&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/;
const SNIPPET_MAX = 40;
const NAMED: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "a no-break space",
};

export interface Markup {
  /** The markup as written, shortened to SNIPPET_MAX characters: what the message quotes. */
  readonly snippet: string;
  /** Its first characters, to find the line it is on in the file. */
  readonly needle: string;
  /** A tag (or comment, declaration), or a character reference. */
  readonly kind: "tag" | "reference";
}

/** The first markup in `text`, or null when it is plain text. */
export function findMarkup(text: string): Markup | null {
  const tag = TAG.exec(text);
  const reference = REFERENCE.exec(text);
  const isTag = tag !== null && (reference === null || tag.index <= reference.index);
  const first = isTag ? tag : reference;
  if (first === null) return null;
  const found = first[0];
  return {
    snippet: found.length > SNIPPET_MAX ? `${found.slice(0, SNIPPET_MAX - 1)}…` : found,
    needle: found.slice(0, 8),
    kind: isTag ? "tag" : "reference",
  };
}

/** What a character reference stands for, to suggest writing it instead. */
function referenced(reference: string): string | null {
  const name = reference.slice(1, -1);
  if (name[0] !== "#") return NAMED[name] ?? null;
  const code = /^#[xX]/.test(name) ? parseInt(name.slice(2), 16) : Number(name.slice(1));
  if (!(code > 0 && code <= 0x10ffff)) return null;
  const character = String.fromCodePoint(code);
  // Quoting an invisible character would help no one.
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character) ? character : null;
}

/** `contains markup (<b>): expected plain text…`: the message after the field's name. */
export function markupMessage(markup: Markup): string {
  if (markup.kind === "tag") {
    return `contains markup (${markup.snippet}): expected plain text, without HTML tags (a "<" before a space or digit, as in "< 5%", is fine)`;
  }
  const character = referenced(markup.snippet);
  return `contains markup (${markup.snippet}): expected plain text, with ${character === null ? "the character itself" : character.length === 1 ? `the character itself (${character})` : character} instead of a character reference`;
}
