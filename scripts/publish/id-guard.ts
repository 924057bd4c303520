/**
 * The id guard of a publish: readers tell new items from old by id (RSS guid, Atom id, JSON
 * Feed id), so an id and a slug stay paired for good once published.
 */
import type { Article } from "../../src/model/article.ts";

/** Every problem with the ids of `articles`, each naming the file (`file(slug)`). */
export function idGuardProblems(
  articles: readonly Pick<Article, "id" | "slug">[],
  published: readonly { readonly article_id: string; readonly slug: string }[],
  file: (slug: string) => string,
): string[] {
  const problems: string[] = [];
  const slugOfId = new Map(published.map((r) => [r.article_id, r.slug] as const));
  const idOfSlug = new Map(published.map((r) => [r.slug, r.article_id] as const));
  const seenIds = new Map<string, string>();
  for (const a of articles) {
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
  return problems;
}
