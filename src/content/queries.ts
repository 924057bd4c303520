/**
 * The typed read queries on the articles in D1 (migrations/0003_articles.sql), each at one
 * content version. Route handlers never hold SQL; they go through ContentView (view.ts).
 */
import type { ArticleAnalysis } from "../model/analysis.ts";
import type { Article } from "../model/article.ts";
import { type ContentMeta, EMPTY_META } from "./meta.ts";

/** Rows visible at version ?1 (the migration explains the versioning). */
const VISIBLE = "from_version <= ?1 AND (to_version IS NULL OR to_version > ?1)";
const ARTICLE_COLUMNS = "article, html";
/**
 * The digest's reads: the stored analysis instead of the body (its sentences come from the
 * analysis, never the HTML, which is left empty). Pages and feeds never read the analysis.
 */
const DIGEST_COLUMNS = "article, '' AS html, analysis";

interface ArticleRow {
  readonly article: string;
  readonly html: string;
  readonly analysis?: string | null;
}

function toArticle(row: ArticleRow): Article {
  const article = { ...(JSON.parse(row.article) as Omit<Article, "html">), html: row.html };
  if (row.analysis === undefined) return article;
  return {
    ...article,
    analysis: row.analysis === null ? null : (JSON.parse(row.analysis) as ArticleAnalysis),
  };
}

export interface PublishedVersion {
  /** 0 when nothing has been published yet. */
  readonly version: number;
  /** SHA-256 of the version's content; "empty" for version 0. */
  readonly token: string;
  readonly meta: ContentMeta;
}

/** The version readers see now, with its meta: one query. */
export async function getPublishedVersion(db: D1Database): Promise<PublishedVersion> {
  const row = await db
    .prepare(
      `SELECT s.version AS version, v.token AS token, v.meta AS meta
         FROM content_state s LEFT JOIN content_versions v ON v.version = s.version
        WHERE s.id = 1`,
    )
    .first<{ version: number; token: string | null; meta: string | null }>();
  // The migration inserts the state row, and a publish writes a version's row before it points
  // the state at it: a missing one is a read that failed (e.g. a damaged page), not "nothing
  // published", which would answer 404 for every article and empty feeds until the next refresh.
  if (row === null) throw new Error("content_state has no row (id = 1)");
  if (row.version === 0) return { version: 0, token: "empty", meta: EMPTY_META };
  if (row.meta === null || row.token === null)
    throw new Error(`content_versions has no row for the published version ${row.version}`);
  return { version: row.version, token: row.token, meta: JSON.parse(row.meta) as ContentMeta };
}

/**
 * A slice of the list of articles, whole site (tag null) or one tag: newest first, or (for pages
 * in the older half, so an OFFSET never walks more than half the list) oldest first.
 */
export async function listArticles(
  db: D1Database,
  version: number,
  tag: string | null,
  limit: number,
  offset: number,
  from: "newest" | "oldest" = "newest",
): Promise<Article[]> {
  if (limit <= 0) return [];
  // compareNewestFirst: time descending, ties by slug ascending; "oldest" is its exact reverse.
  const [time, slug] = from === "newest" ? ["DESC", "ASC"] : ["ASC", "DESC"];
  const { results } =
    tag === null
      ? await db
          .prepare(
            `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE ${VISIBLE}
              ORDER BY published_ms ${time}, slug ${slug} LIMIT ?2 OFFSET ?3`,
          )
          .bind(version, limit, offset)
          .all<ArticleRow>()
      : await db
          .prepare(
            `SELECT a.article, a.html FROM article_tags t JOIN articles a ON a.row_id = t.row_id
              WHERE t.tag = ?4 AND t.from_version <= ?1 AND (t.to_version IS NULL OR t.to_version > ?1)
              ORDER BY t.published_ms ${time}, t.slug ${slug} LIMIT ?2 OFFSET ?3`,
          )
          .bind(version, limit, offset, tag)
          .all<ArticleRow>();
  return results.map(toArticle);
}

