/**
 * How good is the weekly summary? For each week in content/, against the reference key facts an
 * analyst wrote from the source pages (test/fixtures/digest-reference.yaml):
 *
 *   npm run digest:eval
 *
 * prints the coverage of those facts (a fact is covered when one item of the summary holds all
 * its terms), every item that opens with a dangling reference or keeps a relative date, and
 * word counts. test/node/digest-eval.test.ts holds the same figures to their targets.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { figureAttribution } from "../src/digest/summary/key-figures.ts";
import type { DigestSummary } from "../src/digest/summary/model.ts";
import { pairLine } from "../src/digest/summary/pairs.ts";
import { listArticlesByWeek, summarizeWeek } from "../src/digest/summary/summarize-week.ts";
import { ExtractiveSummarizer } from "../src/digest/summary/summarizer.ts";
import type { Actor } from "../src/model/actor.ts";
import type { Article, Story } from "../src/model/article.ts";
import { contentAnalyzer } from "./analysis/publish-analyzer.ts";
import { loadContent } from "./build-content.ts";
import { danglingOpening, relativeDate } from "../src/model/standalone.ts";

export interface ReferenceFact {
  readonly fact: string;
  readonly terms: readonly string[];
}

export interface WeekEvaluation {
  readonly week: string;
  readonly facts: number;
  readonly covered: readonly string[];
  readonly missed: readonly string[];
  readonly coverage: number;
  /** Items that open by pointing outside themselves, or keep a relative date. */
  readonly dangling: readonly string[];
  readonly summaryWords: number;
  readonly items: number;
}

export const REFERENCE_FILE = join(import.meta.dirname, "../test/fixtures/digest-reference.yaml");

export function readReference(path = REFERENCE_FILE): Map<string, ReferenceFact[]> {
  const doc = parse(readFileSync(path, "utf8")) as { weeks: Record<string, ReferenceFact[]> };
  return new Map(
    Object.entries(doc.weeks).map(([w, facts]) => [
      w,
      facts.map((f) => ({ fact: f.fact, terms: f.terms.map(String) })),
    ]),
  );
}

/** Every line a reader sees in the summary section, as text. */
export function summaryItems(summary: DigestSummary): string[] {
  return [
    ...summary.developments.map((d) => d.text),
    ...summary.figures.map((f) => `${f.text} (${figureAttribution(f)})`),
    ...summary.pairs.map(pairLine),
    ...(summary.actors.length > 0 ? [summary.actors.join(", ")] : []),
  ];
}

export function evaluateWeek(
  summary: DigestSummary,
  facts: readonly ReferenceFact[],
): WeekEvaluation {
  const items = summaryItems(summary).map((i) => i.toLowerCase());
  const covered: string[] = [];
  const missed: string[] = [];
  for (const f of facts) {
    const hit = items.some((item) => f.terms.every((t) => item.includes(t.toLowerCase())));
    (hit ? covered : missed).push(f.fact);
  }
  const dangling = summary.developments
    .map((d) => d.text)
    .filter((t) => danglingOpening(t) !== null || relativeDate(t) !== null);
  return {
    week: summary.week,
    facts: facts.length,
    covered,
    missed,
    coverage: facts.length === 0 ? 1 : covered.length / facts.length,
    dangling,
    summaryWords: summary.summaryWords,
    items: summary.developments.length,
  };
}

export async function evaluateContent(
  content: { articles: readonly Article[]; actors: readonly Actor[]; stories: readonly Story[] },
  reference: ReadonlyMap<string, readonly ReferenceFact[]>,
  timeZone = "UTC",
): Promise<WeekEvaluation[]> {
  const summarizer = new ExtractiveSummarizer();
  const storyTitles = new Map(content.stories.map((s) => [s.id, s.title] as const));
  const out: WeekEvaluation[] = [];
  for (const week of listArticlesByWeek(content.articles, timeZone).keys()) {
    const summary = await summarizeWeek({
      week,
      timeZone,
      articles: content.articles,
      actors: content.actors,
      summarizer,
      storyTitles,
    });
    out.push(evaluateWeek(summary!, reference.get(week) ?? []));
  }
  return out;
}

if (import.meta.main) {
  const content = await loadContent(join(import.meta.dirname, "..", "content"));
  if (content.errors.length > 0) {
    for (const e of content.errors) console.error(e);
    process.exit(1);
  }
  // Each article with the analysis publish stores for it: the summary the cron would make.
  const analyzer = contentAnalyzer(content);
  const results = await evaluateContent(
    {
      ...content,
      articles: content.articles.map((a) => ({ ...a, analysis: analyzer.analyze(a) })),
    },
    readReference(),
  );
  let facts = 0;
  let covered = 0;
  for (const r of results) {
    facts += r.facts;
    covered += r.covered.length;
    console.log(
      `${r.week}  coverage ${r.covered.length}/${r.facts} = ${r.coverage.toFixed(2)}  dangling ${r.dangling.length}  items ${r.items}  words ${r.summaryWords}`,
    );
    for (const m of r.missed) console.log(`    missed: ${m}`);
    for (const d of r.dangling) console.log(`    dangling: ${d}`);
  }
  const total = facts === 0 ? 1 : covered / facts;
  const dangling = results.reduce((n, r) => n + r.dangling.length, 0);
  console.log(
    `all weeks  coverage ${covered}/${facts} = ${total.toFixed(2)}  dangling ${dangling}`,
  );
}
