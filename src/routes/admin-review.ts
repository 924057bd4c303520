/**
 * /admin/digests/{week}/review and …/approve: the review gate's pages (src/digest/review.ts).
 * Approving is for the version the reviewer saw: the form carries its content hash, and an
 * approval of a version that has since been rebuilt is refused (409), never moved to the new one.
 */
import type { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { sendThroughReviewGate } from "../delivery/gated-send.ts";
import { fillRecipientSlots } from "../digest/email/slots.ts";
import { recordApproval } from "../digest/review-store.ts";
import { getSchedule, markSentByHand } from "../digest/schedule-store.ts";
import { readReviewState } from "../digest/service.ts";
import { digestTitle } from "../digest/titles.ts";
import { adminLoginName } from "../http/admin-auth.ts";
import type { AppEnv } from "../http/app-env.ts";
import { badField, notFound } from "../http/errors.ts";
import { readForm } from "../http/form-body.ts";
import { requireStrongSecret } from "../http/secrets.ts";
import { HTML_CONTENT_TYPE } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";
import { renderReviewPage } from "../site/admin-review-pages.ts";
import { countReceivingUnsent } from "../delivery/deliveries.ts";
import { weekTopicsJson } from "../delivery/variants.ts";
import { weekParam } from "./admin-params.ts";
import { adminResult } from "./admin-results.ts";
import { route } from "./methods.ts";

const HTML = { "Content-Type": HTML_CONTENT_TYPE, "Cache-Control": "no-store" };

export function registerAdminReviewRoutes(app: Hono<AppEnv>): void {
  route(app, "/admin/digests/:week/review", {
    GET: async (c) => {
      const week = weekParam(c);
      const config = c.var.config;
      const gated = await readReviewState(c.env.DB, config.digestSend, week);
      if (gated === null) throw notFound(`There is no digest for ${week}: build it first.`);
      const view = {
        week,
        title: digestTitle(gated.digest.summary),
        mode: config.digestSend,
        gated,
        recipients: await countReceivingUnsent(
          c.env.DB,
          week,
          new Date(),
          await weekTopicsJson(c.env.DB, gated.digest),
        ),
        emailText: fillRecipientSlots(gated.digest.text, "text", {
          unsubscribeUrl: siteUrls(config).unsubscribeInfo(),
          baseUrl: config.baseUrl,
        }),
      };
      return c.body(await renderReviewPage(config, view), 200, HTML);
    },
  });

  route(app, "/admin/digests/:week/approve", {
    POST: async (c) => {
      const week = weekParam(c);
      const body = await readForm(c);
      const hash = typeof body.hash === "string" ? body.hash : "";
      if (!/^[0-9a-f]{64}$/.test(hash))
        throw badField(
          "hash",
          "expected the 64 hex digits of the version reviewed (the review page's form sends it).",
        );
      const config = c.var.config;
      // As for any send: no digest goes out on a guessable unsubscribe key.
      requireStrongSecret(
        "TOKEN_SECRET",
        config.mail.tokenSecret,
        "Sending is off until the operator sets a strong TOKEN_SECRET secret (the log says what is expected).",
      );
      const now = new Date();
      const by = adminLoginName(c.req.header("Authorization"));
      if (!(await recordApproval(c.env.DB, week, hash, by, now))) {
        const current = await readReviewState(c.env.DB, config.digestSend, week);
        if (current === null) throw notFound(`There is no digest for ${week}: build it first.`);
        throw new HTTPException(409, {
          message: `The digest of ${week} changed since that page was loaded (it was rebuilt): nothing was approved or sent. Review the current version: ${siteUrls(config).adminDigestAction(week, "review")}`,
        });
      }
      console.log(`digest ${week}: version ${hash.slice(0, 12)} approved by ${by}`);
      // Approved before its scheduled time: it goes at that time (the cron sends it), not now.
      const plan = await getSchedule(c.env.DB, week);
      if (plan !== null && plan.state === "scheduled" && plan.sendAt > now.getTime()) {
        const at = new Date(plan.sendAt).toISOString();
        return adminResult(
          c,
          202,
          { week, approved: hash, by, sendAt: at },
          {
            heading: "Approved",
            message: `${week} (version ${hash.slice(0, 12)}) was approved by ${by}; it goes at its scheduled time, ${at}.`,
          },
        );
      }
      const sent = await sendThroughReviewGate(c.env.DB, c.env.DIGEST_QUEUE, config, week, now);
      // Rebuilt between the approval and the gate's check: the new version waits again.
      if (sent.kind !== "enqueued")
        throw new HTTPException(409, {
          message: `The digest of ${week} changed right after the approval (it was rebuilt): nothing was sent. Review the current version: ${siteUrls(config).adminDigestAction(week, "review")}`,
        });
      await markSentByHand(c.env.DB, week, now);
      return adminResult(
        c,
        202,
        { week, approved: hash, by, ...sent.result },
        {
          heading: "Approved and sending",
          message: `${week} (version ${hash.slice(0, 12)}) was approved by ${by} and is on its way to ${sent.result.recipients} subscribers (${sent.result.messages} queue messages).`,
        },
      );
    },
  });
}
