/**
 * A list's topics settled against the published content: each must be one of the site's tags or
 * stories, as the preferences page offers them, or its row is rejected. A topic no content has
 * is a typo or a category of the old platform: imported as it is, it would give its reader a
 * digest cut to nothing, silently. The operator fixes the file (or publishes first) and runs it
 * again. Pure: the known tags and stories are read by import-store.ts.
 */
import { type Topic, topic } from "../model/topic.ts";

export interface KnownTopics {
  /** The tags of the published version's articles. */
  readonly tags: ReadonlySet<string>;
  /** The stories it titles or its articles name. */
  readonly stories: ReadonlySet<string>;
}

export type TopicsResolution =
  | { readonly ok: true; readonly topics: readonly Topic[] }
  | { readonly ok: false; readonly reason: string };

/**
 * `given` (as import-rows.ts read them: `tag:x`, `story:x` or a bare `x`, all kebab case) as topics, sorted. A
 * bare id is the tag of that name, else the story: tags are what readers of the old platforms
 * followed.
 */
export function resolveTopics(given: readonly string[], known: KnownTopics): TopicsResolution {
  const topics = new Set<Topic>();
  for (const value of given) {
    const [kind, id] = value.includes(":") ? value.split(":", 2) : [null, value];
    const resolved =
      (kind === "tag" || kind === null) && known.tags.has(id!)
        ? topic("tag", id!)
        : (kind === "story" || kind === null) && known.stories.has(id!)
          ? topic("story", id!)
          : null;
    if (resolved === null) return { ok: false, reason: unknownTopic(value, known) };
    topics.add(resolved);
  }
  return { ok: true, topics: [...topics].sort() };
}

function unknownTopic(value: string, known: KnownTopics): string {
  if (known.tags.size === 0 && known.stories.size === 0)
    return `topic “${value}” is not a tag or story of the published content, which has none yet: publish the content first, or leave the topics cell empty (everything)`;
  const what = value.startsWith("tag:")
    ? "a tag"
    : value.startsWith("story:")
      ? "a story"
      : "a tag or story";
  return `topic “${value}” is not ${what} of the published content: expected one of its tags or story ids (they are listed on the preferences page), or an empty cell (everything)`;
}
