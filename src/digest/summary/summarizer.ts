/**
 * The "axis developments" summary of one week. Summarizers sit behind an interface so a
 * model-backed one (e.g. Workers AI) can be added later; the default, ExtractiveSummarizer, is
 * deterministic and offline: it picks sentences verbatim from the week's articles, so every
 * sentence in the summary can be traced to the article it came from.
 */
import { type Article, compareNewestFirst } from "../../model/article.ts";
import { stripUnsafeChars } from "../../model/safe-text.ts";
import type { WeekRange } from "../../lib/time.ts";
import { type Actor, type ActorMatcher, createActorMatcher } from "./actors.ts";
import { addPairs, pairLine, rankPairs } from "./pairs.ts";
import { findFigures } from "./figures.ts";
import type { ArticleRef, DigestSummary, Development, KeyFigure } from "./model.ts";
import { SUMMARY_WORD_LIMIT } from "./model.ts";
import { type Block, countWords, htmlToBlocks, splitSentences } from "./text.ts";

export interface SummaryInput {
  readonly week: WeekRange;
  readonly timeZone: string;
  /** The week's articles (any order). */
  readonly articles: readonly Article[];
  readonly actors: readonly Actor[];
}

export interface Summarizer {
  summarize(input: SummaryInput): DigestSummary | Promise<DigestSummary>;
}

const MAX_DEVELOPMENTS = 6;
const MAX_PAIRS = 5;
const MAX_FIGURES = 5;
const MAX_PER_ARTICLE = 2;

const ACTION =
  /\b(?:sign(?:ed|s)?|sent|send(?:s|ing)?|deploy(?:ed|s|ing)?|dispatch(?:ed|es|ing)?|transferr?(?:ed|ing)?|arriv(?:ed|es|ing)|held|hold(?:s|ing)?|conduct(?:ed|s|ing)?|launch(?:ed|es|ing)?|fir(?:ed|es|ing)|kill(?:ed|s)?|attack(?:ed|s)?|announc(?:ed|es)|agreed|met|meet(?:s|ing)?|visit(?:ed|s|ing)?|convened|reported|confirm(?:ed|s)|annex(?:ed)?|invad(?:ed|es)|supplied|shipp?(?:ed|ing|ments)|kicked off|began|started|joined|received|released|left|returned|dispatched|stationed)\b/i;
const HEDGE =
  /\b(?:could|would|may|might|perhaps|likely|probably|should|seems?|appears?|believes?|feels?|thinks?|possible|possibly|suggests?|reportedly|opinion|arguably)\b/i;
const SPEECH = /\b(?:said|says|told|stated|added|according to)\b/i;
const DATELIKE =
  /\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\b/;

interface Candidate {
  readonly text: string;
  readonly article: Article;
  readonly score: number;
  /** Opinion and commentary: used only when nothing else is left. */
  readonly commentary: boolean;
  readonly order: number;
  readonly words: ReadonlySet<string>;
}

function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    if (w.length > 3) out.add(w.replace(/s$/, ""));
  return out;
}

/** Near-duplicate: most of the shorter sentence's content words are in the other. */
function nearDuplicate(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  const smaller = Math.min(a.size, b.size) || 1;
  const union = a.size + b.size - shared || 1;
  return shared / smaller >= 0.7 || shared / union >= 0.5;
}

function scoreSentence(
  text: string,
  block: Block,
  index: number,
  total: number,
  matcher: ActorMatcher,
) {
  const actors = matcher.find(text).size;
  const words = countWords(text);
  let score = 2 * Math.min(actors, 3) + (actors >= 2 ? 2 : 0);
  if (ACTION.test(text)) score += 2;
  if (/\d/.test(text)) score += 1.5;
  if (DATELIKE.test(text)) score += 1;
  score += 1 - index / Math.max(total, 1);
  if (words < 8) score -= 3;
  if (words > 50) score -= 2;
  const quoted = block.kind === "quote" || /^["“'‘]/.test(text) || /["“”]/.test(text);
  const commentary = quoted || HEDGE.test(text) || SPEECH.test(text) || text.endsWith("?");
  if (commentary) score -= 3;
  return { score, commentary, relevant: actors > 0 };
}

