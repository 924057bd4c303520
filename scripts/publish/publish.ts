/**
 * Publishing content/ to D1 (`npm run publish`, scripts/publish.ts): new articles are inserted,
 * changed ones (by hash) replaced, unchanged ones left alone, and a version that changes nothing
 * is not written at all. The rows of the new version are written first, invisible to readers;
 * the version flips in one last statement, so a publish killed half-way leaves the previous
 * version served in full. migrations/0003_articles.sql describes the tables.
 *
 * The diff needs only a small entry per article (ArticleEntry: id, slug, hash, tags, dates):
 * `npm run publish` keeps those between runs (content-index.ts), and reads in full only the
 * articles the database lacks or holds another hash of. Work is proportional to what changed.
 */
import { sha256Hex } from "../../src/lib/crypto.ts";
import type { Actor } from "../../src/model/actor.ts";
import type { ArticleAnalysis } from "../../src/model/analysis.ts";
import type { Article, Story } from "../../src/model/article.ts";
import { computeMeta } from "../../src/content/meta.ts";
import { idGuardProblems } from "./id-guard.ts";
import {
  abandonedRowsCleanup,
  flipStatement,
  type LiveRow,
  newVersionStatements,
  pruneStatements,
  versionGuard,
} from "./version-sql.ts";
import {
  groupStatements,
  literalBytes,
  MAX_PARAMS,
  MAX_ROW_BYTES,
  type SqlExecutor,
} from "../../src/lib/sql-batch.ts";
import { timing } from "../lib/timings.ts";

/** What publish needs of every article to diff, check and count, without its body. */
export interface ArticleEntry {
  readonly slug: string;
  readonly id: string;
  /** SHA-256 of the article's JSON (as rendered, with its HTML): D1's `hash` column. */
  readonly hash: string;
  /** That JSON's size once inlined as an SQL literal (D1's 2 MB per row). */
  readonly bytes: number;
  readonly tags: readonly string[];
  readonly story: string | null;
  readonly published: string;
  readonly updated: string | null;
}

/** The entry of a full article: what content-index.ts computes of a file, and caches. */
export async function articleEntry(a: Article): Promise<ArticleEntry> {
  const json = JSON.stringify(a);
  return {
    slug: a.slug,
    id: a.id,
    hash: await sha256Hex(json),
    bytes: literalBytes(json),
    tags: a.tags,
    story: a.story,
    published: a.published,
    updated: a.updated,
  };
}

/** Articles in full (tests, the benchmarks' populations): each is its own entry. */
export interface ArticlesInput extends PublishContext {
  readonly articles: readonly Article[];
}

/** Entries of every article, and a way to read in full those that must be written. */
export interface IndexedInput extends PublishContext {
  readonly entries: readonly ArticleEntry[];
  /**
   * The full articles of `slugs`, in that order; each must hash to its entry's hash (a loader
   * that reads files again refuses one edited since it was indexed: content-index.ts).
   */
  readonly load: (slugs: readonly string[]) => Promise<Article[]>;
}

export type PublishInput = ArticlesInput | IndexedInput;

interface PublishContext {
  readonly stories: readonly Story[];
  readonly actors: readonly Actor[];
  /** slug → the file it came from (content/<slug>.md), for messages. */
  readonly files?: ReadonlyMap<string, string>;
  /** The folder published from, as messages show it (default "content"): names deleted files. */
  readonly contentDir?: string;
}

/**
 * The analysis of an article's body (scripts/analysis/, Node only): run on each new or changed
 * article, and on every article whose stored analysis is of another version.
 */
export interface ArticleAnalyzer {
  readonly version: number;
  analyze(article: Article): ArticleAnalysis;
}

export interface PublishOptions {
  /** Analyses new and changed articles; without it, none is stored (the digest takes no body text). */
  readonly analyzer?: ArticleAnalyzer;
  /** Delete published articles whose file is gone (their pages then answer 410). */
  readonly allowDelete?: boolean;
  /**
   * Where the served version's rows are read (every live slug and hash), when quicker than
   * `exec`: the local database's file, read-only (local-unchanged.ts localReader). Writes
   * always go through `exec`, each round trip guarded by the version these reads saw.
   */
  readonly reads?: Pick<SqlExecutor, "query">;
  /** Statements per round trip to D1. */
  readonly batchSize?: number;
  /** Bytes of SQL and values per round trip (besides batchSize); default no limit. */
  readonly batchBytes?: number;
  /** After each round trip: statements written so far, of `total`. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly now?: () => Date;
  /**
   * The command that would publish the same folder with deletions allowed, which a refusal to
   * delete names (default `npm run publish -- --allow-delete`).
   */
  readonly allowDeleteCommand?: string;
}

/** How many slugs the one-line hint names before "and N more". */
const HINT_SLUGS = 5;

/**
 * The last line of a refusal to delete: what to run, and what it will delete. Someone whose
 * `npm start` stopped because they had published another folder needs exactly this line.
 */
