/**
 * A reader's topics: everything (the default), or a few tags and developing stories. Stored as
 * one canonical string (migrations/0015_reader_topics.sql), a JSON array of `tag:<tag>` and
 * `story:<id>` sorted and without duplicates, so that readers who chose the same topics share
 * one value: the producer groups recipients by it and the consumer renders each value once.
 */

export type TopicKind = "tag" | "story";

/** `tag:<tag>` or `story:<id>`, both kebab case (the article model's tags and story ids). */
export type Topic = `${TopicKind}:${string}`;

/** More than this and "everything" is what the reader means; it also bounds a form's fields. */
export const MAX_TOPICS = 12;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TOPIC = /^(tag|story):([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export function topic(kind: TopicKind, id: string): Topic {
  if (!KEBAB.test(id) || id.length > 80)
    throw new TypeError(`topic: ${kind} ${JSON.stringify(id)} is not a kebab-case id`);
  return `${kind}:${id}`;
}

export function isTopic(value: string): value is Topic {
  return value.length <= 86 && TOPIC.test(value);
}

export type TopicsParse =
  | { readonly ok: true; readonly topics: readonly Topic[] }
  | { readonly ok: false; readonly problem: string };

/**
 * Topics from untrusted input (a form, an import): each `tag:<kebab>` or `story:<kebab>`, at
 * most MAX_TOPICS. Sorted and deduplicated; empty means everything.
 */
export function parseTopics(values: readonly string[]): TopicsParse {
  const topics = new Set<Topic>();
  for (const value of values) {
    if (!isTopic(value))
      return {
        ok: false,
        problem: `topic ${JSON.stringify(value.slice(0, 90))}: expected tag:<tag> or story:<story id>, in kebab case`,
      };
    topics.add(value);
  }
  if (topics.size > MAX_TOPICS)
    return {
      ok: false,
      problem: `${topics.size} topics: expected at most ${MAX_TOPICS} (or "everything")`,
    };
  return { ok: true, topics: [...topics].sort() };
}

/** The stored value: null for everything (no topics), else the canonical JSON array. */
export function topicsKey(topics: readonly Topic[]): string | null {
  if (topics.length === 0) return null;
  return JSON.stringify([...new Set(topics)].sort());
}

/** The topics of a stored value (null: everything, no topics). Unknown entries are dropped. */
export function topicsOfKey(key: string | null): Topic[] {
  if (key === null) return [];
  try {
    const parsed: unknown = JSON.parse(key);
    return Array.isArray(parsed)
      ? parsed.filter((v): v is Topic => typeof v === "string" && isTopic(v))
      : [];
  } catch {
    return [];
  }
}

/** The article's topics: its tags and its story. */
export function articleTopics(article: {
  readonly tags: readonly string[];
  readonly story: string | null;
}): Topic[] {
  return [
    ...article.tags.filter((t) => KEBAB.test(t)).map((t) => `tag:${t}` as const),
    ...(article.story !== null && KEBAB.test(article.story)
      ? [`story:${article.story}` as const]
      : []),
  ];
}
