/**
 * Subscribing (double opt-in) and unsubscribing (RFC 8058 one-click). Every page works without
 * JavaScript; every GET only shows a page (the confirmation page's script posts its form).
 */
import type { Context, Hono } from "hono";
import { SUBSCRIBE_WINDOW_SECONDS } from "../config.ts";
import type { AppEnv } from "../http/app-env.ts";
import { clientNetwork } from "../http/client-network.ts";
import { readForm } from "../http/form-body.ts";
import { requireStrongSecret } from "../http/secrets.ts";
import { HTML_CONTENT_TYPE } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";
import { latestDigestLink } from "../digest/latest-link.ts";
import { confirmationTransport } from "../mail/transports.ts";
import {
  renderCheckInboxPage,
  renderConfirmPage,
  renderMessagePage,
  renderSubscribePage,
  renderTooManySignUpsPage,
} from "../site/subscribe-pages.ts";
import { normalizeEmail } from "../subscriptions/address.ts";
import {
  confirmSubscription,
  isConfirmToken,
  processSignUp,
  sendWelcome,
  unsubscribe,
  unsubscribeTokenHolder,
  withinNetworkLimit,
} from "../subscriptions/service.ts";
import { isTopic, parseTopics, type Topic, topicsKey } from "../model/topic.ts";
import { topicFields } from "../site/topic-choices.ts";
import { readPreferences } from "../subscriptions/preferences-store.ts";
import type { RouteDeps } from "./context.ts";
import { route } from "./methods.ts";
import { preferencesPage, topicChoices } from "./preferences.ts";

/** Why a UTF-8 local part is refused where the confirmation transport cannot carry it. */
const UTF8_REFUSED =
  "Email address: this site’s mail service cannot deliver to accented or other non-ASCII letters before “@” (SMTPUTF8). Expected only a–z, digits and . _ - + before “@”, or another address.";

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

/**
 * Runs `task` after the response has gone (waitUntil,
 * https://developers.cloudflare.com/workers/runtime-apis/context/#waituntil), so neither its
 * work nor its time is part of the answer. It starts on a later turn of the event loop, not in
 * a microtask, so not even its first statement is issued before the handler has answered.
 * workerd always passes an ExecutionContext; only an in-process `app.request` without one runs
 * the task before answering. Failures are logged.
 */
async function afterAnswering(c: Context<AppEnv>, task: () => Promise<unknown>): Promise<void> {
  const run = () =>
    task().catch((err: unknown) =>
      console.error(`${c.req.method} ${c.req.path}, after answering: ${String(err)}`),
    );
  let ctx: { waitUntil(promise: Promise<unknown>): void } | null;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = null; // Hono throws when the request came without one.
  }
  if (ctx) ctx.waitUntil(scheduler.wait(0).then(run));
  else await run();
}

function invalidConfirmLink(c: Context<AppEnv>) {
  return page(
    c,
    404,
    renderMessagePage(c.var.config, "This link is not valid", [
      "It may have been used already, or copied incompletely. If you are not subscribed yet, please sign up again.",
    ]),
  );
}

