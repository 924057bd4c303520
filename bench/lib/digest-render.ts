/**
 * The digest email's render time in Node, for the real seed week and synthetic weeks of 200 and
 * 1,000 articles: `renderDigestEmail` (what the Worker does: templates compiled at build time)
 * against running MJML on every render, two ways, and against the renderer it replaced.
 *
 * - precompiled: renderDigestEmail(summary, links), links as the cron builds them
 *   (digestEmailLinks: BASE_URL as a slot).
 * - mjml-template-per-render: templates/digest.mjml (with its partials) compiled per render by
 *   scripts/build-templates.ts' own compileMjml and compactHtml, then the same fill
 *   (renderDigestEmail). The MJML compile here is of the template alone: the week's content
 *   never goes through MJML. The compiled template is checked to be byte-identical to the
 *   precompiled one.
 * - mjml-with-content: what running MJML per email would really cost: the week's view
 *   (digestEmailView, the same byte-budget search) filled into the MJML source by Mustache, then
 *   mjml2html with the build's options, compactHtml, and the text part by Mustache. One MJML
 *   compile per render, of the final view: a lower bound for such a pipeline, which would need
 *   MJML's output to measure each attempt of the search. The partials are inlined once, up front
 *   (checked: the inlined source compiles to the precompiled template), so no file is read per
 *   render. Its HTML differs from the precompiled one by a few line breaks (Mustache's standalone
 *   lines meet MJML's before, rather than after, the compile).
 * - mustache-runtime: the renderer without the template compiler (issue 17,
 *   bench/lib/mustache-digest-render.ts): Mustache.render fills each attempt of the same search.
 *   Checked to give the very same email. fill-compiled and fill-mustache: one fill of the
 *   week's final view (HTML and text), the compiled functions against Mustache.render.
 * - previous-renderer: the renderer before the templates were compiled to functions and the
 *   search stopped rendering each attempt (test/helpers/digest-email-reference.ts); the
 *   precompiled output is checked to be byte-identical to its.
 *
 * Every method also reports CPU time per render (process.cpuUsage): Workers bill CPU, not wall
 * time, and a shared machine's wall times wander. Also times summarizeWeek for each week: with the render, what the cron job does per week.
 *
 *   node bench/lib/digest-render.ts      (only this part; run `npm run build:templates` first)
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import Mustache from "mustache";
import { compactHtml, compileMjml } from "../../scripts/build-templates.ts";
import { parseConfig } from "../../src/config.ts";
import type { Actor } from "../../src/digest/summary/actors.ts";
import { digestEmailView, renderDigestEmail } from "../../src/digest/email/render.ts";
import { type DigestLinks, digestEmailLinks } from "../../src/digest/email/links.ts";
import type { DigestSummary } from "../../src/digest/summary/model.ts";
import { ExtractiveSummarizer } from "../../src/digest/summary/summarizer.ts";
import { weekRange } from "../../src/lib/time.ts";
import { summarizeWeek } from "../../src/digest/summary/summarize-week.ts";
import {
  DIGEST_HTML_TEMPLATE,
  DIGEST_TEXT_TEMPLATE,
  renderDigestHtml,
  renderDigestText,
} from "../../src/generated/email-templates.ts";
import type { Article } from "../../src/model/article.ts";
import { referenceRenderDigestEmail } from "../../test/helpers/digest-email-reference.ts";
import { mustacheDigestEmail } from "./mustache-digest-render.ts";
import { contentAnalyzer } from "../../scripts/analysis/publish-analyzer.ts";
import { loadContent } from "../../scripts/build-content.ts";
import type { LimitCheck } from "./report.ts";
import { repoRoot, workDir } from "./paths.ts";
import { formatLimits, formatRatios, formatRenderTimings, type Ratio } from "./report.ts";
import { writeSyntheticContent } from "./synthetic-content.ts";

/** MJML per render ÷ precompiled, by mean time per render, at 1 and at 200 articles (issue 9). */
export const RENDER_SPEEDUP_TARGET = 100;
/** The weeks the target applies to, by article count; the others are reported for information. */
const TARGET_ARTICLES: ReadonlySet<number> = new Set([1, 200]);

const TEMPLATES = join(repoRoot, "templates");
const MJML_FILE = join(TEMPLATES, "digest.mjml");
const PLAIN_TEXT = { escape: (value: unknown) => String(value) };

/** MJML → the HTML template, as scripts/build-templates.ts makes it (its options, trimmed, blank lines dropped). */
async function compileTemplate(source: string): Promise<string> {
  return compactHtml(await compileMjml(source, TEMPLATES));
}

