/**
 * `npm run publish`: content/ → D1, which the Worker serves from.
 *
 *   npm run publish                          the local database (the one npm start serves)
 *   npm run publish -- --remote              production (npm run deploy does this last)
 *   npm run publish -- --allow-delete        also delete published articles whose file is gone
 *   npm run publish -- --content DIR --persist-to DIR   another folder / local state directory
 *   npm run publish -- --strict              refuse an article that looks like a pasted web page
 *   npm run publish -- --workers N           threads that parse a full publish (default: one per
 *                                            core; 1: none, for a machine others share)
 *   npm run publish -- --cache-dir DIR       where the content index lives (default
 *                                            node_modules/.cache/axis-dispatch); --no-cache: none
 *
 * Each new or changed article is analysed once here, in Node (scripts/analysis/: sentences,
 * dates, page chrome), and the analysis stored with it: the Worker and the cron do no language
 * work. A body with page chrome in it (captions, share lines, "Advertisement"…) is warned about
 * with `file:line`; --strict refuses to publish it.
 *
 * Validates content/ exactly as the build does (the same `file:line` errors; nothing is written
 * on error), parsing only the files that changed since the last run (publish/content-index.ts,
 * a local cache keyed by each file's SHA-256), then inserts new articles, replaces changed ones (by hash) and says "nothing to
 * publish" when nothing changed. The new version's rows are written first and the version flips
 * in one last statement: a publish killed half-way leaves the previous version served in full,
 * and the next one cleans up after it. See scripts/publish/publish.ts.
 *
 * After the flip, when WEBSUB_HUB is set, the hub is told which feeds changed (the site's, and
 * each tag's whose articles were added, changed or deleted), with the BASE_URL readers see:
 * wrangler.toml's [vars] for --remote (what deploy ships), and those with .dev.vars over them
 * locally (as wrangler dev serves). A hub that fails is retried, then logged: never a failed
 * publish.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config.ts";
import type { ArticleAnalysis } from "../src/model/analysis.ts";
import type { Article } from "../src/model/article.ts";
import { ANALYSIS_VERSION } from "./analysis/version.ts";
import { indexContent } from "./publish/content-index.ts";
import { DEFAULT_CACHE_DIR, indexCacheFile } from "./publish/index-cache.ts";
import { localMigrated, localReader, localServes } from "./publish/local-unchanged.ts";
import { contentToken, PublishError, publishContent } from "./publish/publish.ts";
import type { SqlExecutor } from "../src/lib/sql-batch.ts";
import { pingHub } from "../src/websub/ping.ts";
import { tagsChangedInVersion } from "../src/websub/store.ts";
import { publishTopics } from "../src/websub/topics.ts";
import { loadIssues } from "./content/issues.ts";
import { publishIssues } from "./content/publish-issues.ts";
import { progressBar } from "./lib/progress.ts";
import {
  applyMigrations,
  localStateDir,
  migrationFiles,
  openLocalD1,
  root,
  wranglerExecutor,
} from "./lib/wrangler-d1.ts";
import { retryWhileLocked } from "./lib/local-lock.ts";
import { timing } from "./lib/timings.ts";

const { values } = parseArgs({
  options: {
    remote: { type: "boolean", default: false },
    "allow-delete": { type: "boolean", default: false },
    content: { type: "string", default: join(root, "content") },
    "persist-to": { type: "string" },
    quiet: { type: "boolean", default: false },
    strict: { type: "boolean", default: false },
    "cache-dir": { type: "string", default: DEFAULT_CACHE_DIR },
    "no-cache": { type: "boolean", default: false },
    workers: { type: "string" },
  },
});

const started = performance.now();
timing("start-up (imports)");
type LocalD1 = Awaited<ReturnType<typeof openLocalD1>>;
/**
 * The local D1 (wrangler loading, workerd starting: a second or two), opened as soon as the
 * index meets a changed file, so that it starts while the other files are still read. Only
 * when every migration is applied: otherwise wrangler's `migrations apply` must run first.
 */
let opening: Promise<LocalD1> | null = null;
const openEarly = () => {
  if (values.remote || !localMigrated(localStateDir(values["persist-to"]), migrationFiles()))
    return;
  opening = openLocalD1(values["persist-to"]);
  // Awaited (and its error reported) where it is used; never an unhandled rejection meanwhile.
  opening.catch(() => {});
};
/** Stops a local D1 opened early, before an exit that writes nothing. */
const exitEarly = async (code: number): Promise<never> => {
  await (await opening?.catch(() => null))?.close();
  process.exit(code);
};
const content = await indexContent(values.content!, {
  cacheFile: values["no-cache"] ? null : indexCacheFile(values["cache-dir"]!, values.content!),
  onParse: openEarly,
  ...(values.workers === undefined ? {} : { workers: workersArg(values.workers) }),
});
// content/issues/{week}.md: the editor's subject, preheader and introduction of a week.
timing("index content/");
const issues = await loadIssues(values.content!);
content.errors.push(...issues.errors);
if (content.errors.length > 0) {
  for (const e of content.errors) console.error(e);
  console.error(
    `\npublish stopped: ${content.errors.length} problem${content.errors.length === 1 ? "" : "s"} in ${relative(process.cwd(), values.content!) || "."}; nothing was written.`,
  );
  await exitEarly(1);
}

