/** Benchmark settings from the environment, so a quick smoke run is `BENCH_SECONDS=2 npm run bench`. */
import type { LoadSettings } from "./load.ts";

export interface Settings extends LoadSettings {
  /** Measured seconds per target over the whole run (split over the phases it appears in). */
  readonly seconds: number;
  readonly readyTimeoutMs: number;
  /** Repeats of one size when src/generated/content.ts was rebuilt by another process mid-run. */
  readonly retries: number;
  /** Keep wrangler dev's local request tracing on (see lib/workers.ts); off by default. */
  readonly localObservability: boolean;
  /** Measured seconds per (week, method) of the digest render benchmark (lib/digest-render.ts). */
  readonly digestSeconds: number;
}

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`${name}="${raw}": expected a number ≥ ${min}`);
  return value;
}

export function readSettings(): Settings {
  const seconds = envNumber("BENCH_SECONDS", 10, 1);
  return {
    seconds,
    warmupSeconds: envNumber("BENCH_WARMUP_SECONDS", Math.min(2, seconds), 0),
    connections: Math.round(envNumber("BENCH_CONNECTIONS", 10, 1)),
    rounds: Math.round(envNumber("BENCH_ROUNDS", seconds >= 4 ? 2 : 1, 1)),
    readyTimeoutMs: envNumber("BENCH_READY_TIMEOUT_SECONDS", 180, 5) * 1000,
    retries: Math.round(envNumber("BENCH_RETRIES", 1, 0)),
    localObservability: envNumber("BENCH_LOCAL_OBSERVABILITY", 0, 0) !== 0,
    digestSeconds: envNumber("BENCH_DIGEST_SECONDS", Math.max(1, seconds / 2), 0.1),
  };
}

/** The knobs, for the help line printed at the start of a run. */
export const SETTINGS_HELP =
  "BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (10), BENCH_ROUNDS (2), BENCH_READY_TIMEOUT_SECONDS (180), BENCH_RETRIES (1), BENCH_LOCAL_OBSERVABILITY (0), BENCH_DIGEST_SECONDS (BENCH_SECONDS / 2)";
