/**
 * POST /webhooks/email: the HTTP provider's bounce and complaint events (Resend sends them
 * Svix-signed), so suppressions no longer need entering by hand. Only a correctly signed, recent
 * message changes anything; each svix-id is handled once (the provider retries until a 2xx).
 */
import type { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../http/app-env.ts";
import { bodyLimit } from "../http/body-limit.ts";
import { suppress } from "../subscriptions/store.ts";
import { parseWebhookEvent } from "../subscriptions/webhook-events.ts";
import { verifyWebhook, webhookKeyBytes } from "../subscriptions/webhook-signature.ts";
import { claimWebhookEvent, isWebhookEventHandled } from "../subscriptions/webhook-store.ts";
import { route } from "./methods.ts";

/** Resend's events are a few hundred bytes; 64 KB leaves room for any header list they carry. */
const WEBHOOK_BODY_LIMIT = { maxBytes: 65_536, maxFields: 16 };

/** The signing secret (`whsec_…`); not part of every deployment's Env type. */
type WebhookEnv = Env & { EMAIL_WEBHOOK_SECRET?: string };

function refuse(status: 400 | 401, message: string): HTTPException {
  const res = new Response(JSON.stringify({ error: message }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
  return new HTTPException(status, { res });
}

export function registerWebhookRoutes(app: Hono<AppEnv>): void {
  app.use("/webhooks/*", bodyLimit(WEBHOOK_BODY_LIMIT));
  route(app, "/webhooks/email", {
    POST: async (c) => {
      const secret = (c.env as WebhookEnv).EMAIL_WEBHOOK_SECRET;
      const key = secret ? webhookKeyBytes(secret) : null;
      if (key === null) {
        console.error(
          "refused (503): EMAIL_WEBHOOK_SECRET is not set or not a whsec_<base64> signing secret: expected the provider's webhook signing secret (wrangler secret put EMAIL_WEBHOOK_SECRET)",
        );
        throw new HTTPException(503, { message: "The email webhook is not configured." });
      }
      const body = await c.req.text();
      const now = new Date();
      const verdict = await verifyWebhook(
        key,
        {
          id: c.req.header("svix-id") ?? null,
          timestamp: c.req.header("svix-timestamp") ?? null,
          signatures: c.req.header("svix-signature") ?? null,
          body,
        },
        now,
      );
      if (!verdict.ok) throw refuse(401, `Signature refused: ${verdict.reason}.`);
      if (await isWebhookEventHandled(c.env.DB, verdict.id))
        return c.json({ id: verdict.id, outcome: "already handled" });
      const event = parseWebhookEvent(body);
      if (event.kind === "malformed") throw refuse(400, `Event refused: ${event.problem}.`);
      let suppressed = 0;
      if (event.kind === "suppress") {
        for (const email of event.emails)
          if (await suppress(c.env.DB, email, event.reason, now, event.week)) suppressed++;
      }
      // Recorded last: a failure above leaves the id free, so the provider's retry is handled.
      await claimWebhookEvent(c.env.DB, verdict.id, now);
      return c.json({
        id: verdict.id,
        outcome: event.kind === "suppress" ? event.reason : "ignored",
        suppressed,
      });
    },
  });
}
