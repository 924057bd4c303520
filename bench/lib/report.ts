/** The printed table, the ratio checks and bench/.work/results.json. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Measurement } from "./load.ts";

export interface RatioSpec {
  readonly name: string;
  readonly numerator: string;
  readonly denominator: string;
  /**
   * "req/s": numerator's req/s ÷ denominator's (default). "cpu": the same comparison from server
   * CPU per response (denominator's ÷ numerator's, so > 1 still means the numerator is cheaper).
   */
  readonly basis?: "req/s" | "cpu";
  /** Minimum to pass; null: printed for information only. */
  readonly min: number | null;
  readonly note?: string;
}

export interface Ratio extends RatioSpec {
  readonly value: number;
  /** null for information-only ratios. */
  readonly pass: boolean | null;
}

export function computeRatios(
  measurements: readonly Measurement[],
  specs: readonly RatioSpec[],
): Ratio[] {
  const byId = new Map(measurements.map((m) => [m.id, m]));
  return specs.flatMap((spec) => {
    const n = byId.get(spec.numerator);
    const d = byId.get(spec.denominator);
    if (!n || !d) return [];
    let value: number;
    if (spec.basis === "cpu") {
      if (n.serverCpuMsPerResponse === null || d.serverCpuMsPerResponse === null) return [];
      value = d.serverCpuMsPerResponse / n.serverCpuMsPerResponse;
    } else {
      value = n.reqPerSec / d.reqPerSec;
    }
    return [{ ...spec, value, pass: spec.min === null ? null : value >= spec.min }];
  });
}

/** A plain-text table: columns padded to their widest cell, `rightAligned` by index. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number>,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatMeasurements(measurements: readonly Measurement[]): string {
  return table(
    [
      "target",
      "req/s (mean)",
      "p99 ms",
      "p50 ms",
      "bytes/response",
      "server CPU ms/resp",
      "responses",
      "status",
    ],
    measurements.map((m) => [
      m.label,
      fmt(m.reqPerSec),
      fmt(m.latencyMs.p99, 1),
      fmt(m.latencyMs.p50, 1),
      m.bytesPerResponseRange[0] === m.bytesPerResponseRange[1]
        ? fmt(m.bytesPerResponse)
        : `${fmt(m.bytesPerResponseRange[0])}–${fmt(m.bytesPerResponseRange[1])}`,
      m.serverCpuMsPerResponse === null ? "n/a" : fmt(m.serverCpuMsPerResponse, 2),
      fmt(m.responses),
      Object.keys(m.statusCodes).join(","),
    ]),
    new Set([1, 2, 3, 4, 5, 6]),
  );
}

export function formatRatios(ratios: readonly Ratio[]): string {
  return table(
    ["ratio", "value", "target", "result"],
    ratios.map((r) => [
      r.name,
      fmt(r.value, 3),
      r.min === null ? "info" : `≥ ${r.min}`,
      r.pass === null ? (r.note ?? "") : r.pass ? "PASS" : "FAIL",
    ]),
    new Set([1]),
  );
}

export async function writeJson(file: string, data: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
}

/** A measured value against a limit that is not a ratio (e.g. a size budget). */
export interface LimitCheck {
  readonly name: string;
  readonly value: string;
  readonly target: string;
  readonly pass: boolean;
  readonly note?: string;
}

export function formatLimits(checks: readonly LimitCheck[]): string {
  return table(
    ["check", "value", "target", "result"],
    checks.map((c) => [
      c.name,
      c.value,
      c.target,
      `${c.pass ? "PASS" : "FAIL"}${c.note ? ` (${c.note})` : ""}`,
    ]),
    new Set([1]),
  );
}

/** Per-render times of the digest email, one row per (week, method). */
export function formatRenderTimings(
  timings: readonly {
    label: string;
    method: string;
    iterations: number;
    meanMs: number;
    p50Ms: number;
    p99Ms: number;
    cpuMs: number;
    htmlBytes: number;
    compact: boolean;
  }[],
): string {
  const ms = (x: number) => fmt(x, x < 1 ? 3 : 2);
  return table(
    [
      "digest email render (Node)",
      "method",
      "renders",
      "mean ms",
      "p50 ms",
      "p99 ms",
      "CPU ms",
      "HTML bytes",
      "compact",
    ],
    timings.map((t) => [
      t.label,
      t.method,
      fmt(t.iterations),
      ms(t.meanMs),
      ms(t.p50Ms),
      ms(t.p99Ms),
      ms(t.cpuMs),
      fmt(t.htmlBytes),
      t.compact ? "yes" : "no",
    ]),
    new Set([2, 3, 4, 5, 6, 7]),
  );
}