const withoutComments = (text: string) => text.replace(/<!--[\s\S]*?-->/g, "");

/**
 * templates/digest.mjml with its mj-includes replaced by the partials (a partial that is a whole
 * <mjml> document, like head.mjml, by what is inside it), comments dropped, checked to compile to
 * the precompiled template.
 */
async function inlinedMjmlSource(): Promise<string> {
  const main = withoutComments(await readFile(MJML_FILE, "utf8"));
  const includes = [...main.matchAll(/<mj-include path="([^"]+)" \/>/g)];
  let source = main;
  for (const [tag, path] of includes) {
    const partial = withoutComments(await readFile(join(TEMPLATES, path!), "utf8"));
    const inner = /^\s*<mjml>([\s\S]*)<\/mjml>\s*$/.exec(partial)?.[1] ?? partial;
    source = source.replace(tag, () => inner);
  }
  if ((await compileTemplate(source)) !== DIGEST_HTML_TEMPLATE) {
    throw new Error(
      "digest render benchmark: templates/digest.mjml with its partials inlined does not compile to src/generated/email-templates.ts' template (rebuild it: npm run build:templates)",
    );
  }
  return source;
}

export interface DigestCase {
  readonly id: string;
  readonly label: string;
  readonly week: string;
  readonly articles: number;
  readonly summary: DigestSummary;
  readonly links: DigestLinks;
  /** summarizeWeek for this week, fastest of a few runs. */
  readonly summarizeMs: number;
  /** The cron's build of the week (summarizeWeek + renderDigestEmail): CPU ms, median of runs. */
  readonly cronBuildCpuMs: number;
}

export type RenderMethod =
  | "precompiled"
  | "mustache-runtime"
  | "fill-compiled"
  | "fill-mustache"
  | "mjml-template-per-render"
  | "mjml-with-content"
  | "previous-renderer";

export interface RenderTiming {
  readonly id: string;
  readonly caseId: string;
  readonly label: string;
  readonly method: RenderMethod;
  readonly iterations: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** CPU time (user + system, process.cpuUsage) per render, over all the timed renders. */
  readonly cpuMs: number;
  readonly htmlBytes: number;
  readonly compact: boolean;
}

export interface RenderSettings {
  /** Measured seconds per (week, method), split over the rounds. */
  readonly seconds: number;
  readonly rounds: number;
}

/**
 * A content folder read and validated as `npm run publish` reads it, in memory, each article
 * with the analysis publish stores for it (what the cron reads from D1).
 */
async function readContent(
  dir: string,
): Promise<{ articles: readonly Article[]; actors: readonly Actor[] }> {
  const content = await loadContent(dir);
  if (content.errors.length > 0)
    throw new Error(
      `digest render benchmark: ${dir} is not valid content:\n${content.errors.slice(0, 10).join("\n")}`,
    );
  const analyzer = contentAnalyzer(content);
  return {
    articles: content.articles.map((a) => ({ ...a, analysis: analyzer.analyze(a) })),
    actors: content.actors,
  };
}

/** The week's summary, and the fastest of `runs` summarizeWeek calls. */
async function summarize(
  week: string,
  timeZone: string,
  content: { articles: readonly Article[]; actors: readonly Actor[] },
  runs = 3,
): Promise<{ summary: DigestSummary; ms: number }> {
  let summary: DigestSummary | null = null;
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    summary = await summarizeWeek({
      week,
      timeZone,
      articles: content.articles,
      actors: content.actors,
      summarizer: new ExtractiveSummarizer(),
    });
    ms = Math.min(ms, performance.now() - t0);
  }
  if (summary === null) throw new Error(`digest render benchmark: week ${week} has no articles`);
  return { summary, ms };
}

/**
 * CPU time of what the cron does for a week once the articles are read (Workers bill CPU, not
 * wall time): the week's rows parsed as D1 returns them, summarizeWeek over the stored
 * analyses, then renderDigestEmail. Median of runs
 * after a warm-up, from process.cpuUsage (user + system).
 */
