/**
 * Fixture articles with the analysis `npm run publish` would store for them: their HTML body
 * written back as the Markdown an operator would have pasted, analysed by the real publish-time
 * analysis (scripts/analysis/).
 */
import { analyzeArticle } from "../../scripts/analysis/analyze.ts";
import type { Article } from "../../src/model/article.ts";

const inline = (html: string) =>
  html
    .replace(/<\/?(?:strong|b)>/g, "**")
    .replace(/<[^>]*>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** Fixture HTML (p, h2–h4, blockquote, li, a wholly italic p) as Markdown, a block a paragraph. */
export function fixtureMarkdown(html: string): string {
  const blocks: string[] = [];
  const re = /<blockquote>([\s\S]*?)<\/blockquote>|<(p|h[2-4]|li)>([\s\S]*?)<\/\2>/gi;
  for (const m of html.matchAll(re)) {
    if (m[1] !== undefined) {
      for (const p of m[1].matchAll(/<p>([\s\S]*?)<\/p>/gi)) blocks.push(`> ${inline(p[1]!)}`);
      continue;
    }
    const tag = m[2]!.toLowerCase();
    const inner = m[3]!.trim();
    if (tag.startsWith("h")) blocks.push(`## ${inline(inner)}`);
    else if (tag === "li") blocks.push(`- ${inline(inner)}`);
    else if (/^<em>[\s\S]*<\/em>$/.test(inner)) blocks.push(`*${inline(inner)}*`);
    else blocks.push(inline(inner));
  }
  return blocks.join("\n\n");
}

/** `article` with the analysis publish would store (none needed when it has key points). */
export function analysed(article: Article): Article {
  return {
    ...article,
    analysis: analyzeArticle({
      title: article.title,
      summary: article.summary,
      published: article.published,
      dateApproximate: article.dateApproximate,
      markdown: fixtureMarkdown(article.html),
      markdownLine: 1,
    }),
  };
}
