/**
 * Backfill digests into local D1 (the same database `npm start` serves):
 *
 *   npm run digest -- 2024-W43            one week
 *   npm run digest -- 2024-W40 2024-W43   several
 *   npm run digest -- --all               every week that has articles
 *   npm run digest -- --all --rebuild     re-render existing weeks whose content changed
 *
 * Applies the migrations first, exactly as `wrangler d1 migrations apply DB --local` does for
 * dev. Existing digests are left alone unless --rebuild is given, so it is safe to re-run.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { getPlatformProxy } from "wrangler";
import { parseConfig } from "../src/config.ts";
import { createLibrary } from "../src/content/library.ts";
import { buildDigest, type BuildOutcome, weeksWithArticles } from "../src/digest/service.ts";
import { ExtractiveSummarizer } from "../src/digest/summary/summarizer.ts";
import { parseWeek } from "../src/lib/time.ts";
import { actors, articles, stories } from "../src/generated/content.ts";

const root = join(import.meta.dirname, "..");
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    all: { type: "boolean", default: false },
    rebuild: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

const usage = "usage: npm run digest -- <YYYY-Www> [more weeks…] | --all  [--rebuild]";
for (const w of positionals) {
  if (parseWeek(w) === null) {
    console.error(
      `"${w}" is not an ISO week: expected YYYY-Www with a week that exists in that year, e.g. 2024-W43\n${usage}`,
    );
    process.exit(2);
  }
}
if (!values.all && positionals.length === 0) {
  console.error(usage);
  process.exit(2);
}

const migrate = spawnSync(
  join(root, "node_modules/.bin/wrangler"),
  ["d1", "migrations", "apply", "DB", "--local"],
  { cwd: root, encoding: "utf8", env: { ...process.env, CI: "true" } },
);
if (migrate.status !== 0) {
  console.error(`applying migrations to local D1 failed:\n${migrate.stdout}${migrate.stderr}`);
  process.exit(1);
}

const proxy = await getPlatformProxy<Env>({
  configPath: join(root, "wrangler.toml"),
  persist: true,
  remoteBindings: false,
});
try {
  const config = parseConfig(proxy.env);
  const deps = {
    library: createLibrary(articles, stories),
    actors,
    summarizer: new ExtractiveSummarizer(),
  };
  const weeks = values.all ? weeksWithArticles(config, deps) : positionals;
  const counts: Record<BuildOutcome, number> = { created: 0, unchanged: 0, replaced: 0, empty: 0 };
  for (const [i, week] of weeks.entries()) {
    const outcome = await buildDigest(proxy.env.DB, config, deps, week, {
      rebuild: values.rebuild,
    });
    counts[outcome]++;
    if (!values.quiet || outcome === "created" || outcome === "replaced") {
      const what = {
        created: "built",
        unchanged: "already built, unchanged",
        replaced: "rebuilt",
        empty: "no articles in this week, skipped",
      }[outcome];
      console.log(`[${i + 1}/${weeks.length}] ${week}: ${what}`);
    }
  }
  console.log(
    `digests (${config.digestTimeZone} weeks): ${counts.created} built, ${counts.replaced} rebuilt, ${counts.unchanged} unchanged, ${counts.empty} empty`,
  );
} finally {
  await proxy.dispose();
}
