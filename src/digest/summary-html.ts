/**
 * The digest summary as an HTML fragment, for the web version and as the content of digest feed
 * items. Every value is escaped by hono/html.
 */
import { html } from "hono/html";
import type { Html } from "../lib/html.ts";
import type { DigestLinks } from "./email/links.ts";
import type { DigestSummary } from "./summary/model.ts";
import { pairLine } from "./summary/pairs.ts";

export function digestSummaryFragment(
  summary: DigestSummary,
  links: DigestLinks,
  options: { articles: boolean },
): Html {
  return html`<section aria-labelledby="developments-${summary.week}">
<h2 id="developments-${summary.week}">Key developments</h2>
<ol>${summary.developments.map((d) => html`<li dir="auto">${d.text} <a href="${links.articleUrl(d.articleSlug)}">(${d.source})</a></li>`)}</ol>
</section>
${
  summary.pairs.length > 0
    ? html`<section>
<h2>Who was active</h2>
<ul>${summary.pairs.map((p) => html`<li>${pairLine(p)}</li>`)}</ul>
</section>`
    : ""
}
${
  summary.figures.length > 0
    ? html`<section>
<h2>Key figures</h2>
<ul>${summary.figures.map((f) => html`<li dir="auto">${f.text} <a href="${links.articleUrl(f.articleSlug)}">(source)</a></li>`)}</ul>
</section>`
    : ""
}
${
  options.articles
    ? html`<section>
<h2>This week’s articles</h2>
<ul>${summary.articles.map((a) => html`<li><a href="${links.articleUrl(a.slug)}" dir="auto">${a.title}</a> · ${a.source}<br><span dir="auto">${a.summary}</span></li>`)}</ul>
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
