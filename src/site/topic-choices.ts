/**
 * The topic checkboxes of the sign-up form and the preferences page: the developing stories and
 * the tags, each a checkbox named `t:<topic>` (one field per topic, so the app's form reader,
 * which keeps the last value of a repeated name, reads them all). None ticked: everything.
 */
import { html } from "hono/html";
import type { Html } from "../lib/html.ts";
import { isTopic, type Topic } from "../model/topic.ts";

/** A form field name for a topic, and back. */
export const TOPIC_FIELD_PREFIX = "t:";

export interface TopicChoices {
  readonly stories: readonly { readonly id: string; readonly title: string }[];
  readonly tags: readonly string[];
  readonly selected: ReadonlySet<Topic>;
}

/** The ticked topics of a submitted form, in field order. */
export function topicFields(fields: Record<string, unknown>): string[] {
  return Object.keys(fields)
    .filter((k) => k.startsWith(TOPIC_FIELD_PREFIX))
    .map((k) => k.slice(TOPIC_FIELD_PREFIX.length));
}

function box(t: Topic, label: string, selected: ReadonlySet<Topic>, idPrefix: string): Html {
  const id = `${idPrefix}-${t.replace(":", "-")}`;
  return html`<li><input type="checkbox" id="${id}" name="${TOPIC_FIELD_PREFIX}${t}"${selected.has(t) ? html` checked` : ""}> <label for="${id}">${label}</label></li>`;
}

export function topicFieldset(choices: TopicChoices, idPrefix: string): Html {
  const valid = (t: string): t is Topic => isTopic(t);
  const stories = choices.stories.flatMap((s) => {
    const t = `story:${s.id}`;
    return valid(t) ? [box(t, s.title, choices.selected, idPrefix)] : [];
  });
  const tags = choices.tags.flatMap((name) => {
    const t = `tag:${name}`;
    return valid(t) ? [box(t, name, choices.selected, idPrefix)] : [];
  });
  return html`<fieldset class="topics">
<legend>Topics</legend>
<p class="meta">Leave every box unticked to get everything (the whole digest). Tick stories or tags to get only their items, figures and articles; a week with nothing on them sends you nothing.</p>
${stories.length > 0 ? html`<p>Developing stories</p><ul class="choices">${stories}</ul>` : ""}
${tags.length > 0 ? html`<p>Tags</p><ul class="choices">${tags}</ul>` : ""}
</fieldset>`;
}
