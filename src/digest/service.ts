/**
 * Building digests: summarize a week, render its email, store it once. Used by the cron
 * trigger, the backfill CLI (npm run digest) and the admin's rebuild.
 */
import type { SiteConfig } from "../config.ts";
import type { Library } from "../content/library.ts";
import { EMAIL_TEMPLATES_HASH } from "../generated/email-templates.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { lastEndedWeek } from "../lib/time.ts";
import { digestEmailLinks } from "./email/links.ts";
import { renderDigestEmail } from "./email/render.ts";
import { insertDigestIfAbsent, replaceDigest } from "./store.ts";
import type { Actor } from "../model/actor.ts";
import type { WeekKey } from "./summary/model.ts";
import { listArticlesByWeek, summarizeWeek } from "./summary/summarize-week.ts";
import type { Summarizer } from "./summary/summarizer.ts";

export interface DigestDeps {
  readonly library: Library;
  readonly actors: readonly Actor[];
  readonly summarizer: Summarizer;
  readonly now?: () => Date;
}

export type BuildOutcome = "created" | "unchanged" | "replaced" | "empty";

/**
 * Builds one week's digest. Idempotent: an existing digest is left as it is ("unchanged")
 * unless `rebuild` is set, in which case it is replaced only if its content changed.
 */
export async function buildDigest(
  db: D1Database,
  config: SiteConfig,
  deps: DigestDeps,
  week: WeekKey,
  options: { rebuild?: boolean } = {},
): Promise<BuildOutcome> {
  const summary = await summarizeWeek({
    week,
    timeZone: config.digestTimeZone,
    articles: deps.library.articles,
    actors: deps.actors,
    summarizer: deps.summarizer,
    storyTitles: new Map([...deps.library.stories].map(([id, e]) => [id, e.story.title])),
  });
  if (summary === null) return "empty";
  const { html, text } = renderDigestEmail(summary, digestEmailLinks(config, week));
  // The templates hash is in too, so a template change makes --rebuild re-render every week.
  const contentHash = await sha256Hex(
    `${EMAIL_TEMPLATES_HASH}\n${JSON.stringify(summary)}\n${html}\n${text}`,
  );
  const row = {
    week,
    timeZone: config.digestTimeZone,
    summary,
    html,
    text,
    contentHash,
    now: deps.now?.() ?? new Date(),
  };
  if (await insertDigestIfAbsent(db, row)) return "created";
  if (options.rebuild && (await replaceDigest(db, row))) return "replaced";
  return "unchanged";
}

/** The admin's rebuild: re-renders the week, replacing its stored digest if the content changed. */
export function rebuildDigest(
  db: D1Database,
  config: SiteConfig,
  deps: DigestDeps,
  week: WeekKey,
): Promise<BuildOutcome> {
  return buildDigest(db, config, deps, week, { rebuild: true });
}

/** Every week that has articles, newest first. */
export function weeksWithArticles(config: SiteConfig, deps: DigestDeps): WeekKey[] {
  return [...listArticlesByWeek(deps.library.articles, config.digestTimeZone).keys()];
}

/** The cron trigger's job: the digest of the week that just ended at `scheduledTime`. */
export async function runWeeklyDigest(
  db: D1Database,
  config: SiteConfig,
  deps: DigestDeps,
  scheduledTime: number,
): Promise<{ week: WeekKey; outcome: BuildOutcome }> {
  const week = lastEndedWeek(scheduledTime, config.digestTimeZone);
  const outcome = await buildDigest(db, config, deps, week);
  console.log(`weekly digest ${week}: ${outcome === "empty" ? "no articles, skipped" : outcome}`);
  return { week, outcome };
}
