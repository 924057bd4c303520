/**
 * Subscribing (double opt-in) and unsubscribing (RFC 8058 one-click). Every page works without
 * JavaScript; every GET only shows a page.
 */
import type { Context, Hono } from "hono";
import { SUBSCRIBE_WINDOW_SECONDS } from "../config.ts";
import type { AppEnv } from "../http/app-env.ts";
import { HTML_CONTENT_TYPE } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";
import { confirmationTransport } from "../mail/transports.ts";
import {
  renderConfirmButtonPage,
  renderMessagePage,
  renderSubscribePage,
} from "../site/subscribe-pages.ts";
import { confirmSubscription, requestSubscription, unsubscribe } from "../subscriptions/service.ts";
import { hitRateLimit } from "../subscriptions/store.ts";
import { verifyUnsubscribeToken } from "../subscriptions/tokens.ts";
import { route } from "./methods.ts";

const NO_STORE = { "Content-Type": HTML_CONTENT_TYPE, "Cache-Control": "no-store" };

function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("CF-Connecting-IP") ?? null;
}

async function page(
  c: Context<AppEnv>,
  status: 200 | 400 | 404 | 410 | 429 | 503,
  body: Promise<string>,
  headers: Record<string, string> = {},
) {
  return c.body(await body, status, { ...NO_STORE, ...headers });
}

/** Sign-ups need the unsubscribe-link key: without it, fail closed and say so in the log. */
function signUpsOpen(c: Context<AppEnv>): boolean {
  if (c.var.config.mail.tokenSecret !== null) return true;
  console.error(
    "subscriptions are off: the TOKEN_SECRET secret is not set (see .dev.vars.example)",
  );
  return false;
}

export function registerSubscriptionRoutes(app: Hono<AppEnv>): void {
  route(app, "/subscribe", {
    GET: (c) => page(c, 200, renderSubscribePage(c.var.config, null, "")),
    POST: async (c) => {
      const config = c.var.config;
      if (!signUpsOpen(c))
        return page(
          c,
          503,
          renderMessagePage(config, "Sign-ups are closed for now", ["Please try again later."]),
        );
      const mail = config.mail;
      const now = new Date();
      const ip = clientIp(c);
      if (
        !(await hitRateLimit(
          c.env.DB,
          `subscribe:${ip ?? "unknown"}`,
          mail.subscribeRateLimit,
          SUBSCRIBE_WINDOW_SECONDS,
          now,
        ))
      ) {
        return page(
          c,
          429,
          renderMessagePage(config, "Too many attempts", [
            `Please wait ${SUBSCRIBE_WINDOW_SECONDS / 60} minutes and try again.`,
          ]),
          { "Retry-After": String(SUBSCRIBE_WINDOW_SECONDS) },
        );
      }
      const body = await c.req.parseBody();
      const email = typeof body.email === "string" ? body.email : null;
      const form =
        typeof body.form === "string" && /^[a-z0-9-]{1,40}$/.test(body.form)
          ? body.form
          : "unknown";
      const result = await requestSubscription(
        c.env.DB,
        { email, ip, form },
        { config, mail, transport: confirmationTransport(c.env, mail), now },
      );
      if (!result.ok) return page(c, 400, renderSubscribePage(config, result.reason, email ?? ""));
      return page(
        c,
        200,
        renderMessagePage(config, "Check your inbox", [
          "If that address can receive the digest, we have sent it a link to confirm. The digest starts once you confirm.",
          `The link works for ${mail.confirmTtlHours} hours. Nothing arrived? Check your spam folder, or sign up again.`,
        ]),
      );
    },
  });

  route(app, "/confirm/:token", {
    GET: (c) =>
      page(
        c,
        200,
        renderConfirmButtonPage(
          c.var.config,
          siteUrls(c.var.config).confirm(c.req.param("token")!),
          "Confirm your subscription",
          "One more step: confirm that you want the weekly digest.",
          "Confirm my subscription",
        ),
      ),
    POST: async (c) => {
      const config = c.var.config;
      const result = await confirmSubscription(
        c.env.DB,
        c.req.param("token")!,
        clientIp(c),
        new Date(),
      );
      if (result.ok)
        return page(
          c,
          200,
          renderMessagePage(config, "You are subscribed", [
            `The weekly digest will come to ${result.email}. Every email has a link to unsubscribe.`,
          ]),
        );
      if (result.reason === "expired")
        return page(
          c,
          410,
          renderMessagePage(config, "This link has expired", [
            "Confirmation links work for a limited time. Please sign up again to get a new one.",
          ]),
        );
      return page(
        c,
        404,
        renderMessagePage(config, "This link is not valid", [
          "It may have been used already, or copied incompletely. If you are not subscribed yet, please sign up again.",
        ]),
      );
    },
  });

  route(app, "/unsubscribe/:token", {
    GET: async (c) => {
      const config = c.var.config;
      const secret = config.mail.tokenSecret;
      const token = c.req.param("token")!;
      if (secret === null || (await verifyUnsubscribeToken(secret, token)) === null) {
        return page(
          c,
          404,
          renderMessagePage(config, "This unsubscribe link is not valid", [
            "It may have been copied incompletely. Use the link at the bottom of any digest email.",
          ]),
        );
      }
      return page(
        c,
        200,
        renderConfirmButtonPage(
          config,
          siteUrls(config).unsubscribe(token),
          "Unsubscribe",
          "Stop receiving the weekly digest?",
          "Unsubscribe",
        ),
      );
    },
    // RFC 8058: a POST with body "List-Unsubscribe=One-Click" unsubscribes at once, no login.
    // The page's button posts here too.
    POST: async (c) => {
      const config = c.var.config;
      const secret = config.mail.tokenSecret;
      const email =
        secret === null
          ? null
          : await unsubscribe(c.env.DB, secret, c.req.param("token")!, new Date());
      if (email === null)
        return page(
          c,
          404,
          renderMessagePage(config, "This unsubscribe link is not valid", [
            "Use the link at the bottom of any digest email.",
          ]),
        );
      return page(
        c,
        200,
        renderMessagePage(config, "You are unsubscribed", [
          `${email} will not receive the digest any more. To come back, sign up again.`,
        ]),
      );
    },
  });
}
