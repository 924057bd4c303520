/**
 * Publishing content/ to D1 (`npm run publish`, scripts/publish.ts): new articles are inserted,
 * changed ones (by hash) replaced, unchanged ones left alone, and a version that changes nothing
 * is not written at all. The rows of the new version are written first, invisible to readers;
 * the version flips in one last statement, so a publish killed half-way leaves the previous
 * version served in full. migrations/0003_articles.sql describes the tables.
 */
import { sha256Hex } from "../lib/crypto.ts";
import type { Actor } from "../model/actor.ts";
import { type Article, modifiedTime, publishedTime, type Story } from "../model/article.ts";
import { computeMeta } from "./meta.ts";
import {
  groupStatements,
  insertRows,
  literalBytes,
  MAX_ROW_BYTES,
  type SqlExecutor,
  type Statement,
  updateWhereIn,
} from "./sql-batch.ts";

export interface PublishInput {
  readonly articles: readonly Article[];
  readonly stories: readonly Story[];
  readonly actors: readonly Actor[];
  /** slug → the file it came from (content/<slug>.md), for messages. */
  readonly files?: ReadonlyMap<string, string>;
  /** The folder published from, as messages show it (default "content"): names deleted files. */
  readonly contentDir?: string;
}

export interface PublishOptions {
  /** Delete published articles whose file is gone (their pages then answer 410). */
  readonly allowDelete?: boolean;
  /** Statements per round trip to D1. */
  readonly batchSize?: number;
  /** After each round trip: statements written so far, of `total`. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly now?: () => Date;
}

export interface PublishReport {
  readonly status: "published" | "unchanged";
  /** The version readers see now. */
  readonly version: number;
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly deleted: readonly string[];
  readonly restored: readonly string[];
  readonly statements: number;
  readonly roundTrips: number;
}

/** Nothing was written: every problem names the file and what to do. */
export class PublishError extends Error {
  override readonly name = "PublishError";
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join("\n"));
    this.problems = problems;
  }
}

const VERSIONED_TABLES = ["articles", "article_tags", "gone_articles"] as const;

/**
 * Fails the round trip it starts (publish_guard's CHECK) unless the served version is still
 * `version`: a publish never writes into a version another publish has meanwhile flipped to.
 */
function versionGuard(version: number): Statement {
  return {
    sql: "INSERT INTO publish_guard (ok) SELECT 0 WHERE (SELECT version FROM content_state WHERE id = 1) <> ?",
    params: [version],
  };
}

