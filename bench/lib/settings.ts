/** Benchmark settings from the environment, so a quick smoke run is `BENCH_SECONDS=2 npm run bench`. */
import type { LoadSettings } from "./load.ts";

/** The corpus sizes measured by default (synthetic articles). */
export const DEFAULT_SIZES: readonly number[] = [100, 10_000, 100_000];

export interface Settings extends LoadSettings {
  /** Measured seconds per target over the whole run (split over the phases it appears in). */
  readonly seconds: number;
  readonly readyTimeoutMs: number;
  /** Repeats of a load phase when the server changed under it (e.g. wrangler reloaded on an edit of src/). */
  readonly retries: number;
  /** Keep wrangler dev's local request tracing on (see lib/workers.ts); off by default. */
  readonly localObservability: boolean;
  /** Measured seconds per (week, method) of the digest render benchmark (lib/digest-render.ts). */
  readonly digestSeconds: number;
  /** Corpus sizes, ascending; the smallest is the baseline the others are compared with. */
  readonly sizes: readonly number[];
  /** BENCH_ONLY=publish: only the synthetic content and its publishes (no digest, bundle or load). */
  readonly only: "publish" | null;
}

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`${name}="${raw}": expected a number ≥ ${min}`);
  return value;
}

/** BENCH_SIZES, e.g. "100,10000" or "100, 10_000": whole numbers ≥ 1, deduplicated, ascending. */
function envSizes(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name]?.trim();
  if (!raw) return [...fallback];
  const sizes = raw.split(/[\s,]+/).map((part) => Number(part.replaceAll("_", "")));
  if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new Error(
      `${name}="${raw}": expected whole numbers ≥ 1 separated by commas, e.g. 100,10000`,
    );
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function envOnly(name: string): "publish" | null {
  const raw = process.env[name]?.trim();
  if (!raw) return null;
  if (raw !== "publish") throw new Error(`${name}="${raw}": expected publish, or unset`);
  return raw;
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
    sizes: envSizes("BENCH_SIZES", DEFAULT_SIZES),
    only: envOnly("BENCH_ONLY"),
  };
}

/** The knobs, for the help line printed at the start of a run. */
export const SETTINGS_HELP =
  "BENCH_SIZES (100,10000,100000), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (10), BENCH_ROUNDS (2), BENCH_READY_TIMEOUT_SECONDS (180), BENCH_RETRIES (1), BENCH_LOCAL_OBSERVABILITY (0), BENCH_DIGEST_SECONDS (BENCH_SECONDS / 2), BENCH_ONLY (publish: the publishes alone)";
