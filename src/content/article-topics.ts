/**
 * Which topics (tags and story) each of a digest's articles has, as the published content has
 * them: what a reader's topics are matched against when their digest is cut to them
 * (src/digest/topic-filter.ts). One query for the whole digest.
 */
import { articleTopics, type Topic } from "../model/topic.ts";

/** Article slug → its topics. */
export type ArticleTopicIndex = ReadonlyMap<string, readonly Topic[]>;

export async function articleTopicIndex(
  db: D1Database,
  slugs: readonly string[],
): Promise<ArticleTopicIndex> {
  const index = new Map<string, readonly Topic[]>();
  if (slugs.length === 0) return index;
  const { results } = await db
    .prepare(
      `SELECT a.slug, a.story, a.article ->> '$.tags' AS tags
       FROM articles a, content_state cs
       WHERE cs.id = 1 AND a.slug IN (SELECT value FROM json_each(?1))
         AND a.from_version <= cs.version AND (a.to_version IS NULL OR a.to_version > cs.version)`,
    )
    .bind(JSON.stringify([...new Set(slugs)]))
    .all<{ slug: string; story: string | null; tags: string | null }>();
  for (const row of results) {
    let tags: unknown;
    try {
      tags = JSON.parse(row.tags ?? "[]");
    } catch {
      tags = []; // a row that is not an Article's JSON has no tags to match
    }
    index.set(
      row.slug,
      articleTopics({
        tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [],
        story: row.story,
      }),
    );
  }
  return index;
}
