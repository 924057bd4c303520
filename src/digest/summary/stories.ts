/**
 * Developing stories in a week's summary: what earlier weeks of a story already said (so this
 * week's items can say what is new), and the chosen items grouped by story, each carrying the
 * story and the earlier weeks that had it.
 */
import { weekOf } from "../../lib/time.ts";
import type { Article } from "../../model/article.ts";
import { stripUnsafeChars } from "../../model/safe-text.ts";
import { candidateSentences } from "./extract.ts";
import type { Development, Provenance, StoryRef } from "./model.ts";
import { contentWords } from "./similarity.ts";
import type { SummaryInput } from "./summarizer.ts";

/** A chosen item: its text and the article it came from. */
export interface Chosen {
  readonly text: string;
  readonly article: Article;
  readonly provenance: Provenance;
}

/** Story id → the content words of every candidate sentence of its earlier articles. */
export function storyHistory(
  earlier: readonly Article[],
  week: readonly Article[],
): Map<string, ReadonlySet<string>[]> {
  const stories = new Set(week.map((a) => a.story).filter((s) => s !== null));
  const out = new Map<string, ReadonlySet<string>[]>();
  for (const a of earlier) {
    if (a.story === null || !stories.has(a.story)) continue;
    const list = out.get(a.story) ?? [];
    for (const s of candidateSentences(a)) list.push(contentWords(s.text));
    out.set(a.story, list);
  }
  return out;
}

/**
 * The chosen items as developments, each story's items together where its first one ranked,
 * each carrying the story and the earlier weeks that had it.
 */
export function withStories(
  chosen: readonly Chosen[],
  input: Pick<SummaryInput, "week" | "timeZone" | "earlier" | "storyTitles">,
  week: readonly Article[],
): Development[] {
  const refs = new Map<string, StoryRef>();
  const storyRef = (id: string): StoryRef => {
    let ref = refs.get(id);
    if (!ref) {
      const weeks = new Set<string>();
      for (const a of input.earlier ?? []) {
        if (a.story === id) weeks.add(weekOf(Date.parse(a.published), input.timeZone));
      }
      weeks.delete(input.week.key);
      ref = {
        id,
        title: input.storyTitles?.get(id) ?? id,
        earlierWeeks: [...weeks].sort().reverse(),
      };
      refs.set(id, ref);
    }
    return ref;
  };
  const groups = new Map<string, Chosen[]>();
  chosen.forEach((c, i) => {
    const key = c.article.story ?? `#${i}`;
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  });
  // A one-article week's story is the whole digest: no need to repeat it on the items.
  const single =
    week.length === 1 && (input.earlier ?? []).every((a) => a.story !== week[0]!.story);
  return [...groups.values()].flat().map((c) => ({
    text: c.text,
    articleSlug: c.article.slug,
    articleId: c.article.id,
    articleTitle: stripUnsafeChars(c.article.title),
    source: stripUnsafeChars(c.article.source),
    story: c.article.story === null || single ? null : storyRef(c.article.story),
    provenance: c.provenance,
  }));
}
