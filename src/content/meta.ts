/**
 * What a content version knows besides its articles: counts, tags, stories and the watch list.
 * Computed by the publish from the whole content/ folder and stored with the version, so that
 * serving a tag index, a feed's archive plan or a digest's watch list needs no query.
 */
import type { Actor } from "../model/actor.ts";
import { type Article, modifiedTime, type Story } from "../model/article.ts";

export interface TagMeta {
  readonly tag: string;
  readonly count: number;
  readonly newestModifiedMs: number;
}

export interface StoryMeta extends Story {
  /** How many published articles belong to the story (0: titled in stories.yaml, unused). */
  readonly count: number;
  readonly newestModifiedMs: number | null;
}

export interface ContentMeta {
  readonly articleCount: number;
  /** The newest change among all articles, or null when there are none. */
  readonly newestModifiedMs: number | null;
  /** Every tag with its article count, most used first, then by name. */
  readonly tags: readonly TagMeta[];
  /** Every story content/stories.yaml titles. */
  readonly stories: readonly StoryMeta[];
  /** The summary's watch list, from content/actors.yaml. */
  readonly actors: readonly Actor[];
}

export const EMPTY_META: ContentMeta = {
  articleCount: 0,
  newestModifiedMs: null,
  tags: [],
  stories: [],
  actors: [],
};

export function computeMeta(
  articles: readonly Pick<Article, "tags" | "story" | "published" | "updated">[],
  stories: readonly Story[],
  actors: readonly Actor[],
): ContentMeta {
  const tags = new Map<string, { count: number; newest: number }>();
  const byStory = new Map<string, { count: number; newest: number }>();
  let newest = -Infinity;
  const bump = (map: Map<string, { count: number; newest: number }>, key: string, t: number) => {
    const entry = map.get(key);
    if (entry) {
      entry.count++;
      entry.newest = Math.max(entry.newest, t);
    } else map.set(key, { count: 1, newest: t });
  };
  for (const a of articles) {
    const t = modifiedTime(a);
    newest = Math.max(newest, t);
    for (const tag of a.tags) bump(tags, tag, t);
    if (a.story !== null) bump(byStory, a.story, t);
  }
  return {
    articleCount: articles.length,
    newestModifiedMs: newest === -Infinity ? null : newest,
    tags: [...tags]
      .map(([tag, e]) => ({ tag, count: e.count, newestModifiedMs: e.newest }))
      .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)),
    // A story content/stories.yaml does not title (the content check refuses that; fixtures
    // may not) is titled by its id.
    stories: [
      ...stories,
      ...[...byStory.keys()]
        .filter((id) => !stories.some((s) => s.id === id))
        .map((id) => ({ id, title: id })),
    ].map((s) => ({
      id: s.id,
      title: s.title,
      count: byStory.get(s.id)?.count ?? 0,
      newestModifiedMs: byStory.get(s.id)?.newest ?? null,
    })),
    actors,
  };
}
