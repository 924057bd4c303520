/** Everything a run saw, for the report; and the targets it is judged by. */
import type { ChunkRun } from "./chunk-runner.ts";
import type { ChunkStats } from "./chunk-stats.ts";
import type { CountingD1 } from "./counting-d1.ts";
import type { FakeQueue } from "./fake-queue.ts";
import type { Fault } from "./faults.ts";
import type { Population } from "./population.ts";
import type { Problems } from "./problems.ts";
import type { Enqueued } from "./producer-phase.ts";
import {
  D1_MAX_BOUND_PARAMS,
  D1_MAX_SQL_BYTES,
  D1_MAX_VALUE_BYTES,
  MAX_STATEMENTS_PER_CHUNK,
  maxQueueMessages,
  type SimSettings,
} from "./settings.ts";
import { fmt } from "./util.ts";
import type { Verification } from "./verify.ts";

export interface SendRecord {
  readonly settings: SimSettings;
  readonly db: CountingD1;
  readonly queue: FakeQueue;
  readonly population: Population;
  readonly lateUnsubscribed: readonly number[];
  readonly first: Enqueued;
  readonly faults: ReadonlyMap<number, Fault>;
  readonly runs: readonly ChunkRun[];
  readonly firstPassMs: number;
  readonly redelivered: readonly { readonly chunkKey: string }[];
  readonly redeliveryMs: number;
  readonly retryMs: number;
  readonly rejectedRecipients: readonly number[];
  readonly second: Enqueued;
  readonly secondConsumeMs: number;
  readonly third: Enqueued;
  readonly verification: Verification;
  readonly migrateMs: number;
  /** Files of .wrangler/state that changed during the run (another process's doing). */
  readonly developerStateTouched: readonly string[];
  readonly totalMs: number;
}

export interface Targets {
  readonly queueTargetOk: boolean;
  readonly perChunkOk: boolean;
  /** What deployed D1 would reject (local D1 does not): problems with --strict, warnings without. */
  readonly limitsNote: readonly string[];
}

/** Judges the run by its targets and D1's limits, recording what fails. */
export function judgeTargets(record: SendRecord, chunks: ChunkStats, problems: Problems): Targets {
  const M = record.first.messages.length;
  const target = maxQueueMessages(record.settings.subscribers, record.settings.topicSets);
  const queueTargetOk = problems.check(M <= target, `queue messages: ${M}, target <= ${target}`);
  const perChunkOk = problems.check(
    chunks.statements.max <= MAX_STATEMENTS_PER_CHUNK,
    `D1 statements per chunk: max ${chunks.statements.max}, target <= ${MAX_STATEMENTS_PER_CHUNK} (none per recipient)`,
  );
  if (chunks.flat === false)
    problems.add(
      "D1 statements per chunk differ between full and partial chunks: a query per recipient?",
    );
  const limits = record.db.limits;
  const limitsNote: string[] = [];
  if (limits.maxParams > D1_MAX_BOUND_PARAMS)
    limitsNote.push(
      `a statement bound ${limits.maxParams} parameters (D1: ${D1_MAX_BOUND_PARAMS})`,
    );
  if (limits.maxSqlBytes > D1_MAX_SQL_BYTES)
    limitsNote.push(`a statement's SQL is ${limits.maxSqlBytes} bytes (D1: ${D1_MAX_SQL_BYTES})`);
  if (limits.maxValueBytes > D1_MAX_VALUE_BYTES)
    limitsNote.push(
      `a bound value is ${fmt(limits.maxValueBytes)} bytes (D1: ${fmt(D1_MAX_VALUE_BYTES)} per string/row) in: ${limits.maxValueSql}`,
    );
  if (record.settings.strict)
    for (const note of limitsNote) problems.add(`deployed D1 would reject this: ${note}`);
  return { queueTargetOk, perChunkOk, limitsNote };
}