async function cronBuildCpuMs(
  week: string,
  timeZone: string,
  content: { articles: readonly Article[]; actors: readonly Actor[] },
  links: DigestLinks,
): Promise<number> {
  // The rows as the digest's reads return them (src/content/queries.ts: the article and its
  // analysis, no body): parsing them is part of the cron's work.
  const rows = content.articles.map(({ html: _html, analysis, ...rest }) => ({
    article: JSON.stringify(rest),
    analysis: JSON.stringify(analysis ?? null),
  }));
  const once = async () => {
    const articles: Article[] = rows.map((r) => ({
      ...(JSON.parse(r.article) as Omit<Article, "html">),
      html: "",
      analysis: JSON.parse(r.analysis) as Article["analysis"],
    }));
    const summary = await summarizeWeek({
      week,
      timeZone,
      articles,
      actors: content.actors,
      summarizer: new ExtractiveSummarizer(),
    });
    renderDigestEmail(summary!, links);
  };
  for (let i = 0; i < 3; i++) await once();
  const runs: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = process.cpuUsage();
    await once();
    const used = process.cpuUsage(t0);
    runs.push((used.user + used.system) / 1000);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}

/** Workers Free allows 10 ms of CPU per invocation: the cron's build must fit (issue 16). */
export const CRON_BUILD_CPU_LIMITS_MS: ReadonlyMap<number, number> = new Map([
  [50, 10],
  [1000, 50],
]);

/**
 * The cron's build CPU per week against its limit, with the same run's MJML-per-render time
 * of that week beside it (what one email render cost before the templates were precompiled).
 */
export function cronBuildLimits(
  cases: readonly DigestCase[],
  timings: readonly RenderTiming[],
): LimitCheck[] {
  return cases.flatMap((c) => {
    const limit = CRON_BUILD_CPU_LIMITS_MS.get(c.articles);
    if (limit === undefined || c.id === `digest-${DIGEST_SEED_WEEK}`) return [];
    const mjml = timings.find((t) => t.caseId === c.id && t.method === "mjml-with-content");
    return [
      {
        name: `cron build CPU, ${c.articles.toLocaleString("en-US")}-article week (summary + render, stored analyses)`,
        value: `${c.cronBuildCpuMs.toFixed(2)} ms`,
        target: `< ${limit} ms`,
        pass: c.cronBuildCpuMs < limit,
        note: `same run: summarizeWeek ${c.summarizeMs.toFixed(2)} ms wall${mjml ? `; MJML with content, one render ${mjml.meanMs.toFixed(1)} ms` : ""}`,
      },
    ];
  });
}

/**
 * The weeks: a real seed week (from content/) and, for each of `syntheticCounts`, that many
 * synthetic articles all in one week (written under bench/.work/digest/). Both are read with
 * scripts/build-content.ts' loadContent, as `npm run publish` reads content.
 */
export async function prepareDigestCases(
  seedWeek: string,
  syntheticWeek: string,
  syntheticCounts: readonly number[],
): Promise<DigestCase[]> {
  const config = parseConfig({});
  const dir = join(workDir, "digest");
  const weeks: [
    string,
    string,
    { articles: readonly Article[]; actors: readonly Actor[] },
    string,
  ][] = [
    [`digest-${seedWeek}`, seedWeek, await readContent(join(repoRoot, "content")), "seed week"],
  ];

  const range = weekRange(syntheticWeek, config.digestTimeZone);
  const hour = 3_600_000;
  for (const count of syntheticCounts) {
    const syntheticDir = join(dir, `content-week-${count}`);
    await writeSyntheticContent(syntheticDir, count, 20_241_020, {
      start: range.start.getTime() + hour,
      end: range.end.getTime() - hour,
    });
    weeks.push([
      `digest-synthetic-${count}`,
      syntheticWeek,
      await readContent(syntheticDir),
      "synthetic week",
    ]);
  }

  const cases: DigestCase[] = [];
  for (const [id, week, content, kind] of weeks) {
    const { summary, ms } = await summarize(week, config.digestTimeZone, content);
    const n = summary.articles.length;
    const links = digestEmailLinks(config, week);
    cases.push({
      id,
      label: `${week} (${kind}, ${n.toLocaleString("en-US")} article${n === 1 ? "" : "s"})`,
      week,
      articles: n,
      summary,
      links,
      summarizeMs: ms,
      cronBuildCpuMs: await cronBuildCpuMs(week, config.digestTimeZone, content, links),
    });
  }
  syntheticCounts.forEach((count, i) => {
    const inWeek = cases[i + 1]!.articles;
    if (inWeek !== count)
      throw new Error(
        `digest render benchmark: the synthetic week has ${inWeek} articles, expected ${count}`,
      );
  });
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
  readonly method: RenderMethod;
  readonly warmup: number;
  readonly minIterations: number;
  /** Bounds the slow side: MJML takes milliseconds per compile. */
  readonly maxIterations: number;
  readonly render: () => Promise<{ html: string; compact: boolean }>;
}

