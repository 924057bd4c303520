/**
 * /admin/digests/{week}/schedule and …/cancel: "send later" at a time in DIGEST_TIME_ZONE, and
 * cancelling it before it starts. The plan is a D1 row (src/digest/schedule-store.ts) the cron
 * claims at its time, so it survives redeploys and goes once; the review gate still decides.
 */
import type { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { cancelSend, scheduleSend } from "../digest/schedule-store.ts";
import { adminLoginName } from "../http/admin-auth.ts";
import type { AppEnv } from "../http/app-env.ts";
import { badField } from "../http/errors.ts";
import { readForm } from "../http/form-body.ts";
import { localDateTimeValue, parseLocalDateTime } from "../lib/send-at.ts";
import { weekRange } from "../lib/time.ts";
import { weekParam } from "./admin-params.ts";
import { adminResult } from "./admin-results.ts";
import { route } from "./methods.ts";

export function registerAdminScheduleRoutes(app: Hono<AppEnv>): void {
  route(app, "/admin/digests/:week/schedule", {
    POST: async (c) => {
      const week = weekParam(c);
      const config = c.var.config;
      const zone = config.digestTimeZone;
      const body = await readForm(c);
      const value = typeof body.send_at === "string" ? body.send_at : "";
      const sendAt = parseLocalDateTime(value, zone);
      if (sendAt === null)
        throw badField(
          "send_at",
          `expected a date and time in ${zone} as YYYY-MM-DDTHH:MM, e.g. 2024-10-28T09:30.`,
        );
      const now = new Date();
      if (sendAt <= now.getTime())
        throw badField("send_at", `${value} (${zone}) has passed: expected a time to come.`);
      const ended = weekRange(week, zone).end.getTime();
      if (sendAt < ended)
        throw badField(
          "send_at",
          `${value} (${zone}) is before ${week} ends (${localDateTimeValue(ended, zone)}): expected a time after it, when all its articles are in.`,
        );
      const by = adminLoginName(c.req.header("Authorization"));
      if (!(await scheduleSend(c.env.DB, week, sendAt, by, now)))
        throw new HTTPException(409, {
          message: `The digest of ${week} is being sent or waits for review: its time cannot move. Approving it sends it.`,
        });
      const iso = new Date(sendAt).toISOString();
      console.log(`digest ${week}: send set for ${iso} by ${by}`);
      return adminResult(
        c,
        200,
        { week, sendAt: iso, local: value, timeZone: zone, by },
        {
          heading: "Send scheduled",
          message: `${week} goes at ${value} ${zone} (${iso}), through the review gate. Cancel it on its send page before then.`,
        },
      );
    },
  });

  route(app, "/admin/digests/:week/cancel", {
    POST: async (c) => {
      const week = weekParam(c);
      const by = adminLoginName(c.req.header("Authorization"));
      if (!(await cancelSend(c.env.DB, week, by, new Date())))
        throw new HTTPException(409, {
          message: `The digest of ${week} has no send waiting for its time: nothing to cancel (one that has started cannot be called back).`,
        });
      console.log(`digest ${week}: scheduled send cancelled by ${by}`);
      return adminResult(
        c,
        200,
        { week, cancelled: true, by },
        { heading: "Send cancelled", message: `${week} will not go out at its time.` },
      );
    },
  });
}
