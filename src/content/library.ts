/**
 * The article collection with the indexes routes need. Built once per isolate: the articles are
 * compiled into the bundle, so nothing here changes until the next deploy.
 */
import { type Article, compareNewestFirst, modifiedTime, type Story } from "../model/article.ts";

/** A developing story and its articles, oldest first (a timeline). */
export interface StoryEntry {
  readonly story: Story;
  readonly articles: readonly Article[];
}

export interface Library {
  /** Newest first. */
  readonly articles: readonly Article[];
  readonly bySlug: ReadonlyMap<string, Article>;
  /** Tag → its articles, newest first. */
  readonly byTag: ReadonlyMap<string, readonly Article[]>;
  /** Every tag, with its article count, most used first. */
  readonly tags: readonly { readonly tag: string; readonly count: number }[];
  /** Story id → the story and its articles. */
  readonly stories: ReadonlyMap<string, StoryEntry>;
}

/** `stories`: titles from content/stories.yaml; a story without one is titled by its id. */
export function createLibrary(articles: readonly Article[], stories: readonly Story[] = []): Library {
  const sorted = [...articles].sort(compareNewestFirst);
  const bySlug = new Map(sorted.map((a) => [a.slug, a] as const));
  const byTag = new Map<string, Article[]>();
  for (const article of sorted) {
    for (const tag of article.tags) {
      const list = byTag.get(tag);
      if (list) list.push(article);
      else byTag.set(tag, [article]);
    }
  }
  const tags = [...byTag]
    .map(([tag, list]) => ({ tag, count: list.length }))
    .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1));
  const titles = new Map(stories.map((s) => [s.id, s] as const));
  const byStory = new Map<string, StoryEntry>();
  for (const article of [...sorted].reverse()) {
    if (article.story === null) continue;
    const entry = byStory.get(article.story);
    if (entry) (entry.articles as Article[]).push(article);
    else {
      const story = titles.get(article.story) ?? { id: article.story, title: article.story };
      byStory.set(article.story, { story, articles: [article] });
    }
  }
  return { articles: sorted, bySlug, byTag, tags, stories: byStory };
}

/** The newest change among `articles` (for Last-Modified and a feed's updated time). */
export function newestChange(articles: readonly Article[]): Date | null {
  let newest = -Infinity;
  for (const a of articles) newest = Math.max(newest, modifiedTime(a));
  return newest === -Infinity ? null : new Date(newest);
}