const pasted = content.entries.flatMap((e) => e.warnings);
for (const w of pasted) console.error(`${values.strict ? "" : "warning: "}${w}`);
if (pasted.length > 0 && values.strict) {
  console.error(
    `\npublish stopped (--strict): ${pasted.length} line${pasted.length === 1 ? "" : "s"} of page chrome; nothing was written.`,
  );
  await exitEarly(1);
}

const articles = content.entries.length;
const parsed = `${content.parsed.length} file${content.parsed.length === 1 ? "" : "s"} parsed, ${content.cached} from the cache`;
const where = values.remote ? "remote D1 (production)" : "local D1";
const nothingToPublish = (version: number) =>
  console.log(
    `nothing to publish: ${where} already has this content (version ${version}, ${articles} articles; ${parsed})`,
  );
if (!values.remote) {
  // Every npm start publishes: when nothing changed, say so without starting wrangler.
  const served = localServes(localStateDir(values["persist-to"]), {
    token: await contentToken(content, ANALYSIS_VERSION),
    articles,
    migrations: migrationFiles(),
  });
  timing("local unchanged check");
  if (served !== null) {
    nothingToPublish(served.version);
    await exitEarly(0);
  }
}

const target = {
  remote: values.remote!,
  ...(values["persist-to"] ? { persistTo: values["persist-to"] } : {}),
};
// Locally, the running server may hold the database for a moment: try again (local-lock.ts).
const whileLocked = <T>(what: string, step: () => Promise<T>): Promise<T> =>
  values.remote ? step() : retryWhileLocked(what, step, { onRetry: (m) => console.error(m) });
try {
  // Locally, wrangler's own `migrations apply` (a process of its own: seconds) runs only when
  // the database lacks a migration.
  if (values.remote || !localMigrated(localStateDir(values["persist-to"]), migrationFiles())) {
    await whileLocked("applying the migrations", async () => applyMigrations(target));
  }
} catch (err) {
  console.error(`applying the migrations to ${where} failed: ${(err as Error).message}`);
  await exitEarly(1);
}

