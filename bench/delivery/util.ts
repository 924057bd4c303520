/** Timing, number formatting and counting, shared by the simulation's parts. */

export const ms = (t0: number) => performance.now() - t0;
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const utf8Bytes = (s: string) => Buffer.byteLength(s, "utf8");

export function countBy<T>(xs: readonly T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}
