/**
 * Load tests with autocannon (programmatic API), one target at a time.
 *
 * Every response is observed (status, bytes, latency), so the figures are exact over the whole
 * run, several rounds can be merged without averaging percentiles, and a run that saw a
 * single unexpected status, error or timeout is reported as broken rather than as a number.
 */
import autocannon from "autocannon";

export interface Target {
  /** Stable key for results and ratios, e.g. "feed-100". */
  readonly id: string;
  /** What the table shows, e.g. "GET /feed.xml (100 articles)". */
  readonly label: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Every response must have this status. */
  readonly expectStatus: number;
  /** Runs after each load run; throws if the server no longer serves what was measured. */
  readonly verify?: () => Promise<void>;
  /** CPU seconds used so far by the server behind `url` (see DevServer.cpuSeconds). */
  readonly serverCpuSeconds?: () => number | null;
}

export interface LoadSettings {
  /** Unmeasured seconds per target before its first round in a phase. */
  readonly warmupSeconds: number;
  readonly connections: number;
  /** Targets of one phase are measured in rounds, alternating their order, to spread drift. */
  readonly rounds: number;
}

export interface RoundResult {
  /** Which phase of the run (e.g. "100 articles, 1st"), for per-phase drift. */
  readonly phase: string;
  readonly round: number;
  readonly seconds: number;
  readonly responses: number;
  readonly reqPerSec: number;
}