timing("migrations check");
const local = values.remote ? null : await (opening ?? openLocalD1(values["persist-to"]));
timing("open local D1 (wrangler, workerd)");
const exec = local?.exec ?? wranglerExecutor(target);
// Locally, the served version's slugs and hashes are read from the database's file directly.
const reader = local === null ? null : localReader(localStateDir(values["persist-to"]), exec);
const bar = progressBar("publishing", { quiet: values.quiet! });
try {
  const contentDir = relative(process.cwd(), values.content!) || ".";
  // The analysis (a language model) is loaded only when an article is to be written.
  const bodies = new Map<string, { readonly markdown: string; readonly line: number }>();
  let analyze: ((a: Article) => ArticleAnalysis) | null = null;
  // A full publish's workers analysed as they parsed (publish/parse-pool.ts): kept, not redone.
  const analysed = new Map<string, ArticleAnalysis>();
  const load = async (slugs: readonly string[]): Promise<Article[]> => {
    const loaded = await content.load(slugs);
    for (const l of loaded) {
      if (l.analysis !== undefined) analysed.set(l.article.slug, l.analysis);
      else bodies.set(l.article.slug, l.body);
    }
    if (bodies.size > 0 && analyze === null) {
      const { contentAnalyzer } = await import("./analysis/publish-analyzer.ts");
      analyze = contentAnalyzer({ bodies, actors: content.actors }).analyze;
    }
    return loaded.map((l) => l.article);
  };
  const analyzer = {
    version: ANALYSIS_VERSION,
    analyze: (a: Article) => analysed.get(a.slug) ?? analyze!(a),
  };
  const files = new Map(content.entries.map((e) => [e.slug, e.path] as const));
  // A failed attempt wrote nothing readers see, and the next removes it: safe to try again.
  const report = await whileLocked("publishing", () =>
    publishContent(
      exec,
      {
        entries: content.entries,
        load,
        stories: content.stories,
        actors: content.actors,
        files,
        contentDir,
      },
      {
        allowDelete: values["allow-delete"]!,
        ...(reader === null ? {} : { reads: reader.reads }),
        analyzer,
        // A remote round trip is a wrangler run (seconds): few, large files; locally, small batches.
        batchSize: values.remote ? 2000 : 100,
        // Locally, a round trip of a megabyte or more is dropped by the local D1 (wrangler's
        // platform proxy): "fetch failed: other side closed", at 2,000 articles already.
        ...(values.remote ? {} : { batchBytes: 400_000 }),
        onProgress: (done, total) => bar.update(done, total),
        allowDeleteCommand: allowDeleteCommand(),
      },
    ),
  );
  bar.done();
  timing("publish (diff, load, analyse, write, flip)");
  const issueReport = await whileLocked("publishing the issues", () =>
    publishIssues(exec, issues.issues, issues.files),
  );
  const touched = [...issueReport.added, ...issueReport.changed, ...issueReport.removed];
  if (touched.length > 0)
    console.log(
      `editor's issues: ${issueReport.added.length} new, ${issueReport.changed.length} changed, ${issueReport.removed.length} removed (${touched.join(", ")}); a digest already built shows it once rebuilt (the admin's Rebuild, or the send, which rebuilds an unsent digest)`,
    );
  timing("publish the issues");
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (report.status === "unchanged") {
    nothingToPublish(report.version);
  } else {
    const parts = [
      `${report.added.length - report.restored.length} new`,
      `${report.changed.length} changed`,
      `${report.deleted.length} deleted`,
      ...(report.restored.length > 0 ? [`${report.restored.length} restored`] : []),
    ];
    console.log(
      `published version ${report.version} to ${where}: ${parts.join(", ")} (${articles} articles, ${parsed}; ${report.statements} statements in ${report.roundTrips} round trips; ${seconds} s)`,
    );
    if (!values.quiet) {
      const list = (label: string, slugs: readonly string[]) => {
        for (const s of slugs.slice(0, 20)) console.log(`  ${label} ${s}`);
        if (slugs.length > 20) console.log(`  … and ${slugs.length - 20} more ${label}`);
      };
      list("new", report.added);
      list("changed", report.changed);
      list("deleted", report.deleted);
    }
    await pingWebSubHub(exec, report.version);
  }
} catch (err) {
  bar.done();
  if (err instanceof PublishError) {
    for (const p of err.problems) console.error(p);
    console.error(
      `\npublish refused: nothing was changed; readers still see the previous version.`,
    );
    if (err.hint !== null) console.error(err.hint);
  } else {
    console.error(
      `publish failed: ${describeError(err)}\nReaders still see the previous version; run npm run publish again.`,
    );
  }
  process.exitCode = 1;
} finally {
  reader?.close();
  await local?.close();
}

/** An error's message, with its causes ("fetch failed" alone does not say what failed). */
function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && parts.length < 4; e = (e as Error).cause) {
    parts.push(e instanceof Error ? e.message : String(e));
  }
  return parts.join(": ");
}

/**
 * This run again with deletions allowed, as the operator would type it (npm start's pre-start
 * publish runs `npm run publish -- --quiet`: the same folder and database, so the same command).
 */
function allowDeleteCommand(): string {
  const args = ["--allow-delete"];
  if (values.remote) args.push("--remote");
  if (values.content !== join(root, "content"))
    args.push("--content", shellWord(relative(process.cwd(), values.content!) || "."));
  if (values["persist-to"]) args.push("--persist-to", shellWord(values["persist-to"]));
  return `npm run publish -- ${args.join(" ")}`;
}

/** `word` quoted for a POSIX shell when it needs to be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The [vars] the published site runs with: wrangler.toml's, and locally .dev.vars over them. */
async function siteVars(): Promise<Record<string, string>> {
  const { experimental_readRawConfig } = await import("wrangler");
  const { rawConfig } = experimental_readRawConfig({ config: join(root, "wrangler.toml") });
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawConfig.vars ?? {})) if (typeof v === "string") vars[k] = v;
  const devVars = join(root, ".dev.vars");
  if (!values.remote && existsSync(devVars)) {
    for (const m of readFileSync(devVars, "utf8").matchAll(
      /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/gm,
    ))
      vars[m[1]!] = m[2]!.replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/** Tells WEBSUB_HUB (if set) which feeds version `version` changed. Never throws. */
async function pingWebSubHub(exec: SqlExecutor, version: number): Promise<void> {
  try {
    const config = parseConfig(await siteVars());
    if (!config.hubUrl) return;
    const topics = publishTopics(config, await tagsChangedInVersion(exec, version));
    const results = await pingHub(config.hubUrl, topics);
    const failed = results.filter((r) => !r.ok).length;
    console.log(
      `told the WebSub hub ${config.hubUrl} about ${topics.length} changed feeds${failed ? ` (${failed} not accepted; readers still get them by polling)` : ""}`,
    );
  } catch (err) {
    console.error(`WebSub: no ping sent: ${(err as Error).message}`);
  }
}

/** --workers: a whole number of threads, 1 or more. */
function workersArg(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--workers ${text}: expected a whole number of threads, 1 or more`);
    process.exit(1);
  }
  return n;
}
