/**
 * The digest summary as an HTML fragment, for the web version and as the content of digest feed
 * items. It shows what the email shows, from the same prepared items (email/view.ts): stories
 * introduced with their earlier weeks, news an earlier week had marked with that week, figures with who claims them, each brief with its
 * editor's note and a link to the original. Every value is escaped by hono/html.
 */
import { html, raw } from "hono/html";
import type { Html } from "../lib/html.ts";
import type { DigestLinks } from "./email/links.ts";
import { type ListedLink, prepareEmail, type StoryLabel } from "./email/view.ts";
import type { DigestSummary } from "./summary/model.ts";

function storyIntro(story: StoryLabel): Html {
  return html`<p class="meta">Developing story: <a href="${story.url}">${story.title}</a>${
    story.earlier
      ? html` · earlier: ${story.earlier.links.map((l: ListedLink) => html`${l.sep}<a href="${l.url}">${l.label}</a>`)}`
      : ""
  }</p>`;
}

export function digestSummaryFragment(
  summary: DigestSummary,
  links: DigestLinks,
  options: { articles: boolean },
): Html {
  const view = prepareEmail(summary, links);
  // The editor's introduction first, as sanitized at publish (content/issues/{week}.md).
  const intro = summary.issue?.introHtml ?? "";
  return html`${intro === "" ? "" : html`<section class="intro" dir="auto">${raw(intro)}</section>`}
<section aria-labelledby="developments-${summary.week}">
<h2 id="developments-${summary.week}">Key developments</h2>
<ol>${view.developments.map((d) => html`<li dir="auto">${d.story ? storyIntro(d.story) : ""}${d.text} <a href="${d.url}">(${d.source})</a>${d.reportedIn ? html` <span class="meta">(reported in <a href="${d.reportedIn.url}">${d.reportedIn.label}</a>)</span>` : ""}</li>`)}</ol>
</section>
${
  view.pairs.length > 0
    ? html`<section>
<h2>Who was active</h2>
<ul>${view.pairs.map((p) => html`<li>${p.names}${p.count ? `: ${p.count}` : ""}</li>`)}</ul>
</section>`
    : ""
}
${
  view.figures.length > 0
    ? html`<section>
<h2>Key figures</h2>
<ul>${view.figures.map((f) => html`<li dir="auto">${f.group ? html`<span class="meta">${f.group}</span><br>` : ""}${f.text} (${f.attribution}) <a href="${f.url}">(brief)</a></li>`)}</ul>
</section>`
    : ""
}
${
  options.articles
    ? html`<section>
<h2>This week’s articles</h2>
<ul>${view.articles.map((a) => html`<li><a href="${a.url}" dir="auto">${a.title}</a> · ${a.source}${a.date ? ` · ${a.date}` : ""}<br><span dir="auto">${a.summary}</span>${a.editorNote ? html`<br><span dir="auto"><strong>Editor’s note:</strong> ${a.editorNote}</span>` : ""}${a.original ? html`<br>Read the original at <a href="${a.original.url}" rel="noopener">${a.original.label}</a>` : ""}</li>`)}</ul>
</section>`
    : ""
}`;
}

export async function digestSummaryHtml(
  summary: DigestSummary,
  links: DigestLinks,
): Promise<string> {
  return String(await digestSummaryFragment(summary, links, { articles: true }));
}
