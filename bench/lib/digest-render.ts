/**
 * The digest email's render time in Node: `renderDigestEmail` with the template MJML compiled at
 * build time (what the Worker does), against compiling the same MJML source on every render
 * (what it would cost to run MJML at request time), for the same week in the same run.
 *
 * Request-time path, per render: templates/digest.mjml compiled by scripts/build-templates.ts'
 * own compileMjml (the build's MJML options) and compactHtml (its line trimming), then the same
 * Mustache fill. The fill is renderDigestEmail itself: the compiled template is checked to be
 * byte-identical to the precompiled one, so filling either is the same work (Mustache caches the
 * parse by template text either way).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { compactHtml, compileMjml } from "../../scripts/build-templates.ts";
import { parseConfig } from "../../src/config.ts";
import type { Actor } from "../../src/digest/summary/actors.ts";
import { renderDigestEmail } from "../../src/digest/email/render.ts";
import { type DigestLinks, digestLinks } from "../../src/digest/email/links.ts";
import type { DigestSummary } from "../../src/digest/summary/model.ts";
import { ExtractiveSummarizer } from "../../src/digest/summary/summarizer.ts";
import { weekRange } from "../../src/lib/time.ts";
import { summarizeWeek } from "../../src/digest/summary/summarize-week.ts";
import { DIGEST_HTML_TEMPLATE } from "../../src/generated/email-templates.ts";
import type { Article } from "../../src/model/article.ts";
import { buildContent } from "./content-build.ts";
import { repoRoot, workDir } from "./paths.ts";
import { writeSyntheticContent } from "./synthetic-content.ts";

/** Request-time MJML ÷ precompiled, by mean time per render. */
export const RENDER_SPEEDUP_TARGET = 100;

const TEMPLATES = join(repoRoot, "templates");
const MJML_FILE = join(TEMPLATES, "digest.mjml");

/** MJML → the HTML template, as scripts/build-templates.ts makes it (its options, trimmed, blank lines dropped). */
async function compileTemplate(source: string): Promise<string> {
  return compactHtml(await compileMjml(source, TEMPLATES));
}

export interface DigestCase {
  readonly id: string;
  readonly label: string;
  readonly week: string;
  readonly articles: number;
  readonly summary: DigestSummary;
  readonly links: DigestLinks;
}

export interface RenderTiming {
  readonly id: string;
  readonly caseId: string;
  readonly label: string;
  readonly method: "precompiled" | "mjml-per-render";
  readonly iterations: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly htmlBytes: number;
  readonly compact: boolean;
}

export interface RenderSettings {
  /** Measured seconds per (week, method), split over the rounds. */
  readonly seconds: number;
  readonly rounds: number;
}

async function loadContent(
  module: string,
): Promise<{ articles: readonly Article[]; actors: readonly Actor[] }> {
  return (await import(pathToFileURL(module).href)) as {
    articles: readonly Article[];
    actors: readonly Actor[];
  };
}

async function summarize(
  week: string,
  timeZone: string,
  content: { articles: readonly Article[]; actors: readonly Actor[] },
): Promise<DigestSummary> {
  const summary = await summarizeWeek({
    week,
    timeZone,
    articles: content.articles,
    actors: content.actors,
    summarizer: new ExtractiveSummarizer(),
  });
  if (summary === null) throw new Error(`digest render benchmark: week ${week} has no articles`);
  return summary;
}

/**
 * The two weeks: a real seed week (built from content/ into bench/.work/, not src/generated/,
 * which the load phases overwrite) and `syntheticCount` synthetic articles all in one week.
 */
