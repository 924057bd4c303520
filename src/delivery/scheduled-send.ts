/**
 * The cron's job, every 15 minutes (wrangler.toml): send each week whose time has come, once.
 *
 * - The week that just ended gets its plan at DIGEST_SEND_AT (an admin's time or cancellation
 *   for it stands), and its digest is built at once, so a reviewer can read it before its hour.
 * - Every due plan is claimed atomically (schedule-store.ts), its digest rebuilt if nobody has
 *   been sent it yet (an introduction or an article published since is in), and it goes through
 *   the review gate: enqueued, or waiting.
 * - A waiting week is asked again on every run for a week: it goes once the gate lets it (the
 *   approve route sends it at once too), and ADMIN_EMAIL is told once per waiting version.
 */
import type { Config } from "../config.ts";
import {
  claimDueSends,
  listWaitingSends,
  planAutomaticSend,
  settleSend,
} from "../digest/schedule-store.ts";
import { buildDigest, type BuildOutcome, type DigestDeps } from "../digest/service.ts";
import { getDigest, getDigestContentHash } from "../digest/store.ts";
import type { WeekKey } from "../digest/summary/model.ts";
import { dueInstant } from "../lib/send-at.ts";
import { lastEndedWeek } from "../lib/time.ts";
import type { MailTransport } from "../mail/transport.ts";
import { sendWeeklyDigest } from "./gated-send.ts";
import type { DigestChunkMessage } from "./producer.ts";

/**
 * How long after its hour the week that just ended still gets its plan. A cron run can be late,
 * never by a day; and the first run after this feature is deployed mid-week does not mail last
 * week's digest a second time.
 */
const CATCH_UP_MS = 86_400_000;
/**
 * How long the cron keeps asking the gate about a held week: until the next week is due. After
 * that it is old news, mailed only if a person approves it (or sends it) on its page; a change
 * of DIGEST_SEND never mails a stale week by itself.
 */
const WAITING_MS = 7 * 86_400_000;

export interface ScheduledRun {
  /** Weeks built, for the WebSub ping. */
  readonly built: readonly { readonly week: WeekKey; readonly outcome: BuildOutcome }[];
  /** Weeks this run enqueued. */
  readonly sent: readonly WeekKey[];
  /** Weeks the review gate holds. */
  readonly waiting: readonly WeekKey[];
}

export async function runScheduledSends(
  db: D1Database,
  queue: Queue<DigestChunkMessage>,
  transport: MailTransport,
  config: Config,
  deps: DigestDeps,
  now: number,
): Promise<ScheduledRun> {
  const at = new Date(now);
  const built: { week: WeekKey; outcome: BuildOutcome }[] = [];
  const sent: WeekKey[] = [];
  const waiting: WeekKey[] = [];
  const build = async (week: WeekKey, rebuild: boolean) => {
    const outcome = await buildDigest(db, config, { ...deps, now: () => at }, week, { rebuild });
    built.push({ week, outcome });
    console.log(`weekly digest ${week}: ${outcome === "empty" ? "no articles" : outcome}`);
    return outcome;
  };
  const send = async (week: WeekKey) => {
    const result = await sendWeeklyDigest(db, queue, transport, config, week, at);
    if (result.kind === "held") waiting.push(week);
    else if (result.kind === "enqueued") sent.push(week);
    await settleSend(db, week, result.kind === "held" ? "waiting" : "done", at);
  };

  const justEnded = lastEndedWeek(now, config.digestTimeZone);
  const due = dueInstant(justEnded, config.digestSendAt, config.digestTimeZone);
  if (now < due + CATCH_UP_MS) {
    if (await planAutomaticSend(db, justEnded, due, at))
      console.log(`weekly digest ${justEnded}: goes at ${new Date(due).toISOString()}`);
    // The hash alone says whether it is built: the stored HTML is not read on every run.
    if (now < due && (await getDigestContentHash(db, justEnded)) === null)
      await build(justEnded, false);
  }

  const claimed = await claimDueSends(db, now);
  for (const week of claimed) {
    try {
      const digest = await getDigest(db, week);
      // Nobody has it yet: the digest goes out as the content now is. Once a send has started,
      // the version stays (a rebuild is the admin's call; the gate then asks again).
      if (digest === null || digest.status === "built") await build(week, digest !== null);
      await send(week);
    } catch (err) {
      // Given back: the next run tries again, and enqueues only who has not been sent it.
      await settleSend(db, week, "scheduled", at);
      throw err;
    }
  }
  for (const week of await listWaitingSends(db, now - WAITING_MS)) {
    if (claimed.includes(week)) continue;
    await send(week);
  }
  return { built, sent, waiting };
}