export function registerSubscriptionRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  route(app, "/subscribe", {
    // ?story=<id>: "follow this story by email" from a story page, its box ticked.
    GET: async (c) => {
      const story = c.req.query("story");
      const selected: Topic[] =
        story !== undefined && isTopic(`story:${story}`) ? [`story:${story}` as Topic] : [];
      const choices = await topicChoices(c, deps, selected);
      return page(c, 200, renderSubscribePage(c.var.config, null, "", choices));
    },
    // Before answering, only what is the same for every address: the secret, the network's
    // budget, the form. Whatever depends on the address's state runs after (processSignUp).
    POST: async (c) => {
      const config = c.var.config;
      const mail = config.mail;
      // Unsubscribe links are signed with TOKEN_SECRET: no sign-ups on a weak or missing one.
      requireStrongSecret(
        "TOKEN_SECRET",
        mail.tokenSecret,
        "Sign-ups are closed for now. Please try again later.",
      );
      const now = new Date();
      const ip = clientIp(c);
      const body = await readForm(c);
      const email = typeof body.email === "string" ? body.email : null;
      const form =
        typeof body.form === "string" && /^[a-z0-9-]{1,40}$/.test(body.form)
          ? body.form
          : "unknown";
      const address = normalizeEmail(email);
      const transport = confirmationTransport(c.env, mail);
      const topics = parseTopics(topicFields(body));
      // Read only for a form shown back: an accepted sign-up issues one D1 statement before
      // answering, whatever the address (see processSignUp), and the content is not part of it.
      const choices = () => topicChoices(c, deps, topics.ok ? topics.topics : []);
      if (!topics.ok)
        return page(
          c,
          400,
          renderSubscribePage(config, topics.problem, email ?? "", await choices()),
        );
      // A mistyped address is answered before the network's budget is counted: a typo costs
      // nothing. Only what is the same for every state of an address is checked here.
      // The form shows the address back cut to 254 characters and cleaned (subscribeForm).
      if (!address.ok)
        return page(
          c,
          400,
          renderSubscribePage(config, address.reason, email ?? "", await choices()),
        );
      if (address.utf8LocalPart && !transport.smtpUtf8)
        return page(
          c,
          400,
          renderSubscribePage(config, UTF8_REFUSED, email ?? "", await choices()),
        );
      const network = clientNetwork(c.req.raw.headers);
      if (!(await withinNetworkLimit(c.env.DB, network, mail.subscribeRateLimit, now))) {
        return page(c, 429, renderTooManySignUpsPage(config, SUBSCRIBE_WINDOW_SECONDS), {
          "Retry-After": String(SUBSCRIBE_WINDOW_SECONDS),
        });
      }
      const answer = await page(c, 200, renderCheckInboxPage(config, mail.confirmTtlHours));
      await afterAnswering(c, () =>
        processSignUp(
          c.env.DB,
          { email: address.email, ip, form, topics: topicsKey(topics.topics) },
          { config, mail, transport, now },
        ),
      );
      return answer;
    },
  });

  route(app, "/confirm/:token", {
    GET: (c) => {
      const token = c.req.param("token")!;
      // Only a token of the right shape is shown back (in the button's action).
      if (!isConfirmToken(token)) return invalidConfirmLink(c);
      return page(c, 200, renderConfirmPage(c.var.config, siteUrls(c.var.config).confirm(token)));
    },
    POST: async (c) => {
      const config = c.var.config;
      const now = new Date();
      const result = await confirmSubscription(c.env.DB, c.req.param("token")!, clientIp(c), now);
      if (result.ok) {
        const digest = await latestDigestLink(c.env.DB, config);
        const answer = await page(
          c,
          200,
          renderMessagePage(
            config,
            "You are subscribed",
            [
              `The weekly digest will come to ${result.email} every Monday. We have sent a welcome email; every email has a link to unsubscribe.`,
            ],
            "",
            digest.latest ? digest.url : null,
          ),
        );
        const deps = {
          config,
          mail: config.mail,
          transport: confirmationTransport(c.env, config.mail),
          now,
        };
        await afterAnswering(c, () =>
          sendWelcome({ id: result.subscriberId, email: result.email }, digest, deps),
        );
        return answer;
      }
      if (result.reason === "expired")
        return page(
          c,
          410,
          renderMessagePage(config, "This link has expired", [
            "Confirmation links work for a limited time. Please sign up again to get a new one.",
          ]),
        );
      return invalidConfirmLink(c);
    },
  });

  route(app, "/unsubscribe/:token", {
    // The digest's "Choose your topics or unsubscribe" link: the reader's preferences page, whose
    // unsubscribe button posts back here. Showing it changes nothing (scanners fetch links).
    GET: async (c) => {
      const config = c.var.config;
      const secret = config.mail.tokenSecret;
      const token = c.req.param("token")!;
      const id = secret === null ? null : await unsubscribeTokenHolder(c.env.DB, secret, token);
      if (id === null) {
        return page(
          c,
          404,
          renderMessagePage(config, "This unsubscribe link is not valid", [
            "It may have been copied incompletely. Use the link at the bottom of any digest email.",
          ]),
        );
      }
      return preferencesPage(c, deps, token, await readPreferences(c.env.DB, id), null);
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
