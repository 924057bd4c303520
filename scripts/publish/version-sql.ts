/**
 * The SQL of a publish (scripts/publish/publish.ts): the guard every round trip starts with, the
 * clean-up after a killed publish, the rows of the new version, the flip, and the pruning after
 * it. migrations/0003_articles.sql describes the tables and their versioning.
 */
import type { ArticleAnalysis } from "../../src/model/analysis.ts";
import type { ContentMeta } from "../../src/content/meta.ts";
import { type Article, modifiedTime, publishedTime } from "../../src/model/article.ts";
import {
  insertRows,
  type SqlValue,
  type Statement,
  updateWhereIn,
} from "../../src/lib/sql-batch.ts";

const VERSIONED_TABLES = ["articles", "article_tags", "gone_articles"] as const;

/**
 * Fails the round trip it starts (publish_guard's CHECK) unless the served version is still
 * `version`: a publish never writes into a version another publish has meanwhile flipped to.
 */
export function versionGuard(version: number): Statement {
  return {
    sql: "INSERT INTO publish_guard (ok) SELECT 0 WHERE (SELECT version FROM content_state WHERE id = 1) <> ?",
    params: [version],
  };
}

/** Undoes what a publish killed before its flip wrote above `version`. */
export function abandonedRowsCleanup(version: number): Statement[] {
  return [
    ...VERSIONED_TABLES.flatMap((t) => [
      { sql: `DELETE FROM ${t} WHERE from_version > ?`, params: [version] },
      { sql: `UPDATE ${t} SET to_version = NULL WHERE to_version > ?`, params: [version] },
    ]),
    { sql: "DELETE FROM article_ids WHERE from_version > ?", params: [version] },
    { sql: "DELETE FROM content_versions WHERE version > ?", params: [version] },
  ];
}

/**
 * After the flip to `version`: rows no reader can still see. Readers of the previous version
 * (isolates that read it less than CONTENT_REFRESH_SECONDS ago) keep theirs.
 */
export function pruneStatements(version: number): Statement[] {
  return [
    ...VERSIONED_TABLES.map((t) => ({
      sql: `DELETE FROM ${t} WHERE to_version IS NOT NULL AND to_version < ?`,
      params: [version - 1],
    })),
    { sql: "DELETE FROM content_versions WHERE version < ?", params: [version - 1] },
  ];
}

/** The `article` column: the Article without its body and without the analysis (own columns). */
function withoutHtml(article: Article): Omit<Article, "html" | "analysis"> {
  const { html: _html, analysis: _analysis, ...rest } = article;
  return rest;
}

export interface LiveRow {
  readonly row_id: number;
  readonly slug: string;
  readonly article_id: string;
  readonly hash: string;
  /** The version of the stored analysis; null when none is stored. */
  readonly analysis_version: number | null;
  readonly title: string;
}

export interface NewVersion {
  readonly next: number;
  /** The first free row_id: rows get explicit ids, so an SQL file can refer to them. */
  readonly firstRowId: number;
  readonly hashes: ReadonlyMap<string, string>;
  /** slug → the analysis of an added or changed article; absent: none stored. */
  readonly analyses: ReadonlyMap<string, ArticleAnalysis>;
  readonly added: readonly Article[];
  readonly changed: readonly Article[];
  /** Added articles that had been deleted: their 410 ends. */
  readonly restored: readonly Article[];
  /** Published articles whose file is gone (deleted by this publish). */
  readonly missing: readonly LiveRow[];
  /** Rows no longer current in the new version (changed or deleted articles). */
  readonly retired: readonly number[];
  /** Articles whose id is published for the first time. */
  readonly newIds: readonly Article[];
  readonly version: {
    readonly token: string;
    readonly createdAt: string;
    readonly meta: ContentMeta;
  };
}

/** Every statement that writes version `next`, invisible to readers until the flip. */
export function newVersionStatements(v: NewVersion): { list: Statement[]; articleRows: number } {
  const { next } = v;
  let rowId = v.firstRowId - 1;
  const articleRows: SqlValue[][] = [];
  const tagRows: SqlValue[][] = [];
  for (const a of [...v.added, ...v.changed]) {
    rowId++;
    const published = publishedTime(a);
    const analysis = v.analyses.get(a.slug);
    articleRows.push([
      rowId,
      a.slug,
      a.id,
      v.hashes.get(a.slug)!,
      published,
      modifiedTime(a),
      a.story,
      JSON.stringify(withoutHtml(a)),
      a.html,
      analysis === undefined ? null : JSON.stringify(analysis),
      analysis?.version ?? null,
      next,
    ]);
    for (const tag of a.tags) tagRows.push([rowId, tag, published, a.slug, next]);
  }
  const list: Statement[] = [
    ...updateWhereIn("UPDATE articles SET to_version = ? WHERE row_id", next, v.retired),
    ...updateWhereIn("UPDATE article_tags SET to_version = ? WHERE row_id", next, v.retired),
    ...updateWhereIn(
      "UPDATE gone_articles SET to_version = ? WHERE to_version IS NULL AND slug",
      next,
      v.restored.map((a) => a.slug),
    ),
    ...insertRows(
      "articles",
      [
        "row_id",
        "slug",
        "article_id",
        "hash",
        "published_ms",
        "modified_ms",
        "story",
        "article",
        "html",
        "analysis",
        "analysis_version",
        "from_version",
      ],
      articleRows,
      { column: "row_id", index: 0 },
    ),
    ...insertRows(
      "article_tags",
      ["row_id", "tag", "published_ms", "slug", "from_version"],
      tagRows,
      { column: "row_id", index: 0 },
    ),
    ...insertRows(
      "article_ids",
      ["article_id", "slug", "from_version"],
      v.newIds.map((a) => [a.id, a.slug, next]),
      { column: "article_id", index: 0 },
    ),
    ...insertRows(
      "gone_articles",
      ["slug", "article_id", "title", "from_version"],
      v.missing.map((r) => [r.slug, r.article_id, r.title, next]),
      { column: "slug", index: 0 },
    ),
    ...insertRows(
      "content_versions",
      ["version", "token", "created_at", "meta"],
      [[next, v.version.token, v.version.createdAt, JSON.stringify(v.version.meta)]],
      { column: "version", index: 0 },
    ),
  ];
  return { list, articleRows: articleRows.length };
}

/**
 * The flip to `next`, as one statement, only if the served version is still `current` and the
 * new version's rows are all there, exactly: another publish running at the same time (whose
 * clean-up deletes rows above the served version) must not leave a half-written version served.
 * It returns the new version's row when it flipped, no row when it did not.
 */
export function flipStatement(f: {
  next: number;
  current: number;
  articles: number;
  newRows: number;
  tags: number;
  gone: number;
  token: string;
}): Statement {
  const visible = "from_version <= ? AND (to_version IS NULL OR to_version > ?)";
  return {
    sql: `UPDATE content_state SET version = ? WHERE id = 1 AND version = ?
        AND (SELECT count(*) FROM articles WHERE ${visible}) = ?
        AND (SELECT count(*) FROM articles WHERE from_version = ?) = ?
        AND (SELECT count(*) FROM article_tags WHERE ${visible}) = ?
        AND (SELECT count(*) FROM gone_articles WHERE from_version = ?) = ?
        AND (SELECT token FROM content_versions WHERE version = ?) = ?
      RETURNING version`,
    params: [
      f.next,
      f.current,
      f.next,
      f.next,
      f.articles,
      f.next,
      f.newRows,
      f.next,
      f.next,
      f.tags,
      f.next,
      f.gone,
      f.next,
      f.token,
    ],
  };
}
