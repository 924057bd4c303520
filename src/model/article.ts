/**
 * The article model every output renders from: feeds, pages and (later) digests.
 * Generated at build time by `scripts/build-content.ts` from `content/*.md`; the Worker never
 * parses Markdown or YAML at request time.
 */
export interface Article {
  /** Permanent id (`urn:uuid:…`): the RSS guid, Atom id and JSON Feed id. Never derived from
   * title or URL, so retitling an article or moving the site never re-surfaces it in readers. */
  readonly id: string;
  /** From the file name: `content/foo-bar.md` → `foo-bar`; the page is `/articles/foo-bar`. */
  readonly slug: string;
  readonly title: string;
  /** Publication time, RFC 3339 exactly as written in the front matter (keeps its offset). */
  readonly published: string;
  /** Last substantive update, RFC 3339, or null when never updated. */
  readonly updated: string | null;
  /** How an approximate date was established, or null when the text gives it exactly. */
  readonly dateNote: string | null;
  /** Publication the article comes from. */
  readonly source: string;
  readonly sourceUrl: string | null;
  readonly authors: readonly string[];
  /** Actors and topics, kebab case (`north-korea`, `troop-deployment`). */
  readonly tags: readonly string[];
  /** One or two sentences, plain text. */
  readonly summary: string;
  /** The body as sanitized HTML. */
  readonly html: string;
}

/** Publication instant in epoch milliseconds. */
export function publishedTime(article: Article): number {
  return Date.parse(article.published);
}

/** The newest change to an article: its update time if it has one, else its publication. */
export function modifiedTime(article: Article): number {
  return article.updated === null ? publishedTime(article) : Date.parse(article.updated);
}

/** Newest first; ties broken by slug so the order (and so every byte of output) is stable. */
export function compareNewestFirst(a: Article, b: Article): number {
  return publishedTime(b) - publishedTime(a) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
}
