/** Grouping articles into ISO weeks, and summarizing one week. */
import { weekOf, weekRange } from "../../lib/time.ts";
import type { Article } from "../../model/article.ts";
import { compareNewestFirst, publishedTime } from "../../model/article.ts";
import type { Actor } from "./actors.ts";
import type { DigestSummary, WeekKey } from "./model.ts";
import type { Summarizer } from "./summarizer.ts";

/** Week → its articles (newest first), newest week first. Weeks without articles are absent. */
export function listArticlesByWeek(
  articles: readonly Article[],
  timeZone: string,
): Map<WeekKey, Article[]> {
  const weeks = new Map<WeekKey, Article[]>();
  for (const a of [...articles].sort(compareNewestFirst)) {
    const key = weekOf(publishedTime(a), timeZone);
    const list = weeks.get(key);
    if (list) list.push(a);
    else weeks.set(key, [a]);
  }
  return new Map([...weeks].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0)));
}

export interface WeekSummaryInput {
  readonly week: WeekKey;
  readonly timeZone: string;
  /** Every article: the week's are picked out, and earlier ones give stories their history. */
  readonly articles: readonly Article[];
  readonly actors: readonly Actor[];
  readonly summarizer: Summarizer;
  /** Story id → title. */
  readonly storyTitles?: ReadonlyMap<string, string>;
}

/** The week's summary, or null when the week has no articles (no digest for empty weeks). */
export async function summarizeWeek(input: WeekSummaryInput): Promise<DigestSummary | null> {
  const range = weekRange(input.week, input.timeZone);
  const inWeek = input.articles.filter((a) => {
    const t = publishedTime(a);
    return t >= range.start.getTime() && t < range.end.getTime();
  });
  if (inWeek.length === 0) return null;
  const earlier = input.articles.filter((a) => publishedTime(a) < range.start.getTime());
  return input.summarizer.summarize({
    week: range,
    timeZone: input.timeZone,
    articles: inWeek,
    actors: input.actors,
    earlier,
    ...(input.storyTitles ? { storyTitles: input.storyTitles } : {}),
  });
}
