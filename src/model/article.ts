import type { ArticleAnalysis } from "./analysis.ts";

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
  /** How the date was established, or null when the source prints it. */
  readonly dateNote: string | null;
  /** True when the date is an estimate (readers see it labelled approximate, with dateNote). */
  readonly dateApproximate: boolean;
  /** The publication whose report this brief is written from. */
  readonly source: string;
  /** The original report: every brief links it ("Read the original at …"). */
  readonly sourceUrl: string | null;
  /** The original report's author, where its page names one. */
  readonly sourceAuthor: string | null;
  /** Who wrote this brief (empty: the site's own editors). */
  readonly authors: readonly string[];
  /** A correction of the source, shown with the brief: the source's error is never repeated. */
  readonly editorNote: string | null;
  /** 2–6 standalone sentences: who did what, where and when, attributed (the digest's input). */
  readonly keyPoints: readonly string[];
  /** Figures the brief reports, each with who claims it and how far it is confirmed. */
  readonly claims: readonly Claim[];
  /** Kebab-case id of the developing story this brief belongs to, or null. */
  readonly story: string | null;
  /** Actors and topics, kebab case (`north-korea`, `troop-deployment`). */
  readonly tags: readonly string[];
  /** One or two sentences, plain text. */
  readonly summary: string;
  /** The body as sanitized HTML. */
  readonly html: string;
  /**
   * The body's analysis made at publish (stored beside the article, not in it): read only for
   * the digest; null when the article was published before the analysis existed.
   */
  readonly analysis?: ArticleAnalysis | null;
}

export type ClaimStatus = "claimed" | "confirmed" | "denied";

/** A figure as a claim: what it counts, who says so, and whether anyone independent agrees. */
export interface Claim {
  /** The number as written, e.g. "1,500". */
  readonly figure: string;
  /** What it counts, e.g. "North Korean special forces sent to Russia's Far East". */
  readonly counts: string;
  /** Who claims it, e.g. "South Korea's National Intelligence Service". */
  readonly claimant: string;
  readonly status: ClaimStatus;
  /** What is being counted, shared by claims about the same thing (kebab case), or null. */
  readonly subject: string | null;
  /** Who confirmed or denied it, when status is not "claimed". */
  readonly by: string | null;
}

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