export interface Measurement {
  readonly id: string;
  readonly label: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly expectStatus: number;
  readonly connections: number;
  readonly seconds: number;
  readonly responses: number;
  /** Responses per second over all rounds (total responses / total measured time). */
  readonly reqPerSec: number;
  readonly rounds: readonly RoundResult[];
  readonly latencyMs: {
    readonly mean: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Bytes read per response, status line and headers included. */
  readonly bytesPerResponse: number;
  readonly bytesPerResponseRange: readonly [number, number];
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Server CPU time per response (all of wrangler dev's processes), ms; null if not measurable. */
  readonly serverCpuMsPerResponse: number | null;
}

export class LoadError extends Error {
  override readonly name = "LoadError";
}

export interface RawRun {
  readonly seconds: number;
  readonly latencies: number[];
  readonly bytes: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly statusCodes: Record<string, number>;
  /** Server CPU seconds during the run, or null. */
  readonly serverCpuSeconds: number | null;
}

/** One autocannon run against one target. Throws LoadError on errors, timeouts or wrong statuses. */
export async function runLoad(
  target: Target,
  seconds: number,
  connections: number,
): Promise<RawRun> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let bytes = 0;
  let minBytes = Infinity;
  let maxBytes = 0;
  let firstError: Error | null = null;
  const cpuBefore = target.serverCpuSeconds?.() ?? null;
  const instance = autocannon({
    url: target.url,
    connections,
    duration: seconds,
    headers: { ...target.headers },
    timeout: 10,
  });
  instance.on(
    "response",
    (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
      latencies.push(responseTime);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      bytes += resBytes;
      if (resBytes < minBytes) minBytes = resBytes;
      if (resBytes > maxBytes) maxBytes = resBytes;
    },
  );
  instance.on("reqError", (err: Error) => {
    firstError ??= err;
  });
  const result = await instance;
  const cpuAfter = cpuBefore === null ? null : (target.serverCpuSeconds?.() ?? null);

  const problems: string[] = [];
  if (result.errors > 0)
    problems.push(
      `${result.errors} request errors (first: ${(firstError as Error | null)?.message ?? "unknown"})`,
    );
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts`);
  if (result.resets > 0) problems.push(`${result.resets} connection resets`);
  const unexpected = Object.entries(statusCodes).filter(
    ([code]) => Number(code) !== target.expectStatus,
  );
  if (unexpected.length > 0) {
    problems.push(
      `unexpected statuses ${unexpected.map(([code, n]) => `${code}×${n}`).join(", ")} (expected only ${target.expectStatus})`,
    );
  }
  if (latencies.length === 0) problems.push("no responses at all");
  if (problems.length > 0)
    throw new LoadError(`${target.label} (${target.url}): ${problems.join("; ")}`);
  const serverCpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  return {
    seconds: result.duration,
    latencies,
    bytes,
    minBytes,
    maxBytes,
    statusCodes,
    serverCpuSeconds,
  };
}

/** A measured run of one target, kept raw so runs from several phases merge exactly. */
export interface PhaseRun {
  readonly target: Target;
  readonly phase: string;
  readonly round: number;
  readonly run: RawRun;
}

export interface PhaseTarget {
  readonly target: Target;
  /** Measured seconds for this target in this phase (split over the rounds). */
  readonly seconds: number;
}

/**
 * Measures the targets of one phase (servers up at the same time), never two at once: a warm-up
 * per target, then `rounds` rounds each running every target once, the order reversed on odd
 * rounds (A B C, C B A, …) so slow drift of the machine is spread evenly over the targets.
 */
export async function measurePhase(
  phase: string,
  targets: readonly PhaseTarget[],
  settings: LoadSettings,
  log: (line: string) => void = console.log,
): Promise<PhaseRun[]> {
  const rounds = Math.max(1, Math.floor(settings.rounds));
  if (settings.warmupSeconds > 0) {
    for (const { target } of targets) {
      log(`  warm-up  ${target.label}: ${settings.warmupSeconds} s`);
      await runVerified(target, settings.warmupSeconds, settings.connections);
    }
  }
  const runs: PhaseRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? targets : [...targets].reverse();
    for (const { target, seconds } of order) {
      const run = await runVerified(target, Math.max(1, seconds / rounds), settings.connections);
      const sorted = [...run.latencies].sort((a, b) => a - b);
      const cpu =
        run.serverCpuSeconds === null
          ? ""
          : `, server CPU ${((run.serverCpuSeconds * 1000) / run.latencies.length).toFixed(2)} ms/response`;
      log(
        `  round ${round}/${rounds}  ${target.label}: ${(run.latencies.length / run.seconds).toFixed(0)} req/s, p99 ${percentile(sorted, 0.99).toFixed(1)} ms${cpu}`,
      );
      runs.push({ target, phase, round, run });
    }
  }
  return runs;
}

/** One Measurement per target (in order of first appearance), merging all its runs. */
export function summarize(runs: readonly PhaseRun[], connections: number): Measurement[] {
  const byId = new Map<string, PhaseRun[]>();
  for (const r of runs) {
    const list = byId.get(r.target.id);
    if (list) list.push(r);
    else byId.set(r.target.id, [r]);
  }
  return [...byId.values()].map((list) => summarizeTarget(list[0]!.target, list, connections));
}

/**
 * runLoad, then the target's own check. When the load run fails, the check runs first: if the
 * server changed under the benchmark, that is the better explanation (and the error to throw).
 */
async function runVerified(target: Target, seconds: number, connections: number): Promise<RawRun> {
  let run: RawRun;
  try {
    run = await runLoad(target, seconds, connections);
  } catch (err) {
    await target.verify?.();
    throw err;
  }
  await target.verify?.();
  return run;
}

function summarizeTarget(
  target: Target,
  runs: readonly PhaseRun[],
  connections: number,
): Measurement {
  const latencies = runs.flatMap((r) => r.run.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((s, r) => s + r.run.seconds, 0);
  const bytes = runs.reduce((s, r) => s + r.run.bytes, 0);
  const statusCodes: Record<string, number> = {};
  for (const { run } of runs) {
    for (const [code, n] of Object.entries(run.statusCodes))
      statusCodes[code] = (statusCodes[code] ?? 0) + n;
  }
  return {
    id: target.id,
    label: target.label,
    url: target.url,
    headers: { ...target.headers },
    expectStatus: target.expectStatus,
    connections,
    seconds,
    responses: latencies.length,
    reqPerSec: latencies.length / seconds,
    rounds: runs.map(({ run, phase, round }) => ({
      phase,
      round,
      seconds: run.seconds,
      responses: run.latencies.length,
      reqPerSec: run.latencies.length / run.seconds,
    })),
    latencyMs: {
      mean: latencies.reduce((s, x) => s + x, 0) / latencies.length,
      p50: percentile(latencies, 0.5),
      p90: percentile(latencies, 0.9),
      p99: percentile(latencies, 0.99),
      max: latencies[latencies.length - 1]!,
    },
    bytesPerResponse: bytes / latencies.length,
    bytesPerResponseRange: [
      Math.min(...runs.map((r) => r.run.minBytes)),
      Math.max(...runs.map((r) => r.run.maxBytes)),
    ],
    statusCodes,
    serverCpuMsPerResponse: runs.every((r) => r.run.serverCpuSeconds !== null)
      ? (runs.reduce((sum, r) => sum + r.run.serverCpuSeconds!, 0) * 1000) / latencies.length
      : null,
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