/** Every method for every case, rounds alternating their order to spread drift. */
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
  const inlined = await inlinedMjmlSource();
  const rounds = Math.max(1, Math.floor(settings.rounds));
  const timings: RenderTiming[] = [];
  for (const c of cases) {
    const precompiled = renderDigestEmail(c.summary, c.links);
    const previous = referenceRenderDigestEmail(c.summary, c.links);
    if (
      precompiled.html !== previous.html ||
      precompiled.text !== previous.text ||
      precompiled.compact !== previous.compact
    )
      throw new Error(
        `digest render benchmark: ${c.label}: renderDigestEmail's email differs from the previous renderer's`,
      );
    const runtime = mustacheDigestEmail(c.summary, c.links);
    if (
      runtime.html !== precompiled.html ||
      runtime.text !== precompiled.text ||
      runtime.compact !== precompiled.compact
    )
      throw new Error(
        `digest render benchmark: ${c.label}: Mustache.render at run time gives another email than the compiled functions`,
      );
    // One fill of the week's final view, without the search: what each of the search's
    // attempts costs the run-time renderer, against the compiled functions.
    const final = digestEmailView(c.summary, c.links);
    const fillCompiled = async () => {
      const html = renderDigestHtml(final.view);
      renderDigestText(final.view);
      return { html, compact: final.compact };
    };
    const fillMustache = async () => {
      const html = Mustache.render(DIGEST_HTML_TEMPLATE, final.view);
      Mustache.render(DIGEST_TEXT_TEMPLATE, final.view, undefined, PLAIN_TEXT);
      return { html, compact: final.compact };
    };
    if ((await fillMustache()).html !== precompiled.html)
      throw new Error(`digest render benchmark: ${c.label}: Mustache.render fills another HTML`);
    const withContent = async () => {
      const { view, compact } = digestEmailView(c.summary, c.links);
      const html = compactHtml(await compileMjml(Mustache.render(inlined, view), TEMPLATES));
      const text = Mustache.render(DIGEST_TEXT_TEMPLATE, view, undefined, PLAIN_TEXT);
      return { html, text, compact };
    };
    if ((await withContent()).text !== precompiled.text)
      throw new Error(`digest render benchmark: ${c.label}: the MJML pipeline's text part differs`);
    const methods: Method[] = [
      {
        method: "precompiled",
        warmup: 200,
        minIterations: 200,
        maxIterations: 200_000,
        render: async () => renderDigestEmail(c.summary, c.links),
      },
      {
        method: "mustache-runtime",
        warmup: 50,
        minIterations: 50,
        maxIterations: 100_000,
        render: async () => mustacheDigestEmail(c.summary, c.links),
      },
      {
        method: "fill-compiled",
        warmup: 200,
        minIterations: 200,
        maxIterations: 200_000,
        render: fillCompiled,
      },
      {
        method: "fill-mustache",
        warmup: 100,
        minIterations: 100,
        maxIterations: 200_000,
        render: fillMustache,
      },
      {
        method: "mjml-template-per-render",
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
      {
        method: "mjml-with-content",
        warmup: 5,
        minIterations: 10,
        maxIterations: 400,
        render: withContent,
      },
      {
        method: "previous-renderer",
        warmup: 20,
        minIterations: 20,
        maxIterations: 20_000,
        render: async () => referenceRenderDigestEmail(c.summary, c.links),
      },
    ];
    const times = new Map<string, number[]>(methods.map((m) => [m.method, []]));
    const cpu = new Map<string, number>(methods.map((m) => [m.method, 0]));
    const outputs = new Map<string, { html: string; compact: boolean }>();
    for (const m of methods) {
      for (let i = 0; i < m.warmup; i++) outputs.set(m.method, await m.render());
    }
    for (let round = 1; round <= rounds; round++) {
      for (const m of round % 2 === 1 ? methods : [...methods].reverse()) {
        const cpu0 = process.cpuUsage();
        const run = await timeLoop(
          m.render,
          settings.seconds / rounds,
          Math.ceil(m.minIterations / rounds),
          Math.ceil(m.maxIterations / rounds),
        );
        const used = process.cpuUsage(cpu0);
        cpu.set(m.method, cpu.get(m.method)! + (used.user + used.system) / 1000);
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
        cpuMs: cpu.get(m.method)! / sorted.length,
        htmlBytes: Buffer.byteLength(out.html),
        compact: out.compact,
      });
    }
  }
  return timings;
}

const BASELINES = [
  ["mjml-template-per-render", "MJML template compiled per render (+ same fill)"],
  ["mjml-with-content", "MJML with the week's content, per render"],
] as const;

