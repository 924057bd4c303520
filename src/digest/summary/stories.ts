/**
 * Developing stories in a week's summary: what earlier weeks of a story already said (so this
 * week's items can say what is new), and the chosen items grouped by story, each carrying the
 * story and the earlier weeks that had it.
 */
import { weekOf } from "../../lib/time.ts";
import type { Article } from "../../model/article.ts";
import { stripUnsafeChars } from "../../model/safe-text.ts";
import { candidateSentences } from "./extract.ts";
import type { Development, Provenance, StoryRef, WeekKey } from "./model.ts";
import { contentWords } from "./similarity.ts";
import type { SummaryInput } from "./summarizer.ts";

/** A chosen item: its text, the article it came from, and the earlier week that had its news. */
export interface Chosen {
  readonly text: string;
  readonly article: Article;
  readonly provenance: Provenance;
  readonly reportedIn: WeekKey | null;
}

/** What an earlier week of a story said: one candidate sentence's content words, and the week. */
export interface EarlierSentence {
  readonly words: ReadonlySet<string>;
  readonly week: WeekKey;
}

/** Story id → every candidate sentence of its earlier articles, oldest week first. */
export function storyHistory(
  earlier: readonly Article[],
  week: readonly Article[],
  timeZone: string,
): Map<string, EarlierSentence[]> {
  const stories = new Set(week.map((a) => a.story).filter((s) => s !== null));
  const out = new Map<string, EarlierSentence[]>();
  for (const a of earlier) {
    if (a.story === null || !stories.has(a.story)) continue;
    const list = out.get(a.story) ?? [];
    const when = weekOf(Date.parse(a.published), timeZone);
    for (const s of candidateSentences(a)) list.push({ words: contentWords(s.text), week: when });
    out.set(a.story, list);
  }
  // The first week that had the news is the one a reader is pointed to.
  for (const list of out.values())
    list.sort((x, y) => (x.week < y.week ? -1 : x.week > y.week ? 1 : 0));
  return out;
}

/**
 * The chosen items in reading order: this week's news first, then what an earlier week already
 * reported; within each, a story's items together where its first one ranked.
 */
function readingOrder(chosen: readonly Chosen[]): Chosen[] {
  const byStory = (list: readonly Chosen[]) => {
    const groups = new Map<string, Chosen[]>();
    list.forEach((c, i) => {
      const key = c.article.story ?? `#${i}`;
      const group = groups.get(key);
      if (group) group.push(c);
      else groups.set(key, [c]);
    });
    return [...groups.values()].flat();
  };
  return [
    ...byStory(chosen.filter((c) => c.reportedIn === null)),
    ...byStory(chosen.filter((c) => c.reportedIn !== null)),
  ];
}

/**
 * The chosen items as developments in reading order (new news first, then repeats; a story's
 * items together within each), each carrying the story and the earlier weeks that had it.
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
  // A one-article week's story is the whole digest: no need to repeat it on the items.
  const single =
    week.length === 1 && (input.earlier ?? []).every((a) => a.story !== week[0]!.story);
  return readingOrder(chosen).map((c) => ({
    text: c.text,
    articleSlug: c.article.slug,
    articleId: c.article.id,
    articleTitle: stripUnsafeChars(c.article.title),
    source: stripUnsafeChars(c.article.source),
    story: c.article.story === null || single ? null : storyRef(c.article.story),
    provenance: c.provenance,
    reportedIn: c.reportedIn,
  }));
}
