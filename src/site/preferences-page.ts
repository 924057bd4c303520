/**
 * The reader's preferences page (GET /preferences/{token}, and the unsubscribe link's page):
 * topics, a pause of a few weeks, and unsubscribing. No account: the token in the link is the
 * reader's key, as for one-click unsubscribe. Three forms, each a POST; nothing changes on GET.
 */
import { html } from "hono/html";
import type { SiteConfig } from "../config.ts";
import type { Html } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";
import type { Topic } from "../model/topic.ts";
import { renderMessagePage, NO_TRACKING_TEXT } from "./subscribe-pages.ts";
import { type TopicChoices, topicFieldset } from "./topic-choices.ts";

/** The pauses offered, in weeks. */
export const PAUSE_WEEKS = [1, 2, 4, 8, 12] as const;

export interface PreferencesView {
  readonly email: string;
  readonly topics: readonly Topic[];
  readonly pausedUntil: string | null;
  readonly choices: TopicChoices;
  /** What the last POST did, shown first ("Saved: …"), or null. */
  readonly notice: string | null;
  readonly now: Date;
}

function day(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

function currently(view: PreferencesView): string {
  const what =
    view.topics.length === 0
      ? "You get everything: the whole weekly digest."
      : `You get only ${view.topics.length === 1 ? "one topic" : `${view.topics.length} topics`}: ${view.topics.join(", ")}.`;
  const paused =
    view.pausedUntil !== null && view.pausedUntil > view.now.toISOString()
      ? ` The digest is paused until ${day(view.pausedUntil)}.`
      : "";
  return what + paused;
}

export function renderPreferencesPage(
  config: SiteConfig,
  token: string,
  view: PreferencesView,
): Promise<string> {
  const urls = siteUrls(config);
  const action = urls.preferences(token);
  const paused = view.pausedUntil !== null && view.pausedUntil > view.now.toISOString();
  const forms: Html = html`<form method="post" action="${action}">
<input type="hidden" name="action" value="topics">
${topicFieldset(view.choices, "prefs")}
<button type="submit">Save my topics</button>
</form>
<form method="post" action="${action}">
<input type="hidden" name="action" value="pause">
<label for="pause-weeks">Pause the digest</label>
<select id="pause-weeks" name="weeks">
${PAUSE_WEEKS.map((n) => html`<option value="${n}">for ${n === 1 ? "1 week" : `${n} weeks`}</option>`)}
${paused ? html`<option value="0">resume now</option>` : ""}
</select>
<button type="submit">${paused ? "Change the pause" : "Pause"}</button>
</form>
<form method="post" action="${urls.unsubscribe(token)}">
<p>Or stop the digest altogether:</p>
<button type="submit">Unsubscribe</button>
</form>
<p class="meta">${NO_TRACKING_TEXT}</p>`;
  return renderMessagePage(
    config,
    "Your digest",
    [...(view.notice === null ? [] : [view.notice]), `For ${view.email}. ${currently(view)}`],
    forms,
  );
}
