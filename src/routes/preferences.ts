/**
 * A reader's preferences behind their token: GET /preferences/{token} shows them (and is what
 * the unsubscribe link shows too), POST changes topics or the pause. No account, no cookie.
 */
import type { Context, Hono } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { bodyLimit, FORM_BODY_LIMIT } from "../http/body-limit.ts";
import { readForm } from "../http/form-body.ts";
import { HTML_CONTENT_TYPE } from "../lib/html.ts";
import { isTopic, type Topic } from "../model/topic.ts";
import { renderPreferencesPage } from "../site/preferences-page.ts";
import { renderMessagePage } from "../site/subscribe-pages.ts";
import { type TopicChoices, topicFields } from "../site/topic-choices.ts";
import type { ReaderPreferences } from "../subscriptions/preferences-store.ts";
import { preferencesOfToken, updatePreferences } from "../subscriptions/preferences.ts";
import { openContent, type RouteDeps } from "./context.ts";
import { route } from "./methods.ts";

const NO_STORE = { "Content-Type": HTML_CONTENT_TYPE, "Cache-Control": "no-store" };

/** Tags offered besides the reader's own: the most used ones. */
const OFFERED_TAGS = 30;

/** The stories and tags to offer, the reader's own always among them; `follow` ticked too. */
export async function topicChoices(
  c: Context<AppEnv>,
  deps: RouteDeps,
  selected: readonly Topic[],
): Promise<TopicChoices> {
  const view = await openContent(c, deps);
  const chosen = new Set(selected);
  const stories = view.meta.stories.filter((s) => s.count > 0 || chosen.has(`story:${s.id}`));
  for (const t of chosen)
    if (t.startsWith("story:") && !stories.some((s) => `story:${s.id}` === t))
      stories.push({ id: t.slice(6), title: t.slice(6), count: 0, newestModifiedMs: null });
  const tags = view.meta.tags.slice(0, OFFERED_TAGS).map((t) => t.tag);
  for (const t of chosen)
    if (t.startsWith("tag:") && !tags.includes(t.slice(4))) tags.push(t.slice(4));
  return { stories, tags, selected: chosen };
}

/** The page for a valid token; the message pages for an invalid one or a reader who left. */
export async function preferencesPage(
  c: Context<AppEnv>,
  deps: RouteDeps,
  token: string,
  prefs: ReaderPreferences | null,
  notice: string | null,
  status: 200 | 400 = 200,
): Promise<Response> {
  const config = c.var.config;
  if (prefs === null)
    return c.body(
      await renderMessagePage(config, "This link is not valid", [
        "It may have been copied incompletely. Use the “Choose your topics” link at the bottom of any digest email.",
      ]),
      404,
      NO_STORE,
    );
  if (prefs.status !== "active" && prefs.status !== "pending")
    return c.body(
      await renderMessagePage(config, "You are not subscribed", [
        `${prefs.email} does not receive the digest. To come back, sign up again.`,
      ]),
      200,
      NO_STORE,
    );
  // "Follow this story": a link to here with ?follow=<story id> ticks its box (saving is a POST).
  const follow = c.req.query("follow");
  const followed =
    follow !== undefined && isTopic(`story:${follow}`) ? [`story:${follow}` as Topic] : [];
  const choices = await topicChoices(c, deps, [...prefs.topics, ...followed]);
  const page = await renderPreferencesPage(config, token, {
    email: prefs.email,
    topics: prefs.topics,
    pausedUntil: prefs.pausedUntil,
    choices,
    notice,
    now: new Date(),
  });
  return c.body(page, status, NO_STORE);
}

export function registerPreferenceRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  app.use("/preferences/*", bodyLimit(FORM_BODY_LIMIT));
  route(app, "/preferences/:token", {
    GET: async (c) => {
      const secret = c.var.config.mail.tokenSecret;
      const token = c.req.param("token")!;
      const prefs = secret === null ? null : await preferencesOfToken(c.env.DB, secret, token);
      return preferencesPage(c, deps, token, prefs, null);
    },
    POST: async (c) => {
      const secret = c.var.config.mail.tokenSecret;
      const token = c.req.param("token")!;
      const prefs = secret === null ? null : await preferencesOfToken(c.env.DB, secret, token);
      if (prefs === null || (prefs.status !== "active" && prefs.status !== "pending"))
        return preferencesPage(c, deps, token, prefs, null);
      const body = await readForm(c);
      const now = new Date();
      const result = await updatePreferences(
        c.env.DB,
        prefs.id,
        body.action === "pause"
          ? { kind: "pause", weeks: typeof body.weeks === "string" ? body.weeks : "" }
          : { kind: "topics", values: topicFields(body) },
        now,
      );
      const after = await preferencesOfToken(c.env.DB, secret!, token);
      return result.ok
        ? preferencesPage(c, deps, token, after, result.notice)
        : preferencesPage(c, deps, token, after, result.problem, 400);
    },
  });
}
