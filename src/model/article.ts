import type { ArticleFields, Claim, ClaimStatus } from "../../scripts/content/article-schema.ts";
import type { ArticleAnalysis } from "./analysis.ts";

/**
 * The article model every output renders from: feeds, pages and digests. Its fields are the
 * front matter's, declared once in the article schema (scripts/content/article-schema.ts: each
 * field's rules and meaning are there and in docs/content.md), plus what the build derives.
 * Built by `scripts/build-content.ts` from `content/*.md`; the Worker never parses Markdown or
 * YAML at request time, and imports the schema's types only (never zod).
 */
export type Article = Model<ArticleFields> & {
  /** From the file name: `content/foo-bar.md` → `foo-bar`; the page is `/articles/foo-bar`. */
  readonly slug: string;
  /** The body as sanitized HTML. */
  readonly html: string;
  /**
   * The body's analysis made at publish (stored beside the article, not in it): read only for
   * the digest; null when the article was published before the analysis existed.
   */
  readonly analysis?: ArticleAnalysis | null;
};

/** Read-only, lists included: the Worker renders an Article, never changes one. */
type Model<T> = {
  readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? readonly E[] : T[K];
};

export type { Claim, ClaimStatus };

/**
 * A claim's `counts` as compared: claims that share a subject must count the same thing, and
 * case, spacing and quote style do not make a different quantity.
 */
export function countKey(counts: string): string {
  return counts
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** A developing story: articles that share `story` in their front matter. */
export interface Story {
  readonly id: string;
  readonly title: string;
}

/** Publication instant in epoch milliseconds. */
export function publishedTime(article: Pick<Article, "published">): number {
  return Date.parse(article.published);
}

/** The newest change to an article: its update time if it has one, else its publication. */
export function modifiedTime(article: Pick<Article, "published" | "updated">): number {
  return article.updated === null ? publishedTime(article) : Date.parse(article.updated);
}

/** Newest first; ties broken by slug so the order (and so every byte of output) is stable. */
export function compareNewestFirst(a: Article, b: Article): number {
  return publishedTime(b) - publishedTime(a) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
}

/** The newest change among `articles` (for Last-Modified and a feed's updated time). */
export function newestChange(articles: readonly Article[]): Date | null {
  let newest = -Infinity;
  for (const a of articles) newest = Math.max(newest, modifiedTime(a));
  return newest === -Infinity ? null : new Date(newest);
}
