/**
 * The step the digest evaluation measures, in one place: a folder of article files (as an
 * operator writes them for `content/`) → one digest summary per week with articles. Anything
 * the published digest does to articles before summarizing them belongs in `weekDigests`, so
 * the evaluation measures what readers get.
 */
import type { Article } from "../../src/model/article.ts";
import type { DigestSummary } from "../../src/digest/summary/model.ts";
import { listArticlesByWeek, summarizeWeek } from "../../src/digest/summary/summarize-week.ts";
import { ExtractiveSummarizer } from "../../src/digest/summary/summarizer.ts";
import { contentAnalyzer } from "../analysis/publish-analyzer.ts";
import { loadContent } from "../build-content.ts";

export interface WeekDigests {
  readonly articles: readonly Article[];
  /** One per week with articles, oldest week first. */
  readonly digests: readonly DigestSummary[];
}

/** Loads `contentDir` as publish does and summarizes every week, as the digest build does. */
export async function weekDigests(contentDir: string, timeZone = "UTC"): Promise<WeekDigests> {
  const content = await loadContent(contentDir);
  if (content.errors.length > 0) {
    throw new Error(`${contentDir} is not valid content:\n${content.errors.join("\n")}`);
  }
  // Each article with the analysis `npm run publish` stores for it: the summary the cron makes.
  const analyzer = contentAnalyzer(content);
  const articles = content.articles.map((a) => ({ ...a, analysis: analyzer.analyze(a) }));
  const summarizer = new ExtractiveSummarizer();
  const storyTitles = new Map(content.stories.map((s) => [s.id, s.title] as const));
  const weeks = [...listArticlesByWeek(articles, timeZone).keys()].reverse();
  const digests: DigestSummary[] = [];
  for (const week of weeks) {
    const summary = await summarizeWeek({
      week,
      timeZone,
      articles,
      actors: content.actors,
      summarizer,
      storyTitles,
    });
    if (summary !== null) digests.push(summary);
  }
  return { articles, digests };
}
