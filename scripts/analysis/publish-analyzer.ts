/**
 * What `npm run publish` does with the analysis: an ArticleAnalyzer over the loaded content
 * (scripts/publish/publish.ts runs it on new and changed articles only), and the pasted-page
 * warnings for every article, `file:line` each.
 */
import type { ArticleAnalyzer } from "../publish/publish.ts";
import type { Article } from "../../src/model/article.ts";
import type { LoadedContent } from "../build-content.ts";
import {
  ANALYSIS_VERSION,
  type AnalysisInput,
  analyzeArticle,
  pastedPageWarnings,
} from "./analyze.ts";

function inputOf(
  article: Article,
  content: Pick<LoadedContent, "bodies" | "actors">,
): AnalysisInput {
  const body = content.bodies.get(article.slug);
  if (body === undefined) throw new Error(`no Markdown body loaded for ${article.slug}`);
  return analysisInput(article, body, content.actors);
}

/** What the analysis reads of an article: its fields, its Markdown body, the watch list's countries. */
export function analysisInput(
  article: Article,
  body: { readonly markdown: string; readonly line: number },
  actors: LoadedContent["actors"],
): AnalysisInput {
  return {
    title: article.title,
    summary: article.summary,
    published: article.published,
    dateApproximate: article.dateApproximate,
    markdown: body.markdown,
    markdownLine: body.line,
    // Nouns only: "Russia and China", never the adjectives "Russian and Chinese".
    countries: actors
      .filter((a) => a.kind === "country")
      .flatMap((a) => [a.name, ...a.aliases])
      .filter((name) => !/(?:an|ese|ish|i|ic)$/.test(name)),
  };
}

/** The analysis of one article and its body; an article with key points needs none (they are used as written). */
export function analyzeLoaded(
  article: Article,
  body: { readonly markdown: string; readonly line: number },
  actors: LoadedContent["actors"],
) {
  return article.keyPoints.length > 0
    ? { version: ANALYSIS_VERSION, candidates: [] }
    : analyzeArticle(analysisInput(article, body, actors));
}

/** Analyses an article of `content`; an article with key points needs none (they are used as written). */
export function contentAnalyzer(
  content: Pick<LoadedContent, "bodies" | "actors">,
): ArticleAnalyzer {
  return {
    version: ANALYSIS_VERSION,
    analyze: (article) => {
      const body = content.bodies.get(article.slug);
      if (body === undefined) throw new Error(`no Markdown body loaded for ${article.slug}`);
      return analyzeLoaded(article, body, content.actors);
    },
  };
}

/** `file:line` warnings for one article whose body looks like a pasted web page. */
export function pastedPageLines(
  file: string,
  article: Article,
  body: { readonly markdown: string; readonly line: number },
  actors: LoadedContent["actors"],
): string[] {
  return pastedPageWarnings(file, analysisInput(article, body, actors));
}

/** `file:line` warnings for every article whose body looks like a pasted web page. */
export function pastedPages(
  content: Pick<LoadedContent, "articles" | "files" | "bodies" | "actors">,
): string[] {
  return content.articles.flatMap((a) =>
    pastedPageWarnings(content.files.get(a.slug) ?? `${a.slug}.md`, inputOf(a, content)),
  );
}
