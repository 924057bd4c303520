/**
 * The run, step by step (bench/delivery-sim.ts describes it): an isolated database, the
 * subscribers and the digest, the send with its faults, the verification, the report.
 */
import { rmSync } from "node:fs";
import { relative } from "node:path";
import { parseConfig } from "../../src/config.ts";
import { OutboxTransport } from "../../src/mail/outbox.ts";
import { ChunkRunner } from "./chunk-runner.ts";
import { chunkStats } from "./chunk-stats.ts";
import {
  firstDelivery,
  redeliver,
  rejectedRecipients,
  retry,
  secondSend,
  type SendContext,
  thirdSend,
} from "./consumer-phases.ts";
import { CountingD1 } from "./counting-d1.ts";
import { checkMigrated, filesUnder, migrateFreshDatabase, openPlatform } from "./database.ts";
import { FakeQueue } from "./fake-queue.ts";
import { planFaults } from "./faults.ts";
import { buildWeekDigest, insertSubscribers, type SubscriberStatus } from "./population.ts";
import type { Problems } from "./problems.ts";
import { activeIds, checkFirstSend, enqueue, unsubscribeSome } from "./producer-phase.ts";
import { judgeTargets, type SendRecord } from "./record.ts";
import { printReport, printVerdict } from "./report.ts";
import { reportJson, writeJson } from "./report-json.ts";
import {
  developerState,
  jsonPath,
  NOW,
  root,
  type SimSettings,
  stateDir,
  TOKEN_SECRET,
} from "./settings.ts";
import { fmt, ms } from "./util.ts";
import { verifySend } from "./verify.ts";
import { assignTopics } from "./topics.ts";
import { variantRenders } from "../../src/delivery/variants.ts";

type Sent = Omit<
  SendRecord,
  | "settings"
  | "db"
  | "queue"
  | "population"
  | "verification"
  | "migrateMs"
  | "developerStateTouched"
  | "totalMs"
> & {
  /** Active at enqueue, less who unsubscribed before the send: who must have got the digest. */
  readonly expectedActive: number;
};

/** Steps 3 and 4: the producer, then every message through the consumer, with the scenarios. */
async function send(
  settings: SimSettings,
  ctx: SendContext,
  status: SubscriberStatus[],
): Promise<Sent> {
  const { week } = settings;
  const first = await enqueue(ctx.db, ctx.queue, week);
  const activeAtEnqueue = activeIds(status);
  checkFirstSend(first, week, status, activeAtEnqueue, ctx.problems);
  console.log(
    `producer: ${fmt(first.messages.length)} messages in ${first.batches.length} sendBatch calls, ${first.count.statements} D1 statements, ${fmt(first.ms)} ms`,
  );
  const lateUnsubscribed = await unsubscribeSome(
    ctx.db.asD1(),
    settings.subscribers,
    status,
    activeAtEnqueue,
  );

  const faults = planFaults(first.messages.length);
  const { toRetry, firstPassMs } = await firstDelivery(ctx, first.messages, faults);
  const { redelivered, redeliveryMs } = await redeliver(ctx, first.messages, faults);
  const retryMs = await retry(ctx, toRetry);
  const rejected = rejectedRecipients(first.messages, faults, status);
  const { second, secondConsumeMs } = await secondSend(ctx, week, rejected);
  const third = await thirdSend(ctx, week);
  ctx.problems.check(
    ctx.queue.violations.length === 0,
    `queue limits: ${ctx.queue.violations.slice(0, 5).join("; ")}`,
  );
  const expectedActive = activeAtEnqueue.length - lateUnsubscribed.length;
  return {
    expectedActive,
    lateUnsubscribed,
    first,
    faults,
    runs: ctx.runner.runs,
    firstPassMs,
    redelivered,
    redeliveryMs,
    retryMs,
    rejectedRecipients: rejected,
    second,
    secondConsumeMs,
    third,
  };
}

/** Runs the simulation; returns the exit status (0 when every check passed). */
export async function runSimulation(settings: SimSettings, problems: Problems): Promise<number> {
  const tStart = performance.now();
  const developerStateBefore = filesUnder(developerState);
  const migrateMs = migrateFreshDatabase();
  const proxy = await openPlatform();
  try {
    await checkMigrated(proxy.env.DB, migrateMs);
    // A fixed secret, whatever .dev.vars holds (getPlatformProxy reads it): tokens are checked below.
    const config = parseConfig({ ...proxy.env, TOKEN_SECRET });
    const db = new CountingD1(proxy.env.DB);
    const D1 = db.asD1();

    const population = await insertSubscribers(db, settings.subscribers, problems);
    await buildWeekDigest(D1, config, settings.week, settings.content);
    const topics = await assignTopics(D1, settings.week, settings.topicSets);
    const rendersBefore = variantRenders();

    const queue = new FakeQueue();
    const runner = new ChunkRunner({
      db,
      config,
      mail: config.mail,
      transport: new OutboxTransport(D1, () => NOW),
      problems,
    });
    const { expectedActive, ...sent } = await send(
      settings,
      { db, queue, runner, problems },
      population.status,
    );
    const verification = await verifySend(D1, settings.week, expectedActive, problems);
    reportVariants(
      sent.first.messages,
      topics.sets.length,
      variantRenders() - rendersBefore,
      problems,
    );

    const record: SendRecord = {
      ...sent,
      settings,
      db,
      queue,
      population,
      verification,
      migrateMs,
      developerStateTouched: touchedSince(developerStateBefore),
      totalMs: ms(tStart),
    };
    return report(record, problems);
  } finally {
    await proxy.dispose();
    if (!settings.keep) rmSync(stateDir, { recursive: true, force: true });
  }
}

/**
 * Readers with topics, against the baseline of the same run: the messages the producer would
 * make of the same recipients with no topics (one per 100). Each variant rendered once.
 */
function reportVariants(
  messages: readonly { readonly subscriberIds: readonly number[] }[],
  sets: number,
  renders: number,
  problems: Problems,
): void {
  const recipients = messages.reduce((n, m) => n + m.subscriberIds.length, 0);
  const baseline = Math.max(1, Math.ceil(recipients / 100));
  const ratio = messages.length / baseline;
  console.log(
    `variants: ${sets} topic sets + everything; ${messages.length} queue messages for ${recipients} recipients, baseline without topics ${baseline}: ${ratio.toFixed(3)}x (target <= 2x); ${renders} variant renders (target <= ${sets})`,
  );
  problems.check(
    ratio <= 2,
    `queue messages ${ratio.toFixed(3)}x the no-topics baseline, target <= 2x`,
  );
  problems.check(
    renders <= sets,
    `${renders} variant renders for ${sets} topic sets: each must render once`,
  );
}

/** Files of the developer's database that differ from `before`. */
function touchedSince(before: Map<string, string>): string[] {
  const after = filesUnder(developerState);
  return [...new Set([...before.keys(), ...after.keys()])].filter(
    (k) => before.get(k) !== after.get(k),
  );
}

/** Steps 5 and 6: the targets judged, the report printed and written; returns the exit status. */
function report(record: SendRecord, problems: Problems): number {
  const chunks = chunkStats(record.runs);
  const targets = judgeTargets(record, chunks, problems);
  printReport(record, chunks, targets);
  writeJson(reportJson(record, chunks, targets, problems));
  console.log(`\nJSON: ${relative(root, jsonPath)}`);
  printVerdict(problems.list, problems.errorStacks.values());
  return problems.list.length === 0 ? 0 : 1;
}