export async function getArticleBySlug(
  db: D1Database,
  version: number,
  slug: string,
): Promise<Article | null> {
  const row = await db
    .prepare(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE slug = ?2 AND ${VISIBLE}`)
    .bind(version, slug)
    .first<ArticleRow>();
  return row === null ? null : toArticle(row);
}

/**
 * Whether `slug` was ever published at or before `version` (article_ids keeps every id and its
 * slug for good). Such a slug is either an article or a deleted one (410) at `version`, never
 * neither: when both reads found nothing, one of them failed quietly.
 */
export async function isPublishedSlug(
  db: D1Database,
  version: number,
  slug: string,
): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS known FROM article_ids WHERE slug = ?2 AND from_version <= ?1")
    .bind(version, slug)
    .first<{ known: number }>();
  return row !== null;
}

/** A deleted article (publish --allow-delete) at `slug`, for its 410 page; null if none. */
export async function getGoneArticle(
  db: D1Database,
  version: number,
  slug: string,
): Promise<{ title: string } | null> {
  return db
    .prepare(`SELECT title FROM gone_articles WHERE slug = ?2 AND ${VISIBLE}`)
    .bind(version, slug)
    .first<{ title: string }>();
}

/** A story's articles, oldest first (its timeline). */
export async function listStoryArticles(
  db: D1Database,
  version: number,
  story: string,
): Promise<Article[]> {
  const { results } = await db
    .prepare(
      `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE story = ?2 AND ${VISIBLE}
        ORDER BY published_ms, slug DESC`,
    )
    .bind(version, story)
    .all<ArticleRow>();
  return results.map(toArticle);
}

/** Articles published in [startMs, endMs), newest first, for the digest (no body HTML). */
export async function listArticlesPublishedBetween(
  db: D1Database,
  version: number,
  startMs: number,
  endMs: number,
): Promise<Article[]> {
  const { results } = await db
    .prepare(
      `SELECT ${DIGEST_COLUMNS} FROM articles
        WHERE published_ms >= ?2 AND published_ms < ?3 AND ${VISIBLE}
        ORDER BY published_ms DESC, slug`,
    )
    .bind(version, startMs, endMs)
    .all<ArticleRow>();
  return results.map(toArticle);
}

/** Articles of `stories` published before `beforeMs`: a week's stories' history (no body HTML). */
export async function listStoryArticlesBefore(
  db: D1Database,
  version: number,
  stories: readonly string[],
  beforeMs: number,
): Promise<Article[]> {
  const out: Article[] = [];
  for (const story of stories) {
    const { results } = await db
      .prepare(
        `SELECT ${DIGEST_COLUMNS} FROM articles
          WHERE story = ?2 AND published_ms < ?3 AND ${VISIBLE}
          ORDER BY published_ms DESC, slug`,
      )
      .bind(version, story, beforeMs)
      .all<ArticleRow>();
    out.push(...results.map(toArticle));
  }
  return out;
}

/** Every article's publication time (for the weeks that have articles), newest first. */
export async function listPublishedTimes(db: D1Database, version: number): Promise<number[]> {
  const { results } = await db
    .prepare(`SELECT published_ms FROM articles WHERE ${VISIBLE} ORDER BY published_ms DESC`)
    .bind(version)
    .all<{ published_ms: number }>();
  return results.map((r) => r.published_ms);
}

/** Slugs and modification times, newest first, for the sitemaps. */
export async function listArticleLocations(
  db: D1Database,
  version: number,
  limit: number,
  offset: number,
): Promise<{ slug: string; modifiedMs: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT slug, modified_ms FROM articles WHERE ${VISIBLE}
        ORDER BY published_ms DESC, slug LIMIT ?2 OFFSET ?3`,
    )
    .bind(version, limit, offset)
    .all<{ slug: string; modified_ms: number }>();
  return results.map((r) => ({ slug: r.slug, modifiedMs: r.modified_ms }));
}

/** The newest modification among a slice of the newest-first list (a sitemap file's lastmod). */
export async function newestModifiedInSlice(
  db: D1Database,
  version: number,
  limit: number,
  offset: number,
): Promise<number | null> {
  const row = await db
    .prepare(
      `SELECT MAX(modified_ms) AS newest FROM (SELECT modified_ms FROM articles WHERE ${VISIBLE}
        ORDER BY published_ms DESC, slug LIMIT ?2 OFFSET ?3)`,
    )
    .bind(version, limit, offset)
    .first<{ newest: number | null }>();
  return row?.newest ?? null;
}
