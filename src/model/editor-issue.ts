/**
 * The editor's issue of a week: content/issues/{week}.md, published to D1 (editor_issues). Its
 * subject and preheader replace the digest email's, and its introduction heads the email, the
 * web page and the digest feeds' entry.
 */

/** A piece of an introduction's paragraph: text, linked or not. */
export interface IntroRun {
  readonly text: string;
  /** An http(s) or mailto: URL, or null for plain text. */
  readonly url: string | null;
}

/** A paragraph (or a list item, prefixed "• ") of the introduction, for the email. */
export interface IntroBlock {
  readonly runs: readonly IntroRun[];
}

export interface EditorIssue {
  readonly week: string;
  /** The email's subject line (plain text, one line). */
  readonly subject: string;
  /** The inbox preview line; null: the digest's own. */
  readonly preheader: string | null;
  /** The introduction as sanitised HTML (as article bodies are); "" when the file has no body. */
  readonly introHtml: string;
  /** The same, as paragraphs of text runs: the email escapes every value it shows. */
  readonly introBlocks: readonly IntroBlock[];
}

/** Caps for the fields, in characters, so a runaway value fails the build instead of the email. */
export const ISSUE_LIMITS = { subject: 150, preheader: 200, introChars: 4000 } as const;
