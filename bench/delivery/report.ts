/** The report on the terminal: one line per figure, PASS/FAIL on each target, then the SQL run per chunk. */
import { relative } from "node:path";
import { type ChunkStats, stats } from "./chunk-stats.ts";
import type { SendRecord, Targets } from "./record.ts";
import { MAX_STATEMENTS_PER_CHUNK, maxQueueMessages, root, stateDir } from "./settings.ts";
import { countBy, fmt } from "./util.ts";

type Line = [string, string];

const pass = (ok: boolean) => (ok ? "PASS" : "FAIL");

function subscriberLines(r: SendRecord): Line[] {
  return [
    ["subscribers", fmt(r.settings.subscribers)],
    [
      "  by status at enqueue",
      [...r.population.initialByStatus].map(([s, n]) => `${s} ${fmt(n)}`).join(", "),
    ],
    ["  unsubscribed mid-send", fmt(r.lateUnsubscribed.length)],
    ["active (at verification)", fmt(r.verification.v.active)],
  ];
}

function producerLines(r: SendRecord, t: Targets): Line[] {
  const { first, queue } = r;
  const perMessage = stats(first.messages.map((m) => m.subscriberIds.length));
  return [
    [
      "queue messages (first send)",
      `${fmt(first.messages.length)}  target <= ${fmt(maxQueueMessages(r.settings.subscribers, r.settings.topicSets))}: ${pass(t.queueTargetOk)}`,
    ],
    ["  recipients per message", `${perMessage.max} max, ${perMessage.min} min (last chunk)`],
    [
      "sendBatch calls (first send)",
      `${fmt(first.batches.length)} (max ${Math.max(0, ...first.batches)} messages each; limit 100)`,
    ],
    [
      "  largest message / sendBatch",
      `${fmt(queue.maxMessageBytes)} B / ${fmt(queue.maxBatchBytes)} B (limits 128 KB / 256 KB)`,
    ],
    [
      "producer D1 queries",
      `${first.count.statements} statements in ${first.count.roundTrips} round trips (${[...first.count.bySql.values()].join(" + ")}), ${fmt(first.ms)} ms`,
    ],
  ];
}

function fullVsPartial(c: ChunkStats): string {
  if (!(c.full.length && c.partial.length)) return "n/a (no partial chunk)";
  const sizes = c.partial
    .map((r) => r.sent)
    .sort((a, b) => a - b)
    .join(", ");
  return `${[...c.fullSet].join("/")} vs ${[...c.partialSet].join("/")} statements per chunk (${sizes} recipients) without the one digest load per isolate: ${c.flat ? "same (no per-recipient query)" : "DIFFERENT"}`;
}

function chunkLines(c: ChunkStats, t: Targets): Line[] {
  return [
    [
      "D1 statements per sent chunk",
      `mean ${fmt(c.statements.mean, 2)}, max ${c.statements.max}  target <= ${MAX_STATEMENTS_PER_CHUNK}, none per recipient: ${pass(t.perChunkOk && c.flat !== false)}`,
    ],
    [
      "D1 round trips per sent chunk",
      `mean ${fmt(c.roundTrips.mean, 2)}, max ${c.roundTrips.max} (claim = 1 db.batch of 2)`,
    ],
    ...c.byRecipients.map((b): Line => [
      `  chunks of ${b.recipients} recipients`,
      `${fmt(b.chunks)} chunks: statements mean ${fmt(b.statements.mean, 2)}, max ${b.statements.max}; round trips mean ${fmt(b.roundTrips.mean, 2)}`,
    ]),
    ["  full (100) vs partial chunks", fullVsPartial(c)],
    ...c.byPhaseAndOutcome.map((s): Line => [
      `  ${s.what}`,
      `${fmt(s.chunks)} runs, ${fmt(s.recipients)} recipients, statements mean ${fmt(s.statements.mean, 2)} max ${s.statements.max}`,
    ]),
  ];
}

function scenarioLines(r: SendRecord): Line[] {
  const faults = [...r.faults.values()];
  const ofKind = (f: string) => faults.filter((x) => x === f).length;
  const redeliveryOutcomes = countBy(
    r.runs.filter((run) => run.phase === "redelivery").map((run) => run.outcome),
  );
  return [
    [
      "redelivered (~5%)",
      `${r.redelivered.length} messages: ${[...redeliveryOutcomes].map(([k, n]) => `${n} ${k}`).join(", ")} (expected: all nothing-to-send)`,
    ],
    [
      "crash / retry chunks",
      `${faults.filter((f) => f !== "permanent-reject").length} (crash after send ×${ofKind("crash-after-send")}, accepted-then-503 ×${ofKind("accepted-then-503")}, 429 ×${ofKind("429")}), retried normally`,
    ],
    [
      "rejected chunks (released)",
      `${ofKind("permanent-reject")} (${r.rejectedRecipients.length} recipients)`,
    ],
    [
      "second send",
      `${r.second.result.messages} messages, ${r.second.result.recipients} recipients, ${r.second.count.statements} producer statements`,
    ],
    [
      "third send",
      `${r.third.result.messages} messages, ${r.third.count.statements} producer statements`,
    ],
  ];
}