export class ExtractiveSummarizer implements Summarizer {
  summarize(input: SummaryInput): DigestSummary {
    const matcher = createActorMatcher(input.actors);
    const articles = [...input.articles].sort(compareNewestFirst);
    const candidates: Candidate[] = [];
    const pairCounts = new Map<string, number>();
    const figureCandidates: { figure: KeyFigure; score: number; value: string }[] = [];
    let order = 0;

    for (const article of articles) {
      const blocks = htmlToBlocks(article.html).filter(
        (b) => b.kind !== "caption" && b.kind !== "heading",
      );
      const sentences = blocks.flatMap((block) =>
        splitSentences(stripUnsafeChars(block.text)).map((text) => ({ text, block })),
      );
      const named = matcher.find(`${article.title}\n${sentences.map((s) => s.text).join("\n")}`);
      addPairs(pairCounts, named, matcher);
      sentences.forEach(({ text, block }, i) => {
        const { score, commentary, relevant } = scoreSentence(
          text,
          block,
          i,
          sentences.length,
          matcher,
        );
        if (relevant)
          candidates.push({
            text,
            article,
            score,
            commentary,
            order: order++,
            words: contentWords(text),
          });
        if (!commentary || block.kind !== "quote") {
          for (const f of findFigures(text)) {
            figureCandidates.push({
              figure: { text: f.text, articleSlug: article.slug, articleId: article.id },
              score,
              value: f.value,
            });
          }
        }
      });
    }

    const pairs = rankPairs(pairCounts, matcher).slice(0, MAX_PAIRS);
    const figures = pickFigures(figureCandidates);
    const pairWords = pairs.reduce((n, p) => n + countWords(pairLine(p)), 0);
    let figureWords = figures.reduce((n, f) => n + countWords(f.text), 0);
    // The summary section (developments, pairs, figures) stays within the word limit:
    // developments get what pairs and figures leave, and figures give way first if needed.
    while (figures.length > 0 && SUMMARY_WORD_LIMIT - pairWords - figureWords < 60)
      figureWords -= countWords(figures.pop()!.text);
    const developments = pickDevelopments(candidates, SUMMARY_WORD_LIMIT - pairWords - figureWords);
    const developmentWords = developments.reduce((n, d) => n + countWords(d.text), 0);

    return {
      week: input.week.key,
      timeZone: input.timeZone,
      start: input.week.start.toISOString(),
      end: input.week.end.toISOString(),
      developments,
      pairs,
      figures,
      articles: articles.map(toRef),
      summaryWords: developmentWords + pairWords + figureWords,
    };
  }
}

function pickFigures(found: { figure: KeyFigure; score: number; value: string }[]): KeyFigure[] {
  const seen = new Set<string>();
  return found
    .map((f, i) => ({ ...f, i }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .filter((f) => (seen.has(f.value) ? false : (seen.add(f.value), true)))
    .slice(0, MAX_FIGURES)
    .map((f) => f.figure);
}

function pickDevelopments(candidates: Candidate[], wordBudget: number): Development[] {
  const ranked = [...candidates].sort(
    (a, b) => Number(a.commentary) - Number(b.commentary) || b.score - a.score || a.order - b.order,
  );
  const chosen: Candidate[] = [];
  const perArticle = new Map<string, number>();
  let words = 0;
  for (const pass of [MAX_PER_ARTICLE, Infinity]) {
    for (const c of ranked) {
      if (chosen.length >= MAX_DEVELOPMENTS) break;
      // Commentary only when nothing else is left.
      if (c.commentary && chosen.length >= 3) continue;
      if (chosen.includes(c) || (perArticle.get(c.article.id) ?? 0) >= pass) continue;
      const n = countWords(c.text);
      if (words + n > wordBudget) continue;
      if (chosen.some((d) => nearDuplicate(d.words, c.words))) continue;
      chosen.push(c);
      perArticle.set(c.article.id, (perArticle.get(c.article.id) ?? 0) + 1);
      words += n;
    }
  }
  return chosen.map((c) => ({
    text: c.text,
    articleSlug: c.article.slug,
    articleId: c.article.id,
    articleTitle: stripUnsafeChars(c.article.title),
    source: stripUnsafeChars(c.article.source),
  }));
}

/** Article text is stripped of control and bidi characters again here: the summary is stored
 * and rendered into emails, which must stay inert whatever an Article holds. */
function toRef(a: Article): ArticleRef {
  return {
    id: a.id,
    slug: a.slug,
    title: stripUnsafeChars(a.title),
    source: stripUnsafeChars(a.source),
    published: a.published,
    summary: stripUnsafeChars(a.summary),
  };
}
