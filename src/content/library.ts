/**
 * The article collection with the indexes routes need. Built once per isolate: the articles are
 * compiled into the bundle, so nothing here changes until the next deploy.
 */
import { type Article, compareNewestFirst, modifiedTime } from "../model/article.ts";

export interface Library {
  /** Newest first. */
  readonly articles: readonly Article[];
  readonly bySlug: ReadonlyMap<string, Article>;
  /** Tag → its articles, newest first. */
  readonly byTag: ReadonlyMap<string, readonly Article[]>;
  /** Every tag, with its article count, most used first. */
  readonly tags: readonly { readonly tag: string; readonly count: number }[];
}

export function createLibrary(articles: readonly Article[]): Library {
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
  return { articles: sorted, bySlug, byTag, tags };
}

/** The newest change among `articles` (for Last-Modified and a feed's updated time). */
export function newestChange(articles: readonly Article[]): Date | null {
  let newest = -Infinity;
  for (const a of articles) newest = Math.max(newest, modifiedTime(a));
  return newest === -Infinity ? null : new Date(newest);
}