function verificationLines(r: SendRecord): Line[] {
  const { v, o, d, checkedLinks, wrongUnsubscribe, digestStatus } = r.verification;
  return [
    [
      "outbox messages",
      `${fmt(o.rows)} to ${fmt(o.addresses)} addresses (~${fmt(o.avg_row / 1024, 1)} KB of columns each)`,
    ],
    ["duplicates", `${fmt(v.duplicates)}  ${pass(v.duplicates === 0)}`],
    ["missing", `${fmt(v.missing)}  ${pass(v.missing === 0)}`],
    [
      "sent to suppressed/pending",
      `${fmt(v.suppressed_messages)}  ${pass(v.suppressed_sent === 0)}`,
    ],
    [
      "deliveries",
      `sent ${fmt(d.sent)} (= active: ${pass(d.sent === v.active)}), claimed ${fmt(d.claimed)}, failed ${fmt(d.failed)}`,
    ],
    [
      "unsubscribe links",
      `${fmt(checkedLinks - wrongUnsubscribe)}/${fmt(checkedLinks)} are their recipient's`,
    ],
    ["digest status after", digestStatus ?? "?"],
  ];
}

function timingLines(r: SendRecord, c: ChunkStats): Line[] {
  const sent = c.sentRuns;
  const perChunk = stats(sent.map((x) => x.ms));
  return [
    ["wall time: producer", `${fmt(r.first.ms)} ms`],
    [
      "wall time: consumers",
      `${fmt(c.consumeMs / 1000, 1)} s (first delivery ${fmt(r.firstPassMs / 1000, 1)} s, redeliveries ${fmt(r.redeliveryMs)} ms, retries ${fmt(r.retryMs)} ms, second send ${fmt(r.secondConsumeMs)} ms)`,
    ],
    [
      "throughput",
      `${fmt((c.emailsSent / c.consumeMs) * 1000)} emails/s, ${fmt((r.runs.length / c.consumeMs) * 1000, 1)} queue messages/s (one consumer, sequential)`,
    ],
    [
      "per sent chunk",
      `mean ${fmt(perChunk.mean, 1)} ms (D1 ${fmt(stats(sent.map((x) => x.d1Ms)).mean, 1)} ms, building messages ${fmt(stats(sent.map((x) => x.ms - x.d1Ms)).mean, 1)} ms), max ${fmt(perChunk.max, 1)} ms`,
    ],
    [
      "per queue invocation (10 msgs)",
      `~${fmt(c.statements.mean * 10 + 1, 0)} D1 statements, ~${fmt(c.roundTrips.mean * 10 + 1, 0)} round trips (Workers Free: 50 D1 queries per invocation, Paid: 1,000)`,
    ],
    [
      "producer invocation",
      `${r.first.count.statements} D1 statements + ${r.first.batches.length} sendBatch calls in one invocation (Free: 50 D1 queries, Paid: 1,000)`,
    ],
  ];
}

function environmentLines(r: SendRecord, t: Targets): Line[] {
  const l = r.db.limits;
  const verdict = t.limitsNote.length
    ? `${r.settings.strict ? "FAIL" : "WARNING"}: ${t.limitsNote.join("; ")}`
    : "PASS";
  const touched = r.developerStateTouched.length;
  return [
    [
      "D1 limits (deployed D1)",
      `max ${l.maxParams} bound params (limit 100), max SQL ${fmt(l.maxSqlBytes)} B (limit 100 KB), largest bound value ${fmt(l.maxValueBytes)} B (limit 2 MB): ${verdict}`,
    ],
    [
      "developer DB (.wrangler/state)",
      touched
        ? `changed during the run by another process (npm start, e2e…; this run's D1 is only under ${relative(root, stateDir)}/): ${touched} files`
        : "untouched",
    ],
    [
      "total run time",
      `${fmt(r.totalMs / 1000, 1)} s (setup: migrations ${fmt(r.migrateMs)} ms, subscribers ${fmt(r.population.insertMs)} ms; verification ${fmt(r.verification.verifyMs)} ms)`,
    ],
  ];
}

export function printReport(r: SendRecord, c: ChunkStats, t: Targets): void {
  const lines: Line[] = [
    ...subscriberLines(r),
    ...producerLines(r, t),
    ...chunkLines(c, t),
    ...scenarioLines(r),
    ...verificationLines(r),
    ...timingLines(r, c),
    ...environmentLines(r, t),
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  console.log(
    `\nDelivery simulation: digest ${r.settings.week} to ${fmt(r.settings.subscribers)} subscribers (real producer + consumer, local D1)\n`,
  );
  for (const [k, val] of lines) console.log(`${k.padEnd(width)}  ${val}`);
  console.log("\nD1 statements over all sent chunks, by SQL:");
  for (const [sql, n] of [...c.statementsBySql].sort((a, b) => b[1] - a[1]))
    console.log(
      `  ${fmt(n).padStart(7)}  (${fmt(n / Math.max(1, c.sentRuns.length), 2)}/chunk)  ${sql}`,
    );
}

/** PASS, or FAIL with the problems (the first 20) and each distinct error's first stack. */
export function printVerdict(problems: readonly string[], errorStacks: Iterable<string>): void {
  if (problems.length === 0) {
    console.log("\nPASS");
    return;
  }
  console.error(`\nFAIL: ${problems.length} problem${problems.length === 1 ? "" : "s"}:`);
  for (const p of problems.slice(0, 20)) console.error(`  - ${p}`);
  if (problems.length > 20) console.error(`  … and ${problems.length - 20} more (see the JSON)`);
  for (const stack of errorStacks) console.error(`\nfirst stack of: ${stack}`);
}
