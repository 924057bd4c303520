/**
 * /admin/*: behind adminAuth. Subscriber counts, delivery status, rebuild, send (after a
 * confirmation page), test, outbox; the subscriber list is in admin-subscribers.ts. Actions
 * answer JSON to scripts and an HTML page to a browser (admin-results.ts).
 */
import type { Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { announceDigestChange } from "../delivery/digest-announce.ts";
import { countReceivingUnsent, deliveryCountsByDigest } from "../delivery/deliveries.ts";
import { weekTopicsJson } from "../delivery/variants.ts";
import { deliveryReport } from "../delivery/report.ts";
import { REPORT_CSV_HEADER, csvLine, reportCsvLine } from "../site/admin-csv.ts";
import { sendThroughReviewGate } from "../delivery/gated-send.ts";
import { sendTestDigest } from "../delivery/test-send.ts";
import { holdReason } from "../digest/review.ts";
import { listHeldDigests } from "../digest/review-store.ts";
import { getSchedule, listPendingSchedules, markSentByHand } from "../digest/schedule-store.ts";
import { type DigestDeps, readReviewState, rebuildDigest } from "../digest/service.ts";
import { digestTitle } from "../digest/titles.ts";
import { adminAuth } from "../http/admin-auth.ts";
import { sameOriginWrites } from "../http/same-origin.ts";
import { requireStrongSecret } from "../http/secrets.ts";
import { rememberedTestAddress, rememberTestAddress } from "./test-address-cookie.ts";
import type { AppEnv } from "../http/app-env.ts";
import { echo } from "../http/echo.ts";
import { badField, badRequest, notFound } from "../http/errors.ts";
import { readForm } from "../http/form-body.ts";
import { siteUrls } from "../lib/urls.ts";
import { HTML_CONTENT_TYPE } from "../lib/html.ts";
import { weekRange } from "../lib/time.ts";
import { getOutboxRaw, listOutbox } from "../mail/outbox.ts";
import { digestTransport } from "../mail/transports.ts";
import { renderSendConfirmPage } from "../site/admin-action-pages.ts";
import { renderAdminPage, renderOutboxPage } from "../site/admin-pages.ts";
import { waitingWeeks } from "../site/admin-review-pages.ts";
import { normalizeEmail } from "../subscriptions/address.ts";
import { isTombstoned } from "../subscriptions/admin-store.ts";
import { countSubscribersByStatus, suppress } from "../subscriptions/store.ts";
import { registerAdminImportRoutes } from "./admin-import.ts";
import { registerAdminSubscriberRoutes } from "./admin-subscribers.ts";
import { weekParam } from "./admin-params.ts";
import { adminResult } from "./admin-results.ts";
import { registerAdminReviewRoutes } from "./admin-review.ts";
import { registerAdminScheduleRoutes } from "./admin-schedule.ts";
import { route } from "./methods.ts";

const HTML = { "Content-Type": HTML_CONTENT_TYPE, "Cache-Control": "no-store" };
const NO_STORE = { "Cache-Control": "no-store" };
/** A week that ended longer ago than this is old news: its send page warns. */
const OLD_WEEK_MS = 31 * 86_400_000;

/** The form's `email` field, normalized; 400 naming the field when it is not an address. */
async function emailField(
  c: Context<AppEnv>,
): Promise<{ email: string; body: Record<string, unknown> }> {
  const body = await readForm(c);
  const address = normalizeEmail(typeof body.email === "string" ? body.email : null);
  if (!address.ok) throw badField("email", address.reason);
  return { email: address.email, body };
}

export function registerAdminRoutes(app: Hono<AppEnv>, deps: DigestDeps): void {
  // Cross-site forms first: a forged request is refused before its credentials are tried.
  const sameOrigin = sameOriginWrites({
    trustedOrigins: (c) => [new URL((c as Context<AppEnv>).var.config.baseUrl).origin],
  });
  const auth = adminAuth({ token: (env) => env.ADMIN_TOKEN });
  for (const path of ["/admin", "/admin/*"]) app.use(path, sameOrigin, auth);
  registerAdminSubscriberRoutes(app);
  registerAdminImportRoutes(app);
  registerAdminReviewRoutes(app);
  registerAdminScheduleRoutes(app);

  route(app, "/admin", {
    GET: async (c) => {
      const [counts, deliveries, held, report, plans] = await Promise.all([
        countSubscribersByStatus(c.env.DB),
        deliveryCountsByDigest(c.env.DB),
        listHeldDigests(c.env.DB),
        deliveryReport(c.env.DB, 12),
        listPendingSchedules(c.env.DB),
      ]);
      // Every week the gate held and nobody has sent: nothing waits unseen.
      const waiting = waitingWeeks(c.var.config.digestSend, held);
      const scheduled = plans.map((p) => ({
        week: p.week,
        sendAt: new Date(p.sendAt).toISOString(),
        state: p.state,
        origin: p.origin,
      }));
      if (c.req.header("Accept")?.includes("application/json"))
        return c.json(
          { subscribers: counts, digests: deliveries, waiting, report, scheduled },
          200,
          NO_STORE,
        );
      return c.body(
        await renderAdminPage(
          c.var.config,
          counts,
          deliveries,
          waiting,
          report,
          rememberedTestAddress(c),
          plans,
        ),
        200,
        HTML,
      );
    },
  });

  route(app, "/admin/delivery-report.csv", {
    GET: async (c) => {
      let csv = csvLine(REPORT_CSV_HEADER);
      for (const row of await deliveryReport(c.env.DB)) csv += reportCsvLine(row);
      return c.body(csv, 200, {
        // RFC 4180 §3: text/csv, with the header line present.
        "Content-Type": "text/csv; charset=utf-8; header=present",
        "Content-Disposition": 'attachment; filename="delivery-report.csv"',
        "Cache-Control": "no-store",
      });
    },
  });

  route(app, "/admin/outbox", {
    GET: async (c) =>
      c.body(await renderOutboxPage(c.var.config, await listOutbox(c.env.DB)), 200, HTML),
  });
  route(app, "/admin/outbox.json", {
    GET: async (c) => c.json(await listOutbox(c.env.DB), 200, NO_STORE),
  });
  route(app, "/admin/outbox/:file", {
    GET: async (c) => {
      const m = /^(\d{1,12})\.eml$/.exec(c.req.param("file")!);
      const raw = m ? await getOutboxRaw(c.env.DB, Number(m[1])) : null;
      if (raw === null) throw notFound("There is no such message in the outbox.");
      return c.body(raw, 200, {
        "Content-Type": "message/rfc822",
        "Content-Disposition": `inline; filename="${m![1]}.eml"`,
        ...NO_STORE,
      });
    },
  });

  // Bounces and complaints reported by the provider (its dashboard or, later, its webhook):
  // the address is never sent to again.
  route(app, "/admin/subscribers/suppress", {
    POST: async (c) => {
      const { email, body } = await emailField(c);
      const reason = body.reason;
      if (reason !== "bounced" && reason !== "complained") {
        throw badRequest(
          `Field "reason" is "${echo(String(reason ?? ""))}": expected bounced or complained.`,
        );
      }
      if (!(await suppress(c.env.DB, email, reason, new Date())))
        throw notFound(`${email} is not a subscriber.`);
      return adminResult(
        c,
        200,
        { email, status: reason },
        {
          heading: "Address suppressed",
          message: `${email} is now ${reason}: it is never sent to again.`,
        },
      );
    },
  });

  route(app, "/admin/digests/:week/send", {
    // A page first: what goes out, to how many, and a warning for old weeks; its button POSTs.
    GET: async (c) => {
      const week = weekParam(c);
      const gated = await readReviewState(c.env.DB, c.var.config.digestSend, week);
      if (gated === null) throw notFound(`There is no digest for ${week}: build it first.`);
      const { digest, decision } = gated;
      const ended = weekRange(week, digest.timeZone).end.getTime();
      const plan = await getSchedule(c.env.DB, week);
      const preview = {
        week,
        title: digestTitle(digest.summary),
        // Whom the send would reach: paused readers and those with nothing this week left out.
        plan,
        sendAt: c.var.config.digestSendAt,
        recipients: await countReceivingUnsent(
          c.env.DB,
          week,
          new Date(),
          await weekTopicsJson(c.env.DB, digest),
        ),
        old: Date.now() - ended > OLD_WEEK_MS,
        // A version the gate holds is approved on its review page, not sent from here.
        heldBecause: decision.open ? null : holdReason(decision),
      };
      return c.body(await renderSendConfirmPage(c.var.config, preview), 200, HTML);
    },
    POST: async (c) => {
      const week = weekParam(c);
      // Every digest carries an unsubscribe link signed with TOKEN_SECRET: none goes out on a
      // guessable key (anyone could forge every subscriber's link).
      requireStrongSecret(
        "TOKEN_SECRET",
        c.var.config.mail.tokenSecret,
        "Sending is off until the operator sets a strong TOKEN_SECRET secret (the log says what is expected).",
      );
      // Send is not approval: a version the gate holds is approved, explicitly and for its exact
      // content, on its review page (whose button then sends it).
      const config = c.var.config;
      const sent = await sendThroughReviewGate(
        c.env.DB,
        c.env.DIGEST_QUEUE,
        config,
        week,
        new Date(),
      );
      if (sent.kind === "no-digest")
        throw notFound(`There is no digest for ${week}: build it first.`);
      if (sent.kind === "held")
        throw new HTTPException(409, {
          message: `The digest of ${week} waits for review (${sent.reason}): nothing was sent. Approve it on its review page: ${siteUrls(config).adminDigestAction(week, "review")}`,
        });
      const result = sent.result;
      // Sent by hand: a plan for the week that has not started is over.
      await markSentByHand(c.env.DB, week, new Date());
      return adminResult(
        c,
        202,
        { week, ...result },
        {
          heading: "Sending",
          message: `${week} is on its way to ${result.recipients} subscribers (${result.messages} queue messages).`,
        },
      );
    },
  });

  route(app, "/admin/digests/:week/rebuild", {
    POST: async (c) => {
      const week = weekParam(c);
      const outcome = await rebuildDigest(c.env.DB, c.var.config, deps, week);
      if (outcome === "empty") throw notFound(`${week} has no articles, so it has no digest.`);
      announceDigestChange(c.var.config, outcome, (work) => c.executionCtx.waitUntil(work));
      return adminResult(
        c,
        200,
        { week, outcome },
        { heading: "Digest rebuilt", message: `${week}: ${outcome}.` },
      );
    },
  });

  route(app, "/admin/digests/:week/test", {
    POST: async (c) => {
      const week = weekParam(c);
      const { email } = await emailField(c);
      // A deleted address asked to be forgotten: not even a test goes to it.
      if (await isTombstoned(c.env.DB, email))
        throw badField("email", `${email} was deleted from the list and is never mailed again.`);
      const config = c.var.config;
      const transport = digestTransport(c.env, config.mail);
      const sent = await sendTestDigest(c.env.DB, week, email, {
        config,
        mail: config.mail,
        transport,
        now: new Date(),
      });
      if (sent.kind === "no-digest") throw notFound(`There is no digest for ${week}.`);
      if (sent.kind === "failed")
        throw new HTTPException(502, { message: `The test was not sent: ${sent.message}` });
      rememberTestAddress(c, email, config.baseUrl);
      return adminResult(
        c,
        200,
        { week, to: email, sent: true },
        { heading: "Test sent", message: `The digest of ${week} was sent to ${email}.` },
      );
    },
  });
}
