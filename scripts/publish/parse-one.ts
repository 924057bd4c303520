/**
 * One content file parsed, rendered and (with `pasted`) checked for page chrome: what
 * content-index.ts does with a file the cache does not know, in this thread or in a worker
 * (parse-pool.ts). A pure function of the file's text, `now` and the watch list.
 */
import type { Actor } from "../../src/model/actor.ts";
import type { ArticleAnalysis } from "../../src/model/analysis.ts";
import type { Article, Claim } from "../../src/model/article.ts";
import { createHash } from "node:crypto";
import type { pastedPageLines as pastedPageLinesType } from "../analysis/publish-analyzer.ts";
import { renderArticle } from "../build-content.ts";
import { type ContentError, parseArticleFile } from "../content/parse.ts";
import type { ArticleEntry } from "./publish.ts";
import { literalBytes } from "../../src/lib/sql-batch.ts";

/** What publish keeps of a valid file between runs. */
export interface IndexEntry extends ArticleEntry {
  /** The file as messages name it (relative to the working directory). */
  readonly path: string;
  readonly idLine: number;
  readonly storyLine: number;
  readonly claims: readonly Claim[];
  readonly claimLines: readonly number[];
  /** `file:line` lines of page chrome in the body (scripts/analysis/chrome.ts). */
  readonly warnings: readonly string[];
}

export interface LoadedArticle {
  readonly article: Article;
  readonly body: { readonly markdown: string; readonly line: number };
  /** Its analysis, when a worker made it along with the parse (a full publish); else absent. */
  readonly analysis?: ArticleAnalysis;
}

export type PastedPageLines = typeof pastedPageLinesType;

export type ParseResult =
  { ok: false; errors: ContentError[] } | { ok: true; entry: IndexEntry; loaded: LoadedArticle };

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function parseOne(
  path: string,
  text: string,
  now: Date,
  actors: readonly Actor[],
  pasted: PastedPageLines | null,
): ParseResult {
  const result = parseArticleFile({ path, text }, now);
  if (result.article === null) return { ok: false, errors: result.errors };
  const source = result.article;
  const article = renderArticle(source);
  const json = JSON.stringify(article);
  const body = { markdown: source.markdown, line: source.markdownLine };
  const entry: IndexEntry = {
    path,
    slug: article.slug,
    id: article.id,
    idLine: source.idLine,
    // The same hash publish computes of a full article (articleEntry): D1's `hash` column.
    hash: sha256(json),
    bytes: literalBytes(json),
    tags: article.tags,
    story: article.story,
    storyLine: source.storyLine,
    published: article.published,
    updated: article.updated,
    claims: source.claims,
    claimLines: source.claimLines,
    warnings: pasted === null ? [] : pasted(path, article, body, [...actors]),
  };
  return { ok: true, entry, loaded: { article, body } };
}
