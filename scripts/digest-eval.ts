/**
 * How good is the weekly summary? Two sets of articles go through the digest pipeline
 * (scripts/eval/pipeline.ts) and are scored against reference facts written from the source
 * pages (test/fixtures/digest-reference.yaml, by article slug):
 *
 *   npm run digest:eval [-- --content DIR] [-- --unkeyed DIR]
 *
 * - the published briefs, with their key points (content/, or --content);
 * - raw pages with no key points (test/fixtures/unkeyed/: the seed pages as they are, and pages
 *   written for this evaluation), so sentence extraction is measured on what operators paste.
 *
 * For each week: coverage (facts covered / facts, `n/a` for a week none of whose articles has a
 * reference), and every item that is page furniture, dangles or keeps a relative date
 * (scripts/eval/checks.ts). Totals are given separately for weeks with and without key points.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { figureAttribution } from "../src/digest/summary/key-figures.ts";
import type { DigestSummary } from "../src/digest/summary/model.ts";
import { pairLine } from "../src/digest/summary/pairs.ts";
import type { Article } from "../src/model/article.ts";
import { chromeIn, danglingIn, relativeDateIn } from "./eval/checks.ts";
import { weekDigests } from "./eval/pipeline.ts";
import { coversFact } from "./eval/phrases.ts";
import { type Reference, type ReferenceFact, readReference } from "./eval/reference.ts";

const root = join(import.meta.dirname, "..");
export const REFERENCE_FILE = join(root, "test/fixtures/digest-reference.yaml");
export const UNKEYED_DIR = join(root, "test/fixtures/unkeyed");

export interface Finding {
  readonly item: string;
  readonly why: string;
}

/** Whether the week's articles carry an editor's key points. */
export type Keyed = "with key points" | "without key points" | "mixed";

export interface WeekEvaluation {
  readonly week: string;
  readonly keyed: Keyed;
  readonly facts: number;
  readonly covered: readonly ReferenceFact[];
  readonly missed: readonly ReferenceFact[];
  /** Covered / facts; null (shown `n/a`) when no article of the week has reference facts. */
  readonly coverage: number | null;
  readonly chrome: readonly Finding[];
  readonly dangling: readonly Finding[];
  readonly relativeDates: readonly Finding[];
  readonly items: number;
  readonly summaryWords: number;
}

/** Every line a reader sees in the summary section: what coverage is counted over. */
export function summaryItems(summary: DigestSummary): string[] {
  const actors = summary.actors.length > 0 ? [summary.actors.join(", ")] : [];
  return [
    ...developmentItems(summary),
    ...figureItems(summary),
    ...summary.pairs.map(pairLine),
    ...actors,
  ];
}

function developmentItems(summary: DigestSummary): string[] {
  return summary.developments.map((d) => d.text);
}

/** A key figure as the reader sees it: the figure, what it counts, who claims it. */
function figureItems(summary: DigestSummary): string[] {
  return summary.figures.map((f) => `${f.text} (${figureAttribution(f)})`);
}

function findings(items: readonly string[], check: (item: string) => string | null): Finding[] {
  return items.flatMap((item) => {
    const why = check(item);
    return why === null ? [] : [{ item, why }];
  });
}

/** One week's summary against the facts of its articles. */
export function evaluateWeek(
  summary: DigestSummary,
  facts: readonly ReferenceFact[],
  keyed: Keyed,
): WeekEvaluation {
  const items = summaryItems(summary);
  const covered: ReferenceFact[] = [];
  const missed: ReferenceFact[] = [];
  for (const f of facts) {
    // One item must say the whole fact: halves in two items are not the fact.
    (items.some((item) => coversFact(item, f.match)) ? covered : missed).push(f);
  }
  // The three checks read what is written as text (developments, figures); the who-was-active
  // lines are made from the watch list's names.
  const developments = developmentItems(summary);
  const written = [...developments, ...figureItems(summary)];
  const chrome = [
    ...findings(developments, (i) => chromeIn(i, "development")),
    ...findings(figureItems(summary), (i) => chromeIn(i, "figure")),
  ];
  return {
    week: summary.week,
    keyed,
    facts: facts.length,
    covered,
    missed,
    coverage: facts.length === 0 ? null : covered.length / facts.length,
    chrome,
    dangling: findings(written, danglingIn),
    relativeDates: findings(written, relativeDateIn),
    items: summary.developments.length,
    summaryWords: summary.summaryWords,
  };
}