/**
 * Per week: each MJML baseline ÷ precompiled by mean (the target, at 1 and 200 articles) and by
 * p99, and the previous renderer ÷ precompiled (what this renderer gained), for information.
 */
export function digestRenderRatios(
  cases: readonly DigestCase[],
  timings: readonly RenderTiming[],
): Ratio[] {
  const ratios: Ratio[] = [];
  for (const c of cases) {
    const of = (method: RenderMethod) =>
      timings.find((t) => t.caseId === c.id && t.method === method);
    const pre = of("precompiled");
    if (!pre) continue;
    const what = `digest render ${c.week} (${c.articles.toLocaleString("en-US")} article${c.articles === 1 ? "" : "s"})`;
    const min = TARGET_ARTICLES.has(c.articles) ? RENDER_SPEEDUP_TARGET : null;
    for (const [method, name] of BASELINES) {
      const base = of(method);
      if (!base) continue;
      const value = base.meanMs / pre.meanMs;
      ratios.push(
        {
          name: `${what}: ${name} / precompiled, mean`,
          numerator: base.id,
          denominator: pre.id,
          min,
          value,
          pass: min === null ? null : value >= min,
        },
        {
          name: `${what}: ${name} / precompiled, p99`,
          numerator: base.id,
          denominator: pre.id,
          min: null,
          value: base.p99Ms / pre.p99Ms,
          pass: null,
        },
      );
    }
    const runtime = of("mustache-runtime");
    if (runtime)
      ratios.push({
        name: `${what}: Mustache.render at run time / precompiled, CPU per render`,
        numerator: runtime.id,
        denominator: pre.id,
        min: null,
        value: runtime.cpuMs / pre.cpuMs,
        pass: null,
      });
    const fill = of("fill-compiled");
    const fillMustache = of("fill-mustache");
    if (fill && fillMustache)
      ratios.push({
        name: `${what}: one fill of the final view, Mustache.render / compiled, CPU`,
        numerator: fillMustache.id,
        denominator: fill.id,
        min: null,
        value: fillMustache.cpuMs / fill.cpuMs,
        pass: null,
      });
    const previous = of("previous-renderer");
    if (previous)
      ratios.push({
        name: `${what}: previous renderer / precompiled, mean`,
        numerator: previous.id,
        denominator: pre.id,
        min: null,
        value: previous.meanMs / pre.meanMs,
        pass: null,
      });
  }
  return ratios;
}

/** The cron job's work per week in Node: summarizeWeek, then the render (precompiled, mean). */
export function digestBuildTimes(
  cases: readonly DigestCase[],
  timings: readonly RenderTiming[],
): { label: string; summarizeMs: number; renderMs: number | null; cronBuildCpuMs: number }[] {
  return cases.map((c) => ({
    label: c.label,
    summarizeMs: c.summarizeMs,
    cronBuildCpuMs: c.cronBuildCpuMs,
    renderMs: timings.find((t) => t.caseId === c.id && t.method === "precompiled")?.meanMs ?? null,
  }));
}

export function formatDigestBuildTimes(rows: ReturnType<typeof digestBuildTimes>): string {
  return rows
    .map(
      (r) =>
        `  ${r.label}: summarizeWeek ${r.summarizeMs.toFixed(1)} ms + render ${r.renderMs === null ? "n/a" : `${r.renderMs.toFixed(3)} ms`}; together ${r.cronBuildCpuMs.toFixed(2)} ms CPU`,
    )
    .join("\n");
}

/** The weeks `npm run bench` measures. */
export const DIGEST_SEED_WEEK = "2024-W43";
export const DIGEST_SYNTHETIC_WEEK = "2025-W20";
export const DIGEST_SYNTHETIC_ARTICLES: readonly number[] = [50, 200, 1000];

if (import.meta.main) {
  const seconds = Number(process.env.BENCH_DIGEST_SECONDS ?? 2);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
  console.log(`Digest email render (${seconds} s per week and method, ${rounds} round(s)):`);
  const cases = await prepareDigestCases(
    DIGEST_SEED_WEEK,
    DIGEST_SYNTHETIC_WEEK,
    DIGEST_SYNTHETIC_ARTICLES,
  );
  const timings = await measureDigestRender(cases, { seconds, rounds }, console.log);
  console.log(`\n${formatRenderTimings(timings)}\n`);
  console.log(formatRatios(digestRenderRatios(cases, timings)));
  console.log(
    `\nThe cron job's work per week (Node):\n${formatDigestBuildTimes(digestBuildTimes(cases, timings))}`,
  );
  console.log(`\n${formatLimits(cronBuildLimits(cases, timings))}`);
}
