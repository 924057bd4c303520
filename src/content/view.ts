/**
 * The articles as the Worker reads them: a ContentRepository per isolate remembers the
 * published content version for `contentRefreshSeconds`, so warm requests (whose responses are
 * cached by version) make no D1 query; a ContentView is that version, with the queries on it.
 * Any D1 failure surfaces as ContentUnavailableError, which the app answers with 503.
 */
import type { Article, Story } from "../model/article.ts";
import type { ContentMeta, StoryMeta, TagMeta } from "./meta.ts";
import * as q from "./queries.ts";

/** D1 could not be read: the request should be retried later (503), not reported as a bug. */
export class ContentUnavailableError extends Error {
  override readonly name = "ContentUnavailableError";
}

async function guarded<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    throw new ContentUnavailableError(
      `reading ${what} from D1 failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** A developing story and its articles, oldest first (a timeline). */
export interface StoryEntry {
  readonly story: Story;
  readonly articles: readonly Article[];
}

export type ArticleLookup =
  | { readonly kind: "article"; readonly article: Article; readonly story: Story | null }
  | { readonly kind: "gone"; readonly title: string }
  | { readonly kind: "missing" };

export class ContentView {
  readonly #db: D1Database;
  readonly version: number;
  /** Same content, same token: what response caches are keyed by. */
  readonly token: string;
  readonly meta: ContentMeta;

  constructor(db: D1Database, published: q.PublishedVersion) {
    this.#db = db;
    this.version = published.version;
    this.token = published.token;
    this.meta = published.meta;
  }

  /** Articles in scope: the whole site (null) or one tag; 0 for an unknown tag. */
  count(tag: string | null): number {
    return tag === null ? this.meta.articleCount : (this.tag(tag)?.count ?? 0);
  }

  tag(tag: string): TagMeta | null {
    return this.meta.tags.find((t) => t.tag === tag) ?? null;
  }

  story(id: string): StoryMeta | null {
    return this.meta.stories.find((s) => s.id === id) ?? null;
  }

  /** `limit` articles from `offset` of the newest-first list of the scope. */
  async list(tag: string | null, limit: number, offset = 0): Promise<Article[]> {
    const total = this.count(tag);
    const end = Math.min(total, offset + limit);
    // The older half is read from the oldest end, so an OFFSET never walks more than half.
    if (offset > total - end) {
      const fromOldest = await guarded("articles", () =>
        q.listArticles(this.#db, this.version, tag, end - offset, total - end, "oldest"),
      );
      return fromOldest.reverse();
    }
    return guarded("articles", () => q.listArticles(this.#db, this.version, tag, limit, offset));
  }

  async article(slug: string): Promise<ArticleLookup> {
    const article = await guarded("an article", () =>
      q.getArticleBySlug(this.#db, this.version, slug),
    );
    if (article !== null) {
      const story = article.story === null ? null : this.story(article.story);
      return {
        kind: "article",
        article,
        story: story === null ? null : { id: story.id, title: story.title },
      };
    }
    const gone = await guarded("a deleted article", () =>
      q.getGoneArticle(this.#db, this.version, slug),
    );
    if (gone !== null) return { kind: "gone", title: gone.title };
    // A 404 tells readers and crawlers the page does not exist: answer it only when a third,
    // independent read agrees (a damaged index can lose a row without raising an error).
    const known = await guarded("an article's id", () =>
      q.isPublishedSlug(this.#db, this.version, slug),
    );
    if (known) {
      throw new ContentUnavailableError(
        `the article "${slug}" was published at or before version ${this.version} but neither it nor its deletion could be read`,
      );
    }
    return { kind: "missing" };
  }

  async storyEntry(id: string): Promise<StoryEntry | null> {
    const story = this.story(id);
    if (story === null || story.count === 0) return null;
    const articles = await guarded("a story", () =>
      q.listStoryArticles(this.#db, this.version, id),
    );
    return { story: { id: story.id, title: story.title }, articles };
  }

  publishedBetween(startMs: number, endMs: number): Promise<Article[]> {
    return guarded("a week's articles", () =>
      q.listArticlesPublishedBetween(this.#db, this.version, startMs, endMs),
    );
  }

  storyHistory(stories: readonly string[], beforeMs: number): Promise<Article[]> {
    return guarded("stories' earlier articles", () =>
      q.listStoryArticlesBefore(this.#db, this.version, stories, beforeMs),
    );
  }

  publishedTimes(): Promise<number[]> {
    return guarded("publication times", () => q.listPublishedTimes(this.#db, this.version));
  }

  newestModifiedInSlice(limit: number, offset: number): Promise<number | null> {
    return guarded("modification times", () =>
      q.newestModifiedInSlice(this.#db, this.version, limit, offset),
    );
  }

  articleLocations(limit: number, offset: number): Promise<{ slug: string; modifiedMs: number }[]> {
    return guarded("article locations", () =>
      q.listArticleLocations(this.#db, this.version, limit, offset),
    );
  }
}

export interface ContentRepositoryOptions {
  /** Milliseconds since the epoch; tests move it. */
  readonly now?: () => number;
}

/**
 * One per isolate: remembers the published version for a while (see the module comment).
 *
 * Only a settled ContentView (plain data and the isolate's D1 binding) is shared between
 * requests, never the read in flight: Workers tie I/O to the request that started it, so a
 * request that awaited another's read failed with "Cannot perform I/O on behalf of a different
 * request" (500) or hung when that request was cancelled. Requests that find no fresh version
 * each read it (one small query); the read that started last is kept.
 */
export class ContentRepository {
  readonly #now: () => number;
  #current: { db: D1Database; view: ContentView; at: number; read: number } | null = null;
  #reads = 0;

  constructor(options: ContentRepositoryOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** The published version, read from D1 at most once per `refreshSeconds` (per request missing it). */
  async open(db: D1Database, refreshSeconds: number): Promise<ContentView> {
    const now = this.#now();
    const current = this.#current;
    if (current && current.db === db && now - current.at < refreshSeconds * 1000) {
      return current.view;
    }
    const read = ++this.#reads;
    // A failed read throws here and is not remembered: the next request asks D1 again.
    const published = await guarded("the content version", () => q.getPublishedVersion(db));
    const view = new ContentView(db, published);
    // A read that started earlier may finish later with an older version: never go back to it.
    const latest = this.#current;
    if (!latest || latest.db !== db || read > latest.read) {
      this.#current = { db, view, at: now, read };
    }
    return view;
  }
}
