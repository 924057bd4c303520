/** The run as JSON (bench/.work/delivery-sim.json): every figure of the report, and each chunk run. */
import { mkdirSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { CHUNK_SIZE, type EnqueueResult } from "../../src/delivery/producer.ts";
import { type ChunkStats, stats } from "./chunk-stats.ts";
import type { Problems } from "./problems.ts";
import type { SendRecord, Targets } from "./record.ts";
import {
  jsonPath,
  MAX_STATEMENTS_PER_CHUNK,
  maxQueueMessages,
  NOW,
  root,
  stateDir,
  workDir,
} from "./settings.ts";

function producedJson(r: EnqueueResult) {
  return { recipients: r.recipients, messages: r.messages, queriesReported: r.queries };
}

const tenths = (x: number) => Math.round(x * 10) / 10;

function queueJson(r: SendRecord, t: Targets) {
  const { first, queue } = r;
  return {
    messages: first.messages.length,
    target: maxQueueMessages(r.settings.subscribers, r.settings.topicSets),
    pass: t.queueTargetOk,
    sendBatchCalls: first.batches.length,
    sendBatchSizes: first.batches,
    recipientsPerMessage: stats(first.messages.map((m) => m.subscriberIds.length)),
    maxMessageBytes: queue.maxMessageBytes,
    maxBatchBytes: queue.maxBatchBytes,
    violations: queue.violations,
  };
}

function consumersJson(r: SendRecord, c: ChunkStats, t: Targets) {
  return {
    runs: r.runs.length,
    sentChunks: c.sentRuns.length,
    statementsPerSentChunk: c.statements,
    roundTripsPerSentChunk: c.roundTrips,
    target: MAX_STATEMENTS_PER_CHUNK,
    pass: t.perChunkOk && c.flat !== false,
    fullVsPartial: {
      full: stats(c.full.map((x) => x.statements)),
      partial: stats(c.partial.map((x) => x.statements)),
      partialRecipients: c.partial.map((x) => x.sent),
      statementsWithoutDigestLoad: { full: [...c.fullSet], partial: [...c.partialSet] },
      flat: c.flat,
    },
    byRecipients: c.byRecipients,
    byPhaseAndOutcome: c.byPhaseAndOutcome,
    statementsBySql: Object.fromEntries(c.statementsBySql),
    wallMs: c.consumeMs,
    firstDeliveryMs: r.firstPassMs,
    emailsPerSecond: (c.emailsSent / c.consumeMs) * 1000,
    queueMessagesPerSecond: (r.runs.length / c.consumeMs) * 1000,
    chunks: r.runs.map((x) => ({
      phase: x.phase,
      chunkKey: x.chunkKey,
      attempt: x.attempt,
      fault: x.fault,
      bodyRecipients: x.bodyRecipients,
      outcome: x.outcome,
      sent: x.sent,
      statements: x.statements,
      roundTrips: x.roundTrips,
      ms: tenths(x.ms),
      d1Ms: tenths(x.d1Ms),
    })),
  };
}

function scenariosJson(r: SendRecord) {
  return {
    faults: Object.fromEntries([...r.faults].map(([i, f]) => [r.first.messages[i]!.chunkKey, f])),
    redelivered: r.redelivered.map((m) => m.chunkKey),
    rejectedRecipients: r.rejectedRecipients.length,
    secondSend: {
      ...producedJson(r.second.result),
      statements: r.second.count.statements,
      ms: r.second.ms,
      sendBatchSizes: r.second.batches,
    },
    thirdSend: producedJson(r.third.result),
  };
}

export function reportJson(r: SendRecord, c: ChunkStats, t: Targets, problems: Problems) {
  const s = r.settings;
  const { v, o, d, digestStatus, checkedLinks, wrongUnsubscribe } = r.verification;
  return {
    ok: problems.list.length === 0,
    problems: problems.list,
    errorStacks: [...problems.errorStacks.values()],
    settings: {
      subscribers: s.subscribers,
      week: s.week,
      content: s.content,
      strict: s.strict,
      now: NOW.toISOString(),
      chunkSize: CHUNK_SIZE,
      state: relative(root, stateDir),
    },
    subscribers: {
      total: s.subscribers,
      byStatusAtEnqueue: Object.fromEntries(r.population.initialByStatus),
      unsubscribedMidSend: r.lateUnsubscribed.length,
      activeAtVerification: v.active,
    },
    queue: queueJson(r, t),
    producer: {
      ...producedJson(r.first.result),
      statements: r.first.count.statements,
      roundTrips: r.first.count.roundTrips,
      ms: r.first.ms,
      d1Ms: r.first.count.d1Ms,
      bySql: Object.fromEntries(r.first.count.bySql),
    },
    consumers: consumersJson(r, c, t),
    scenarios: scenariosJson(r),
    verification: {
      ...v,
      outbox: o,
      deliveries: d,
      digestStatus,
      unsubscribeLinksChecked: checkedLinks,
      unsubscribeLinksWrong: wrongUnsubscribe,
    },
    d1Limits: { ...r.db.limits, warnings: t.limitsNote },
    developerStateTouched: r.developerStateTouched,
    totals: {
      d1Statements: r.db.total.statements,
      d1RoundTrips: r.db.total.roundTrips,
      totalMs: r.totalMs,
    },
  };
}

/** Writes `json` to bench/.work/delivery-sim.json. */
export function writeJson(json: unknown): void {
  mkdirSync(workDir, { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
}
