/** /admin/*: behind adminAuth. Subscriber counts, delivery status, rebuild, send, test, outbox. */
import type { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { readConfig } from "../config.ts";
import { deliveryCountsByDigest } from "../delivery/deliveries.ts";
import { buildDigestMessage } from "../delivery/digest-message.ts";
import { enqueueDigestSend } from "../delivery/producer.ts";
import { buildDigest, type DigestDeps } from "../digest/service.ts";
import { getDigest } from "../digest/store.ts";
import { parseWeek } from "../digest/week.ts";
import { adminAuth } from "../http/admin-auth.ts";
import { digestTransport, readMailConfig } from "../mail/config.ts";
import { getOutboxRaw, listOutbox } from "../mail/outbox.ts";
import { renderAdminPage, renderOutboxPage } from "../site/admin-pages.ts";
import { siteUrls } from "../site/urls.ts";
import { normalizeEmail } from "../subscriptions/address.ts";
import { countSubscribersByStatus, suppress } from "../subscriptions/store.ts";
import type { AppEnv } from "./context.ts";
import { route } from "./methods.ts";

const HTML = { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" };

function weekOr400(week: string): string {
  if (parseWeek(week) === null) throw new HTTPException(400, { message: `“${week}” is not an ISO week: expected YYYY-Www, e.g. 2024-W43.` });
  return week;
}

export function registerAdminRoutes(app: Hono<AppEnv>, deps: DigestDeps): void {
  app.use("/admin", adminAuth({ token: (env) => env.ADMIN_TOKEN }));
  app.use("/admin/*", adminAuth({ token: (env) => env.ADMIN_TOKEN }));

  route(app, "/admin", {
    GET: async (c) => {
      const [counts, deliveries] = await Promise.all([countSubscribersByStatus(c.env.DB), deliveryCountsByDigest(c.env.DB)]);
      if (c.req.header("Accept")?.includes("application/json")) return c.json({ subscribers: counts, digests: deliveries }, 200, { "Cache-Control": "no-store" });
      return c.body(await renderAdminPage(readConfig(c.env), counts, deliveries), 200, HTML);
    },
  });

  route(app, "/admin/outbox", { GET: async (c) => c.body(await renderOutboxPage(readConfig(c.env), await listOutbox(c.env.DB)), 200, HTML) });
  route(app, "/admin/outbox.json", { GET: async (c) => c.json(await listOutbox(c.env.DB), 200, { "Cache-Control": "no-store" }) });
  route(app, "/admin/outbox/:file", {
    GET: async (c) => {
      const m = /^(\d{1,12})\.eml$/.exec(c.req.param("file")!);
      const raw = m ? await getOutboxRaw(c.env.DB, Number(m[1])) : null;
      if (raw === null) throw new HTTPException(404, { message: "There is no such message in the outbox." });
      return c.body(raw, 200, { "Content-Type": "message/rfc822", "Content-Disposition": `inline; filename="${m![1]}.eml"`, "Cache-Control": "no-store" });
    },
  });

  // Bounces and complaints reported by the provider (its dashboard or, later, its webhook):
  // the address is never sent to again.
  route(app, "/admin/subscribers/suppress", {
    POST: async (c) => {
      const body = await c.req.parseBody();
      const address = normalizeEmail(typeof body.email === "string" ? body.email : null);
      if (!address.ok) throw new HTTPException(400, { message: `Field "email": ${address.reason}` });
      const reason = body.reason;
      if (reason !== "bounced" && reason !== "complained") throw new HTTPException(400, { message: `Field "reason" is "${String(reason ?? "")}": expected bounced or complained.` });
      const changed = await suppress(c.env.DB, address.email, reason, new Date());
      if (!changed) throw new HTTPException(404, { message: `${address.email} is not a subscriber.` });
      return c.json({ email: address.email, status: reason });
    },
  });

  route(app, "/admin/digests/:week/send", {
    POST: async (c) => {
      const week = weekOr400(c.req.param("week")!);
      if ((await getDigest(c.env.DB, week)) === null) throw new HTTPException(404, { message: `There is no digest for ${week}: build it first.` });
      const result = await enqueueDigestSend(c.env.DB, c.env.DIGEST_QUEUE, week);
      return c.json({ week, ...result }, 202);
    },
  });

  route(app, "/admin/digests/:week/rebuild", {
    POST: async (c) => {
      const week = weekOr400(c.req.param("week")!);
      const outcome = await buildDigest(c.env.DB, readConfig(c.env), deps, week, { rebuild: true });
      if (outcome === "empty") throw new HTTPException(404, { message: `${week} has no articles, so it has no digest.` });
      return c.json({ week, outcome });
    },
  });

  route(app, "/admin/digests/:week/test", {
    POST: async (c) => {
      const week = weekOr400(c.req.param("week")!);
      const body = await c.req.parseBody();
      const address = normalizeEmail(typeof body.email === "string" ? body.email : null);
      if (!address.ok) throw new HTTPException(400, { message: `Field "email": ${address.reason}` });
      const digest = await getDigest(c.env.DB, week);
      if (digest === null) throw new HTTPException(404, { message: `There is no digest for ${week}.` });
      const config = readConfig(c.env);
      const mail = readMailConfig(c.env);
      const now = new Date();
      // A test goes to any address, subscriber or not: its unsubscribe link is the info page.
      const message = buildDigestMessage(digest, { email: address.email, unsubscribeToken: "test" }, config, mail, now);
      const test = { ...message, subject: `[Test] ${message.subject}`, text: message.text.replaceAll(siteUrls(config).unsubscribe("test"), siteUrls(config).unsubscribeInfo()), html: message.html.replaceAll(siteUrls(config).unsubscribe("test"), siteUrls(config).unsubscribeInfo()) };
      const result = await digestTransport(c.env, mail).send([test], `test:${week}:${crypto.randomUUID()}`);
      if (!result.ok) throw new HTTPException(502, { message: `The test was not sent: ${result.message}` });
      return c.json({ week, to: address.email, sent: true });
    },
  });
}