/** Undoes what a publish killed before its flip wrote above `version`. */
function abandonedRowsCleanup(version: number): Statement[] {
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
function pruneStatements(version: number): Statement[] {
  return [
    ...VERSIONED_TABLES.map((t) => ({
      sql: `DELETE FROM ${t} WHERE to_version IS NOT NULL AND to_version < ?`,
      params: [version - 1],
    })),
    { sql: "DELETE FROM content_versions WHERE version < ?", params: [version - 1] },
  ];
}

function withoutHtml(article: Article): Omit<Article, "html"> {
  const { html: _html, ...rest } = article;
  return rest;
}

interface LiveRow {
  readonly row_id: number;
  readonly slug: string;
  readonly article_id: string;
  readonly hash: string;
  readonly title: string;
}

export async function publishContent(
  exec: SqlExecutor,
  input: PublishInput,
  options: PublishOptions = {},
): Promise<PublishReport> {
  const file = (slug: string) =>
    input.files?.get(slug) ?? `${input.contentDir ?? "content"}/${slug}.md`;
  const state = await exec
    .query<{ version: number }>("SELECT version FROM content_state WHERE id = 1")
    .catch((err: unknown) => {
      throw new PublishError([
        `the database has no content tables (${err instanceof Error ? err.message : String(err)}): apply the migrations first (wrangler d1 migrations apply DB)`,
      ]);
    });
  const current = state[0]?.version ?? 0;
  const next = current + 1;
  await exec.execute([versionGuard(current), ...abandonedRowsCleanup(current)]);

  const live = await exec.query<LiveRow>(
    "SELECT row_id, slug, article_id, hash, json_extract(article, '$.title') AS title FROM articles WHERE to_version IS NULL",
  );
  const knownIds = await exec.query<{ article_id: string; slug: string }>(
    "SELECT article_id, slug FROM article_ids",
  );
  const goneSlugs = new Set(
    (await exec.query<{ slug: string }>("SELECT slug FROM gone_articles WHERE to_version IS NULL"))
      .map((r) => r.slug),
  );
  const [tokenRow] = await exec.query<{ token: string }>(
    "SELECT token FROM content_versions WHERE version = ?",
    [current],
  );
  const [{ max_row: maxRow } = { max_row: 0 }] = await exec.query<{ max_row: number }>(
    "SELECT COALESCE(MAX(row_id), 0) AS max_row FROM articles",
  );

  // The id guard: readers tell new items from old by id, so ids and slugs stay paired forever.
  const problems: string[] = [];
  const slugOfId = new Map(knownIds.map((r) => [r.article_id, r.slug] as const));
  const idOfSlug = new Map(knownIds.map((r) => [r.slug, r.article_id] as const));
  const seenIds = new Map<string, string>();
  for (const a of input.articles) {
    const other = seenIds.get(a.id);
    if (other !== undefined) {
      problems.push(
        `${file(a.slug)}: id ${a.id} is also the id of ${file(other)}: expected every article to have its own id (npm run new-article makes one)`,
      );
    }
    seenIds.set(a.id, a.slug);
    const publishedSlug = slugOfId.get(a.id);
    if (publishedSlug !== undefined && publishedSlug !== a.slug) {
      problems.push(
        `${file(a.slug)}: id ${a.id} was published as the id of "${publishedSlug}" (${file(publishedSlug)}); readers know that article by it, so it may not move to another slug: rename the file back, or give this article a fresh id`,
      );
    }
    const publishedId = idOfSlug.get(a.slug);
    if (publishedId !== undefined && publishedId !== a.id) {
      problems.push(
        `${file(a.slug)}: id is ${a.id}, but this slug was published with id ${publishedId}: readers would see it as a new item; put the published id back`,
      );
    }
  }

  const incoming = new Map(input.articles.map((a) => [a.slug, a] as const));
  const liveBySlug = new Map(live.map((r) => [r.slug, r] as const));
  const missing = live.filter((r) => !incoming.has(r.slug));
  if (missing.length > 0 && !options.allowDelete) {
    for (const r of missing) {
      problems.push(
        `${file(r.slug)}: published, but the file is gone: restore it, or publish with --allow-delete to delete the article (its page then answers 410 Gone and it leaves the feeds)`,
      );
    }
  }

  const hashes = new Map<string, string>();
  for (const a of input.articles) {
    const json = JSON.stringify(a);
    const bytes = literalBytes(json);
    if (bytes > MAX_ROW_BYTES - 10_000) {
      problems.push(
        `${file(a.slug)}: the article is ${(bytes / 1e6).toFixed(1)} MB once rendered: expected under 2 MB, D1's limit per row; split it`,
      );
    }
    hashes.set(a.slug, await sha256Hex(json));
  }
  if (problems.length > 0) throw new PublishError(problems);

  const added = input.articles.filter((a) => !liveBySlug.has(a.slug));
  const changed = input.articles.filter((a) => {
    const row = liveBySlug.get(a.slug);
    return row !== undefined && row.hash !== hashes.get(a.slug);
  });
  const restored = added.filter((a) => goneSlugs.has(a.slug));
  const meta = computeMeta(input.articles, input.stories, input.actors);
  const token = await sha256Hex(
    JSON.stringify([
      [...hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      input.stories,
      input.actors,
    ]),
  );
  const empty = current === 0 && input.articles.length === 0;
  if (empty || (tokenRow?.token === token && missing.length === 0)) {
    return {
      status: "unchanged",
      version: current,
      added: [],
      changed: [],
      deleted: [],
      restored: [],
      statements: 0,
      roundTrips: 0,
    };
  }

  // Rows of the new version: invisible until the flip below.
  let rowId = maxRow;
  const articleRows: (string | number | null)[][] = [];
  const tagRows: (string | number | null)[][] = [];
  for (const a of [...added, ...changed]) {
    rowId++;
    const published = publishedTime(a);
    articleRows.push([
      rowId,
      a.slug,
      a.id,
      hashes.get(a.slug)!,
      published,
      modifiedTime(a),
      a.story,
      JSON.stringify(withoutHtml(a)),
      a.html,
      next,
    ]);
    for (const tag of a.tags) tagRows.push([rowId, tag, published, a.slug, next]);
  }
  const retired = [
    ...changed.map((a) => liveBySlug.get(a.slug)!.row_id),
    ...missing.map((r) => r.row_id),
  ];
  const now = options.now?.() ?? new Date();
  const statements: Statement[] = [
    ...updateWhereIn("UPDATE articles SET to_version = ? WHERE row_id", next, retired),
    ...updateWhereIn("UPDATE article_tags SET to_version = ? WHERE row_id", next, retired),
    ...updateWhereIn(
      "UPDATE gone_articles SET to_version = ? WHERE to_version IS NULL AND slug",
      next,
      restored.map((a) => a.slug),
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
      added.filter((a) => !idOfSlug.has(a.slug)).map((a) => [a.id, a.slug, next]),
      { column: "article_id", index: 0 },
    ),
    ...insertRows(
      "gone_articles",
      ["slug", "article_id", "title", "from_version"],
      missing.map((r) => [r.slug, r.article_id, r.title, next]),
      { column: "slug", index: 0 },
    ),
    ...insertRows(
      "content_versions",
      ["version", "token", "created_at", "meta"],
      [[next, token, now.toISOString(), JSON.stringify(meta)]],
      { column: "version", index: 0 },
    ),
  ];

  const groups = groupStatements(statements, options.batchSize ?? 50);
  let done = 0;
  options.onProgress?.(0, statements.length);
  for (const group of groups) {
    await exec.execute([versionGuard(current), ...group]).catch((err: unknown) => {
      if (err instanceof Error && /CHECK constraint failed/.test(err.message)) {
        throw new PublishError([
          `another publish finished while this one ran: nothing of this one is served (readers see the other's version); run npm run publish again`,
        ]);
      }
      throw err;
    });
    done += group.length;
    options.onProgress?.(done, statements.length);
  }

  // The flip: one statement, and only if this version's rows are all there, exactly: another
  // publish running at the same time (whose clean-up deletes rows above the served version)
  // must not leave a half-written version served.
  const visible = "from_version <= ? AND (to_version IS NULL OR to_version > ?)";
  const flipped = await exec.query<{ version: number }>(
    `UPDATE content_state SET version = ? WHERE id = 1 AND version = ?
        AND (SELECT count(*) FROM articles WHERE ${visible}) = ?
        AND (SELECT count(*) FROM articles WHERE from_version = ?) = ?
        AND (SELECT count(*) FROM article_tags WHERE ${visible}) = ?
        AND (SELECT count(*) FROM gone_articles WHERE from_version = ?) = ?
        AND (SELECT token FROM content_versions WHERE version = ?) = ?
      RETURNING version`,
    [
      next,
      current,
      next,
      next,
      input.articles.length,
      next,
      articleRows.length,
      next,
      next,
      input.articles.reduce((n, a) => n + a.tags.length, 0),
      next,
      missing.length,
      next,
      token,
    ],
  );
  if (flipped.length !== 1) {
    throw new PublishError([
      `another publish ran at the same time, or the database changed while this one ran: nothing of this one is served (readers still see version ${current}); run npm run publish again`,
    ]);
  }
  await exec.execute(pruneStatements(next));
  return {
    status: "published",
    version: next,
    added: added.map((a) => a.slug),
    changed: changed.map((a) => a.slug),
    deleted: missing.map((r) => r.slug),
    restored: restored.map((a) => a.slug),
    statements: statements.length,
    roundTrips: groups.length,
  };
}