function allowDeleteHint(slugs: readonly string[], command: string): string {
  const named = [...slugs].sort().slice(0, HINT_SLUGS).join(", ");
  const more = slugs.length > HINT_SLUGS ? ` and ${slugs.length - HINT_SLUGS} more` : "";
  const n = slugs.length === 1 ? "the published article" : `the ${slugs.length} published articles`;
  return `To delete ${n} whose file is gone (${named}${more}), run: ${command}`;
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
  /** Articles read in full to be written (new and changed ones): the rest stayed entries. */
  readonly loaded: number;
}

/** Nothing was written: every problem names the file and what to do. */
export class PublishError extends Error {
  override readonly name = "PublishError";
  readonly problems: readonly string[];
  /** One line saying what to run next, when there is one thing to run (allowDeleteHint). */
  readonly hint: string | null;
  constructor(problems: readonly string[], hint: string | null = null, cause?: unknown) {
    super([...problems, ...(hint === null ? [] : [hint])].join("\n"), { cause });
    this.problems = problems;
    this.hint = hint;
  }
}

/**
 * The token of a content version: every article's hash, the stories, the watch list and the
 * analysis version. A version with the same token as the one served changes nothing.
 */
export async function contentToken(
  input: Pick<IndexedInput, "entries" | "stories" | "actors">,
  analysisVersion: number | null,
): Promise<string> {
  return sha256Hex(
    JSON.stringify([
      input.entries
        .map((e) => [e.slug, e.hash] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      input.stories,
      input.actors,
      ...(analysisVersion === null ? [] : [analysisVersion]),
    ]),
  );
}

async function indexed(input: PublishInput): Promise<IndexedInput> {
  if (!("articles" in input)) return input;
  const bySlug = new Map(input.articles.map((a) => [a.slug, a] as const));
  return {
    ...input,
    entries: await Promise.all(input.articles.map(articleEntry)),
    load: async (slugs) => slugs.map((s) => bySlug.get(s)!),
  };
}

export async function publishContent(
  exec: SqlExecutor,
  publishInput: PublishInput,
  options: PublishOptions = {},
): Promise<PublishReport> {
  const input = await indexed(publishInput);
  const file = (slug: string) =>
    input.files?.get(slug) ?? `${input.contentDir ?? "content"}/${slug}.md`;
  const state = await exec
    .query<{ version: number }>("SELECT version FROM content_state WHERE id = 1")
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      // Only a missing table means the migrations are missing; anything else (a locked or
      // unreachable database) is a read that failed, and saying otherwise misleads the operator.
      throw new PublishError(
        [
          /no such table/i.test(message)
            ? `the database has no content tables (${message}): apply the migrations first (wrangler d1 migrations apply DB)`
            : `the database could not be read (${message}): nothing was changed; run npm run publish again`,
        ],
        null,
        err,
      );
    });
  const current = state[0]?.version ?? 0;
  const next = current + 1;
  await exec.execute([versionGuard(current), ...abandonedRowsCleanup(current)]);
  // After the clean-up, which these reads must see (committed: its round trip has returned).
  const reads = options.reads ?? exec;

  // No title here: reading it would read every article's JSON; only deleted ones need it.
  const live = await reads.query<Omit<LiveRow, "title">>(
    "SELECT row_id, slug, article_id, hash, analysis_version FROM articles WHERE to_version IS NULL",
  );
  const knownIds = await reads.query<{ article_id: string; slug: string }>(
    "SELECT article_id, slug FROM article_ids",
  );
  const goneSlugs = new Set(
    (
      await reads.query<{ slug: string }>("SELECT slug FROM gone_articles WHERE to_version IS NULL")
    ).map((r) => r.slug),
  );
  const [tokenRow] = await reads.query<{ token: string }>(
    "SELECT token FROM content_versions WHERE version = ?",
    [current],
  );
  const [{ max_row: maxRow } = { max_row: 0 }] = await reads.query<{ max_row: number }>(
    "SELECT COALESCE(MAX(row_id), 0) AS max_row FROM articles",
  );

  timing("read the served version from D1 (slugs, hashes, ids)");
  const problems = idGuardProblems(input.entries, knownIds, file);
  const idOfSlug = new Map(knownIds.map((r) => [r.slug, r.article_id] as const));

  const incoming = new Map(input.entries.map((a) => [a.slug, a] as const));
  const liveBySlug = new Map(live.map((r) => [r.slug, r] as const));
  const missing = live.filter((r) => !incoming.has(r.slug));
  if (missing.length > 0 && !options.allowDelete) {
    for (const r of missing) {
      problems.push(
        `${file(r.slug)}: published, but the file is gone: restore it, or publish with --allow-delete to delete the article (its page then answers 410 Gone and it leaves the feeds)`,
      );
    }
  }
  const deletionHint =
    missing.length > 0 && !options.allowDelete
      ? allowDeleteHint(
          missing.map((r) => r.slug),
          options.allowDeleteCommand ?? "npm run publish -- --allow-delete",
        )
      : null;

  const hashes = new Map<string, string>();
  for (const a of input.entries) {
    if (a.bytes > MAX_ROW_BYTES - 10_000) {
      problems.push(
        `${file(a.slug)}: the article is ${(a.bytes / 1e6).toFixed(1)} MB once rendered: expected under 2 MB, D1's limit per row; split it`,
      );
    }
    hashes.set(a.slug, a.hash);
  }
  if (problems.length > 0) throw new PublishError(problems, deletionHint);

  const addedEntries = input.entries.filter((a) => !liveBySlug.has(a.slug));
  const analysisVersion = options.analyzer?.version ?? null;
  // An analysis of another version counts as a change: bumping the version re-analyses all.
  const changedEntries = input.entries.filter((a) => {
    const row = liveBySlug.get(a.slug);
    return (
      row !== undefined &&
      (row.hash !== hashes.get(a.slug) ||
        (analysisVersion !== null && row.analysis_version !== analysisVersion))
    );
  });
  const meta = computeMeta(input.entries, input.stories, input.actors);
  const token = await contentToken(input, analysisVersion);
  const empty = current === 0 && input.entries.length === 0;
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
      loaded: 0,
    };
  }

  timing("diff");
  const [added, changed] = await loadArticles(input, addedEntries, changedEntries);
  timing("load new and changed articles");
  const restored = added.filter((a) => goneSlugs.has(a.slug));
  const titles = await titlesOf(
    exec,
    missing.map((r) => r.row_id),
  );
  const gone = missing.map((r) => ({ ...r, title: titles.get(r.row_id) ?? r.slug }));

  const analyses = new Map<string, ArticleAnalysis>();
  if (options.analyzer) {
    let since = performance.now();
    for (const a of [...added, ...changed]) {
      analyses.set(a.slug, options.analyzer.analyze(a));
      // Minutes of analysis at 100,000 articles: let the event loop run now and then, so the
      // local D1's connection, closed meanwhile by the other side, is noticed and replaced
      // rather than written to ("fetch failed: other side closed").
      if (performance.now() - since > 100) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        since = performance.now();
      }
    }
  }
  timing("analyse");
  const statements = newVersionStatements({
    next,
    analyses,
    firstRowId: maxRow + 1,
    hashes,
    added,
    changed,
    restored,
    missing: gone,
    retired: [
      ...changed.map((a) => liveBySlug.get(a.slug)!.row_id),
      ...missing.map((r) => r.row_id),
    ],
    newIds: added.filter((a) => !idOfSlug.has(a.slug)),
    version: { token, createdAt: (options.now?.() ?? new Date()).toISOString(), meta },
  });

  const groups = groupStatements(statements.list, options.batchSize ?? 50, options.batchBytes);
  let done = 0;
  options.onProgress?.(0, statements.list.length);
  // As during the analysis: closed connections noticed before the first write.
  await new Promise((resolve) => setTimeout(resolve, 0));
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
    options.onProgress?.(done, statements.list.length);
  }

  timing("write the new version's rows");
  // The flip: one statement, and only if this version's rows are all there, exactly.
  const flip = flipStatement({
    next,
    current,
    articles: input.entries.length,
    newRows: statements.articleRows,
    tags: input.entries.reduce((n, a) => n + a.tags.length, 0),
    gone: missing.length,
    token,
  });
  const flipped = await exec.query<{ version: number }>(flip.sql, flip.params);
  if (flipped.length !== 1) {
    throw new PublishError([
      `another publish ran at the same time, or the database changed while this one ran: nothing of this one is served (readers still see version ${current}); run npm run publish again`,
    ]);
  }
  await exec.execute(pruneStatements(next));
  timing("flip and prune");
  return {
    status: "published",
    version: next,
    added: added.map((a) => a.slug),
    changed: changed.map((a) => a.slug),
    deleted: missing.map((r) => r.slug),
    restored: restored.map((a) => a.slug),
    statements: statements.list.length,
    roundTrips: groups.length,
    loaded: added.length + changed.length,
  };
}

/** The full articles of the added and changed entries. */
async function loadArticles(
  input: IndexedInput,
  added: readonly ArticleEntry[],
  changed: readonly ArticleEntry[],
): Promise<[Article[], Article[]]> {
  const articles = await input.load([...added, ...changed].map((e) => e.slug));
  return [articles.slice(0, added.length), articles.slice(added.length)];
}

/** The titles of published rows (a deleted article's 410 page names it), by row_id. */
async function titlesOf(
  exec: SqlExecutor,
  rowIds: readonly number[],
): Promise<Map<number, string>> {
  const titles = new Map<number, string>();
  for (let i = 0; i < rowIds.length; i += MAX_PARAMS) {
    const chunk = rowIds.slice(i, i + MAX_PARAMS);
    const rows = await exec.query<{ row_id: number; title: string }>(
      `SELECT row_id, json_extract(article, '$.title') AS title FROM articles WHERE row_id IN (${chunk.map(() => "?").join(", ")})`,
      chunk,
    );
    for (const r of rows) titles.set(r.row_id, r.title);
  }
  return titles;
}
