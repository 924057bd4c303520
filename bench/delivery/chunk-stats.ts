/**
 * The consumer runs summed up: D1 statements and round trips per sent chunk, by chunk size and by
 * phase and outcome, and whether full and partial chunks cost the same (no query per recipient).
 */
import { CHUNK_SIZE } from "../../src/delivery/producer.ts";
import type { ChunkRun } from "./chunk-runner.ts";

export interface Stats {
  readonly n: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export const stats = (xs: readonly number[]): Stats => ({
  n: xs.length,
  mean: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0,
  min: xs.length ? Math.min(...xs) : 0,
  max: xs.length ? Math.max(...xs) : 0,
});

export interface BucketStats {
  readonly recipients: string;
  readonly chunks: number;
  readonly statements: Stats;
  readonly roundTrips: Stats;
}

export interface OutcomeStats {
  readonly what: string;
  readonly chunks: number;
  readonly statements: Stats;
  readonly roundTrips: Stats;
  readonly recipients: number;
}

export interface ChunkStats {
  readonly sentRuns: readonly ChunkRun[];
  readonly statements: Stats;
  readonly roundTrips: Stats;
  readonly byRecipients: readonly BucketStats[];
  readonly byPhaseAndOutcome: readonly OutcomeStats[];
  readonly statementsBySql: Map<string, number>;
  readonly full: readonly ChunkRun[];
  readonly partial: readonly ChunkRun[];
  /** Distinct statement counts of full and partial chunks, without the digest load. */
  readonly fullSet: ReadonlySet<number>;
  readonly partialSet: ReadonlySet<number>;
  /** Full and partial chunks ran the same statements; null without both kinds. */
  readonly flat: boolean | null;
  readonly emailsSent: number;
  readonly consumeMs: number;
}

function groupBy(runs: readonly ChunkRun[], key: (r: ChunkRun) => string): Map<string, ChunkRun[]> {
  const groups = new Map<string, ChunkRun[]>();
  for (const r of runs) {
    const k = key(r);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return groups;
}

const bucketOf = (n: number) =>
  n === CHUNK_SIZE ? `${CHUNK_SIZE}` : n >= 50 ? "50-99" : n >= 10 ? "10-49" : "1-9";

function byRecipients(sentRuns: readonly ChunkRun[]): BucketStats[] {
  return [...groupBy(sentRuns, (r) => bucketOf(r.sent))]
    .sort(([a], [b]) => Number(b.split("-")[0]) - Number(a.split("-")[0]))
    .map(([bucket, rs]) => ({
      recipients: bucket,
      chunks: rs.length,
      statements: stats(rs.map((r) => r.statements)),
      roundTrips: stats(rs.map((r) => r.roundTrips)),
    }));
}

function byPhaseAndOutcome(runs: readonly ChunkRun[]): OutcomeStats[] {
  return [...groupBy(runs, (r) => `${r.phase}: ${r.outcome}`)].map(([k, rs]) => ({
    what: k,
    chunks: rs.length,
    statements: stats(rs.map((r) => r.statements)),
    roundTrips: stats(rs.map((r) => r.roundTrips)),
    recipients: rs.reduce((a, r) => a + r.sent, 0),
  }));
}

/**
 * Per-chunk statements without the digest's loads: the whole digest once per isolate (the first
 * chunk's cache miss) and its content hash once per queue invocation (the first of its up to 10
 * messages). What is left must not depend on how many recipients a chunk has.
 */
const chunkStatements = (r: ChunkRun) =>
  r.statements -
  [...r.bySql]
    .filter(
      ([sql]) =>
        sql.startsWith("SELECT * FROM digests") ||
        sql.startsWith("SELECT content_hash FROM digests"),
    )
    .reduce((a, [, n]) => a + n, 0);

export function chunkStats(runs: readonly ChunkRun[]): ChunkStats {
  const sentRuns = runs.filter((r) => r.outcome === "sent");
  const statementsBySql = new Map<string, number>();
  for (const r of sentRuns)
    for (const [sql, n] of r.bySql) statementsBySql.set(sql, (statementsBySql.get(sql) ?? 0) + n);
  const full = sentRuns.filter((r) => r.sent === CHUNK_SIZE);
  const partial = sentRuns.filter((r) => r.sent < CHUNK_SIZE);
  const fullSet = new Set(full.map(chunkStatements));
  const partialSet = new Set(partial.map(chunkStatements));
  const flat =
    full.length > 0 && partial.length > 0
      ? fullSet.size === 1 && partialSet.size === 1 && [...fullSet][0] === [...partialSet][0]
      : null;
  return {
    sentRuns,
    statements: stats(sentRuns.map((r) => r.statements)),
    roundTrips: stats(sentRuns.map((r) => r.roundTrips)),
    byRecipients: byRecipients(sentRuns),
    byPhaseAndOutcome: byPhaseAndOutcome(runs),
    statementsBySql,
    full,
    partial,
    fullSet,
    partialSet,
    flat,
    emailsSent: sentRuns.reduce((a, r) => a + r.sent, 0),
    consumeMs: runs.reduce((a, r) => a + r.ms, 0),
  };
}
