/**
 * Backfill digests into local D1 (the same database `npm start` serves), from the articles
 * published there (`npm run publish`):
 *
 *   npm run digest -- 2024-W43            one week
 *   npm run digest -- 2024-W40 2024-W43   several
 *   npm run digest -- --all               every week that has articles
 *   npm run digest -- --all --rebuild     re-render existing weeks whose content changed
 *
 * Applies the migrations first, exactly as `wrangler d1 migrations apply DB --local` does for
 * dev. Existing digests are left alone unless --rebuild is given, so it is safe to re-run.
 */
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config.ts";
import { ContentRepository } from "../src/content/view.ts";
import { buildDigest, type BuildOutcome, weeksWithArticles } from "../src/digest/service.ts";
import { ExtractiveSummarizer } from "../src/digest/summary/summarizer.ts";
import { parseWeek } from "../src/lib/time.ts";
import { applyMigrations, openLocalD1 } from "./lib/wrangler-d1.ts";
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

applyMigrations({ remote: false });
const local = await openLocalD1();
try {
  const config = parseConfig(local.env);
  // The articles as published to local D1 (npm run publish; npm start publishes first).
  const deps = { content: new ContentRepository(), summarizer: new ExtractiveSummarizer() };
  const weeks = values.all ? await weeksWithArticles(local.db, config, deps) : positionals;
  const counts: Record<BuildOutcome, number> = { created: 0, unchanged: 0, replaced: 0, empty: 0 };
  for (const [i, week] of weeks.entries()) {
    const outcome = await buildDigest(local.db, config, deps, week, {
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
  await local.close();
}
