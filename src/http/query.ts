/** Query parameter parsing that answers 400 naming the parameter. */
import type { Context } from "hono";
import { badParameter } from "./errors.ts";

/**
 * A whole number in [min, max], or `fallback` when absent. Unknown parameters are ignored on
 * purpose: aggregators and proxies append cache-busters (`?_=1700000000`).
 */
export function intParam(
  c: Context,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const values = c.req.queries(name);
  if (values === undefined) return fallback;
  const raw = values.length === 1 ? values[0]! : values.join(",");
  if (values.length !== 1 || !/^\d{1,9}$/.test(raw) || +raw < min || +raw > max) {
    throw badParameter(name, raw, `a whole number from ${min} to ${max}`);
  }
  return +raw;
}
