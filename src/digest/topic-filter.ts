/**
 * A week's digest cut to a reader's topics: only the key developments, figures and articles of
 * the stories and tags they chose. Everything else (the week, who was active, the links) stays
 * as it is, and the cut summary is rendered by the same renderDigestEmail as the whole one.
 * Readers with no topics get the stored, whole digest: they never pass through here.
 */
import type { ArticleTopicIndex } from "../content/article-topics.ts";
import type { Topic } from "../model/topic.ts";
import type { DigestSummary } from "./summary/model.ts";

/** Every slug a summary refers to: what the topic index must cover. */
export function summarySlugs(summary: DigestSummary): string[] {
  return [
    ...new Set([
      ...summary.articles.map((a) => a.slug),
      ...summary.developments.map((d) => d.articleSlug),
      ...summary.figures.map((f) => f.articleSlug),
    ]),
  ];
}

function topicsOf(index: ArticleTopicIndex, slug: string, story: string | null): Topic[] {
  const own = index.get(slug) ?? [];
  return story === null ? [...own] : [...own, `story:${story}`];
}

/**
 * Every topic something in the week belongs to, sorted: a reader whose topics meet none of them
 * has nothing this week, and is sent nothing.
 */
export function weekTopics(summary: DigestSummary, index: ArticleTopicIndex): Topic[] {
  const all = new Set<Topic>();
  for (const a of summary.articles) for (const t of topicsOf(index, a.slug, null)) all.add(t);
  for (const d of summary.developments)
    for (const t of topicsOf(index, d.articleSlug, d.story?.id ?? null)) all.add(t);
  for (const f of summary.figures) for (const t of topicsOf(index, f.articleSlug, null)) all.add(t);
  return [...all].sort();
}

/**
 * The summary with only what belongs to one of `topics`; null when nothing does. The editor's
 * introduction, when digests have one, is the week's and stays.
 */
export function filterSummary(
  summary: DigestSummary,
  topics: readonly Topic[],
  index: ArticleTopicIndex,
): DigestSummary | null {
  const wanted = new Set(topics);
  const matches = (slug: string, story: string | null) =>
    topicsOf(index, slug, story).some((t) => wanted.has(t));
  const developments = summary.developments.filter((d) =>
    matches(d.articleSlug, d.story?.id ?? null),
  );
  const figures = summary.figures.filter((f) => matches(f.articleSlug, null));
  const articles = summary.articles.filter((a) => matches(a.slug, null));
  if (developments.length === 0 && figures.length === 0 && articles.length === 0) return null;
  return { ...summary, developments, figures, articles };
}
