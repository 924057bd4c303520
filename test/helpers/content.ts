/**
 * Tests publish their fixture articles to the real local D1 exactly as `npm run publish` does,
 * and read them through the real ContentRepository. Each test starts from an empty content
 * store (the plugin isolates storage per test); a test that builds several apps with different
 * articles gets each app's articles back before that app reads (see TestContent.open).
 */
import { ContentRepository, type ContentView } from "../../src/content/view.ts";
import {
  type ArticleAnalyzer,
  publishContent,
  type PublishOptions,
} from "../../scripts/publish/publish.ts";
import { d1Executor } from "../../src/lib/sql-batch.ts";
import type { Actor } from "../../src/model/actor.ts";
import type { Article, Story } from "../../src/model/article.ts";
import { ANALYSIS_VERSION } from "../../scripts/analysis/analyze.ts";
import { analysed } from "./analysed.ts";

export interface TestContentInput {
  readonly articles: readonly Article[];
  readonly stories?: readonly Story[];
  readonly actors?: readonly Actor[];
}

/** Empties every content table, as a fresh database has them. */
export async function resetContent(db: D1Database): Promise<void> {
  await db.batch(
    [
      "DELETE FROM articles",
      "DELETE FROM article_tags",
      "DELETE FROM gone_articles",
      "DELETE FROM article_ids",
      "DELETE FROM content_versions",
      "UPDATE content_state SET version = 0",
    ].map((sql) => db.prepare(sql)),
  );
}

/** The token of the version readers see, or null when nothing is published. */
export async function publishedToken(db: D1Database): Promise<string | null> {
  const row = await db
    .prepare(
      "SELECT v.token AS token FROM content_state s JOIN content_versions v ON v.version = s.version",
    )
    .first<{ token: string }>();
  return row?.token ?? null;
}

/**
 * The analysis publish stores, for fixtures: the one a fixture carries, or the real analysis of
 * its body (as `npm run publish` would make it from the Markdown).
 */
export const fixtureAnalyzer: ArticleAnalyzer = {
  version: ANALYSIS_VERSION,
  analyze: (a) => a.analysis ?? analysed(a).analysis!,
};

/**
 * Publishes `input` (stories and watch list default to none) with the real publish, analysing
 * bodies as `npm run publish` does.
 */
export function publishFixtures(
  db: D1Database,
  input: TestContentInput,
  options: PublishOptions = {},
) {
  return publishContent(
    d1Executor(db),
    { articles: input.articles, stories: input.stories ?? [], actors: input.actors ?? [] },
    { analyzer: fixtureAnalyzer, ...options },
  );
}

/** A ContentRepository whose articles are `input`, published to the db it is opened on. */
export class TestContent extends ContentRepository {
  readonly #input: TestContentInput;
  #token: string | null | undefined;

  constructor(input: TestContentInput) {
    super();
    this.#input = input;
  }

  override async open(db: D1Database, refreshSeconds: number): Promise<ContentView> {
    const current = await publishedToken(db);
    if (this.#token === undefined || current !== this.#token) {
      await resetContent(db);
      await publishFixtures(db, this.#input);
      this.#token = await publishedToken(db);
    }
    return super.open(db, refreshSeconds);
  }
}