export async function prepareDigestCases(
  seedWeek: string,
  syntheticWeek: string,
  syntheticCount: number,
): Promise<DigestCase[]> {
  const config = parseConfig({});
  const dir = join(workDir, "digest");
  const realModule = join(dir, "content-real.ts");
  await buildContent(join(repoRoot, "content"), realModule);
  const real = await loadContent(realModule);

  const range = weekRange(syntheticWeek, config.digestTimeZone);
  const hour = 3_600_000;
  const syntheticDir = join(dir, `content-week-${syntheticCount}`);
  await writeSyntheticContent(syntheticDir, syntheticCount, 20_241_020, {
    start: range.start.getTime() + hour,
    end: range.end.getTime() - hour,
  });
  const syntheticModule = join(dir, `content-week-${syntheticCount}.ts`);
  await buildContent(syntheticDir, syntheticModule);
  const synthetic = await loadContent(syntheticModule);

  const cases: DigestCase[] = [];
  for (const [id, week, content, kind] of [
    [`digest-${seedWeek}`, seedWeek, real, "seed week"],
    [`digest-synthetic-${syntheticCount}`, syntheticWeek, synthetic, "synthetic week"],
  ] as const) {
    const summary = await summarize(week, config.digestTimeZone, content);
    const n = summary.articles.length;
    cases.push({
      id,
      label: `${week} (${kind}, ${n} article${n === 1 ? "" : "s"})`,
      week,
      articles: summary.articles.length,
      summary,
      links: digestLinks(config, week),
    });
  }
  const inWeek = cases[1]!.articles;
  if (inWeek !== syntheticCount)
    throw new Error(
      `digest render benchmark: the synthetic week has ${inWeek} articles, expected ${syntheticCount}`,
    );
  return cases;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * Times `render` one call at a time until `seconds` have passed and at least `minIterations`
 * ran, or `maxIterations` ran, whichever is first.
 */
async function timeLoop(
  render: () => unknown,
  seconds: number,
  minIterations: number,
  maxIterations: number,
): Promise<number[]> {
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (
    times.length < maxIterations &&
    (times.length < minIterations || performance.now() < deadline)
  ) {
    const t0 = performance.now();
    await render();
    times.push(performance.now() - t0);
  }
  return times;
}

interface Method {
  readonly method: RenderTiming["method"];
  readonly warmup: number;
  readonly minIterations: number;
  /** Bounds the slow side: MJML takes milliseconds per compile. */
  readonly maxIterations: number;
  readonly render: () => Promise<{ html: string; compact: boolean }>;
}

/** Both methods for every case, rounds alternating their order to spread drift. */
export async function measureDigestRender(
  cases: readonly DigestCase[],
  settings: RenderSettings,
  log: (line: string) => void,
): Promise<RenderTiming[]> {
  const source = await readFile(MJML_FILE, "utf8");
  const compiled = await compileTemplate(source);
  if (compiled !== DIGEST_HTML_TEMPLATE) {
    throw new Error(
      "digest render benchmark: compiling templates/digest.mjml here does not give src/generated/email-templates.ts' template: rebuild it (npm run build:templates)",
    );
  }
  const rounds = Math.max(1, Math.floor(settings.rounds));
  const timings: RenderTiming[] = [];
  for (const c of cases) {
    const methods: Method[] = [
      {
        method: "precompiled",
        warmup: 200,
        minIterations: 200,
        maxIterations: 200_000,
        render: async () => renderDigestEmail(c.summary, c.links),
      },
      {
        method: "mjml-per-render",
        warmup: 5,
        minIterations: 10,
        maxIterations: 400,
        render: async () => {
          const template = await compileTemplate(source);
          // The fill uses the precompiled constant: this keeps it honest that it is this very template.
          if (template !== DIGEST_HTML_TEMPLATE)
            throw new Error("MJML output changed during the benchmark");
          return renderDigestEmail(c.summary, c.links);
        },
      },
    ];
    const times = new Map<string, number[]>(methods.map((m) => [m.method, []]));
    const outputs = new Map<string, { html: string; compact: boolean }>();
    for (const m of methods) {
      for (let i = 0; i < m.warmup; i++) outputs.set(m.method, await m.render());
    }
    for (let round = 1; round <= rounds; round++) {
      for (const m of round % 2 === 1 ? methods : [...methods].reverse()) {
        const run = await timeLoop(
          m.render,
          settings.seconds / rounds,
          Math.ceil(m.minIterations / rounds),
          Math.ceil(m.maxIterations / rounds),
        );
        times.get(m.method)!.push(...run);
        const mean = run.reduce((s, t) => s + t, 0) / run.length;
        log(
          `  round ${round}/${rounds}  ${c.label}, ${m.method}: ${run.length} renders, mean ${mean.toFixed(mean < 1 ? 3 : 1)} ms`,
        );
      }
    }
    for (const m of methods) {
      const sorted = [...times.get(m.method)!].sort((a, b) => a - b);
      const out = outputs.get(m.method)!;
      timings.push({
        id: `${c.id}-${m.method}`,
        caseId: c.id,
        label: c.label,
        method: m.method,
        iterations: sorted.length,
        meanMs: sorted.reduce((s, t) => s + t, 0) / sorted.length,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        maxMs: sorted[sorted.length - 1]!,
        htmlBytes: Buffer.byteLength(out.html),
        compact: out.compact,
      });
    }
  }
  return timings;
}
