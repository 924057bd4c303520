/** Parameters the admin's digest routes share. */
import type { Context } from "hono";
import { echo } from "../http/echo.ts";
import type { AppEnv } from "../http/app-env.ts";
import { badRequest } from "../http/errors.ts";
import { parseWeek } from "../lib/time.ts";

/** The path's ISO week; 400 naming what was expected when it is not one. */
export function weekParam(c: Context<AppEnv>): string {
  const week = c.req.param("week")!;
  if (parseWeek(week) === null)
    throw badRequest(`“${echo(week)}” is not an ISO week: expected YYYY-Www, e.g. 2024-W43.`);
  return week;
}