function keyedness(weekArticles: readonly Article[]): Keyed {
  const withKeyPoints = weekArticles.filter((a) => a.keyPoints.length > 0).length;
  if (withKeyPoints === weekArticles.length) return "with key points";
  return withKeyPoints === 0 ? "without key points" : "mixed";
}

/** Every week's digest against the reference facts of its articles. */
export function evaluateDigests(
  digests: readonly DigestSummary[],
  articles: readonly Article[],
  reference: Reference,
): WeekEvaluation[] {
  const bySlug = new Map(articles.map((a) => [a.slug, a] as const));
  return digests.map((summary) => {
    const weekArticles = summary.articles.flatMap((ref) => bySlug.get(ref.slug) ?? []);
    const facts = summary.articles.flatMap((ref) => reference.get(ref.slug) ?? []);
    return evaluateWeek(summary, facts, keyedness(weekArticles));
  });
}

export interface Totals {
  readonly weeks: number;
  readonly facts: number;
  readonly covered: number;
  /** null when no week had reference facts. */
  readonly coverage: number | null;
  readonly chrome: number;
  readonly dangling: number;
  readonly relativeDates: number;
}

export function totals(results: readonly WeekEvaluation[]): Totals {
  const facts = results.reduce((n, r) => n + r.facts, 0);
  const covered = results.reduce((n, r) => n + r.covered.length, 0);
  return {
    weeks: results.length,
    facts,
    covered,
    coverage: facts === 0 ? null : covered / facts,
    chrome: results.reduce((n, r) => n + r.chrome.length, 0),
    dangling: results.reduce((n, r) => n + r.dangling.length, 0),
    relativeDates: results.reduce((n, r) => n + r.relativeDates.length, 0),
  };
}

function ratio(covered: number, facts: number, coverage: number | null): string {
  return coverage === null ? "n/a" : `${covered}/${facts} = ${coverage.toFixed(2)}`;
}

/** The report `npm run digest:eval` prints for one set, as lines. */
export function formatReport(title: string, results: readonly WeekEvaluation[]): string[] {
  const out = [title];
  for (const r of results) {
    out.push(
      `  ${r.week} (${r.keyed})  coverage ${ratio(r.covered.length, r.facts, r.coverage)}  chrome ${r.chrome.length}  dangling ${r.dangling.length}  relative dates ${r.relativeDates.length}  items ${r.items}  words ${r.summaryWords}`,
    );
    for (const m of r.missed) out.push(`      missed: ${m.says}  (${m.at})`);
    for (const f of r.chrome) out.push(`      chrome (${f.why}): ${f.item}`);
    for (const f of r.dangling) out.push(`      dangling (${f.why}): ${f.item}`);
    for (const f of r.relativeDates) out.push(`      relative date ("${f.why}"): ${f.item}`);
  }
  for (const keyed of ["with key points", "without key points", "mixed"] as const) {
    const t = totals(results.filter((r) => r.keyed === keyed));
    if (t.weeks === 0) continue;
    out.push(
      `  weeks ${keyed}: ${t.weeks}  coverage ${ratio(t.covered, t.facts, t.coverage)}  chrome ${t.chrome}  dangling ${t.dangling}  relative dates ${t.relativeDates}`,
    );
  }
  return out;
}

/** Runs the pipeline over `dir` and evaluates every week. */
export async function evaluateFolder(dir: string, reference: Reference) {
  const { articles, digests } = await weekDigests(dir);
  return evaluateDigests(digests, articles, reference);
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      content: { type: "string", default: join(root, "content") },
      unkeyed: { type: "string", default: UNKEYED_DIR },
      reference: { type: "string", default: REFERENCE_FILE },
    },
  });
  const reference = readReference(values.reference!);
  const published = await evaluateFolder(values.content!, reference);
  const raw = await evaluateFolder(values.unkeyed!, reference);
  console.log(formatReport(`Published briefs (${values.content})`, published).join("\n"));
  console.log();
  console.log(formatReport(`Raw pages without key points (${values.unkeyed})`, raw).join("\n"));
}
