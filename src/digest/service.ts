/**
 * Building digests: summarize a week, render its email, store it once. Used by the cron
 * trigger, the backfill CLI (npm run digest) and the admin's rebuild. And the review gate's
 * verdict on a stored digest, for everything that would mail it.
 */
import type { DigestSendMode, SiteConfig } from "../config.ts";
import type { ContentRepository } from "../content/view.ts";
import { EMAIL_TEMPLATES_HASH } from "../generated/email-templates.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { lastEndedWeek, weekOf, weekRange } from "../lib/time.ts";
import { digestEmailLinks } from "./email/links.ts";
import { getEditorIssue } from "./issue-store.ts";
import { renderDigestEmail } from "./email/render.ts";
import { type GateDecision, reviewGate } from "./review.ts";
import { type DigestReview, getDigestReview, recordHold } from "./review-store.ts";
import { getDigest, insertDigestIfAbsent, replaceDigest, type StoredDigest } from "./store.ts";
import type { WeekKey } from "./summary/model.ts";
import { summarizeWeek } from "./summary/summarize-week.ts";
import type { Summarizer } from "./summary/summarizer.ts";

export interface DigestDeps {
  /** The published articles, stories and watch list (read fresh: digests are not hot paths). */
  readonly content: ContentRepository;
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
  const view = await deps.content.open(db, 0);
  const range = weekRange(week, config.digestTimeZone);
  const inWeek = await view.publishedBetween(range.start.getTime(), range.end.getTime());
  if (inWeek.length === 0) return "empty";
  // Earlier articles only matter for the week's developing stories (their history).
  const stories = [...new Set(inWeek.flatMap((a) => (a.story === null ? [] : [a.story])))];
  const earlier = await view.storyHistory(stories, range.start.getTime());
  const summarized = await summarizeWeek({
    week,
    timeZone: config.digestTimeZone,
    articles: [...inWeek, ...earlier],
    actors: view.meta.actors,
    summarizer: deps.summarizer,
    storyTitles: new Map(view.meta.stories.map((s) => [s.id, s.title])),
  });
  if (summarized === null) return "empty";
  // Only a week with an editor's issue carries one: the others keep their summary, and so their
  // content hash (an approval stays valid across a rebuild that changed nothing).
  const issue = await getEditorIssue(db, week);
  const summary = issue === null ? summarized : { ...summarized, issue };
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
export async function weeksWithArticles(
  db: D1Database,
  config: SiteConfig,
  deps: DigestDeps,
): Promise<WeekKey[]> {
  const view = await deps.content.open(db, 0);
  const weeks = new Set<WeekKey>();
  for (const t of await view.publishedTimes()) weeks.add(weekOf(t, config.digestTimeZone));
  return [...weeks].sort().reverse();
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

/** A stored digest with its review record and the gate's verdict on its current version. */
export interface GatedDigest {
  readonly digest: StoredDigest;
  readonly review: DigestReview | null;
  readonly decision: GateDecision;
}

/** The gate's verdict on the week's stored digest, or null when there is none. Records nothing. */
export async function readReviewState(
  db: D1Database,
  mode: DigestSendMode,
  week: WeekKey,
): Promise<GatedDigest | null> {
  const [digest, review] = await Promise.all([getDigest(db, week), getDigestReview(db, week)]);
  if (digest === null) return null;
  return { digest, review, decision: reviewGate(mode, digest, review?.approvedHash ?? null) };
}

/**
 * What every sender asks before mailing a week (the cron, the admin's send and approve): the
 * gate's verdict. A digest it holds is recorded as waiting, so the admin home lists it until it
 * is approved or sent.
 */
export async function askReviewGate(
  db: D1Database,
  mode: DigestSendMode,
  week: WeekKey,
  now: Date,
): Promise<GatedDigest | null> {
  const state = await readReviewState(db, mode, week);
  if (state !== null && !state.decision.open)
    await recordHold(db, week, state.digest.contentHash, now);
  return state;
}
