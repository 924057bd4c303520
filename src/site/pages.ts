/** The site's pages, each a pure function of typed data → HTML string. */
import { html, raw } from "hono/html";
import type { SiteConfig } from "../config.ts";
import type { Html } from "../lib/html.ts";
import { machineTime, weekOf } from "../lib/time.ts";
import { siteUrls } from "../lib/urls.ts";
import {
  briefNotesHtml,
  claimLine,
  claimsHtml,
  displayDate,
  keyPointsHtml,
} from "../content/brief-html.ts";
import type { StoryEntry } from "../content/view.ts";
import type { Article, Story } from "../model/article.ts";
import { feedLinkList, type FeedLinks, renderPage } from "./layout.ts";
import { subscribeForm } from "./subscribe-pages.ts";

function siteFeeds(config: SiteConfig): FeedLinks {
  return { title: config.title, ...siteUrls(config).feeds() };
}

function tagFeeds(config: SiteConfig, tag: string): FeedLinks {
  return { title: `${config.title}: ${tag}`, ...siteUrls(config).tagFeeds(tag) };
}

function tagList(config: SiteConfig, tags: readonly string[]): Html {
  const urls = siteUrls(config);
  return html`<ul class="tags" aria-label="Tags">${tags.map((t) => html`<li><a href="${urls.tag(t)}">${t}</a></li>`)}</ul>`;
}

function byline(article: Article): Html {
  return html`<p class="meta"><time datetime="${machineTime(article.published)}">${displayDate(article)}</time>${
    article.dateApproximate ? html` <span class="approx">(approximate date)</span>` : ""
  } · from ${article.source}${article.authors.length > 0 ? html` · by ${article.authors.join(", ")}` : ""}</p>`;
}

function articleCard(config: SiteConfig, article: Article): Html {
  return html`<article class="card">
<h2 dir="auto"><a href="${siteUrls(config).article(article.slug)}">${article.title}</a></h2>
${byline(article)}
<p dir="auto">${article.summary}</p>
${tagList(config, article.tags)}
</article>`;
}

/** Where a page of a listing sits: its own URL, its neighbours, and how to name it. */
export interface Pagination {
  /** The listing's first page (the newest articles). */
  readonly first: boolean;
  /** "Page 2 of 5"; empty on a first page with nothing older. */
  readonly label: string;
  /** Appended to the title: "" on a first page, " (page 2)" elsewhere. */
  readonly titleSuffix: string;
  readonly canonical: string;
  readonly newer: string | null;
  readonly older: string | null;
  /** How many articles the whole listing has. */
  readonly total: number;
}

function pager(p: Pagination): Html {
  if (p.newer === null && p.older === null) return html``;
  return html`<nav class="pager" aria-label="Pages">
${p.newer !== null ? html`<a rel="prev" href="${p.newer}">← Newer</a>` : html`<span></span>`}
<span>${p.label}</span>
${p.older !== null ? html`<a rel="next" href="${p.older}">Older →</a>` : html`<span></span>`}
</nav>`;
}

export function renderHomePage(
  config: SiteConfig,
  articles: readonly Article[],
  pagination: Pagination,
): Promise<string> {
  const feeds = siteFeeds(config);
  return renderPage({
    config,
    title: `${config.title}${pagination.titleSuffix}`,
    description: config.description,
    canonical: pagination.canonical,
    feeds: [feeds],
    share: { title: `${config.title}${pagination.titleSuffix}` },
    body: html`<h1>Latest articles</h1>
${feedLinkList(feeds)}
${pagination.first ? subscribeForm(config, "home") : ""}
${articles.length === 0 ? html`<p>No articles yet.</p>` : articles.map((a) => articleCard(config, a))}
${pager(pagination)}`,
  });
}

export function renderArticlePage(
  config: SiteConfig,
  article: Article,
  story: Story | null = null,
): Promise<string> {
  const urls = siteUrls(config);
  return renderPage({
    config,
    title: `${article.title} · ${config.title}`,
    description: article.summary,
    canonical: urls.article(article.slug),
    feeds: [siteFeeds(config)],
    share: {
      title: article.title,
      article: { published: article.published, modified: article.updated },
    },
    body: html`<article class="body">
<h1 dir="auto">${article.title}</h1>
${byline(article)}
${tagList(config, article.tags)}
<p class="meta" dir="auto"><strong>Summary:</strong> ${article.summary}</p>
${story ? html`<p class="meta">Part of a developing story: <a href="${urls.story(story.id)}">${story.title}</a></p>` : ""}
${raw(keyPointsHtml(article))}
${raw(article.html)}
${raw(claimsHtml(article))}
${raw(briefNotesHtml(article))}
</article>`,
  });
}

export function renderTagPage(
  config: SiteConfig,
  tag: string,
  articles: readonly Article[],
  pagination: Pagination,
): Promise<string> {
  const feeds = tagFeeds(config, tag);
  return renderPage({
    config,
    title: `${tag}${pagination.titleSuffix} · ${config.title}`,
    description: `Articles tagged “${tag}”.`,
    canonical: pagination.canonical,
    feeds: [feeds, siteFeeds(config)],
    share: { title: `Tagged “${tag}”${pagination.titleSuffix}` },
    body: html`<h1>Tagged “${tag}”</h1>
<p class="meta">${pagination.total === 1 ? "1 article" : `${pagination.total} articles`}. Follow this tag:</p>
${feedLinkList(feeds)}
${articles.map((a) => articleCard(config, a))}
${pager(pagination)}`,
  });
}

export function renderTagIndexPage(
  config: SiteConfig,
  tags: readonly { tag: string; count: number }[],
): Promise<string> {
  const urls = siteUrls(config);
  return renderPage({
    config,
    title: `Tags · ${config.title}`,
    description: `Every tag on ${config.title}, each with its own feeds.`,
    canonical: urls.tags(),
    feeds: [siteFeeds(config)],
    body: html`<h1>Tags</h1>
<ul>${tags.map((t) => html`<li><a href="${urls.tag(t.tag)}">${t.tag}</a> (${t.count})</li>`)}</ul>`,
  });
}

export function renderErrorPage(
  config: SiteConfig,
  status: number,
  heading: string,
  message: string,
): Promise<string> {
  const urls = siteUrls(config);
  return renderPage({
    config,
    title: `${heading} · ${config.title}`,
    description: message,
    canonical: urls.home(),
    feeds: [siteFeeds(config)],
    body: html`<h1>${heading}</h1>
<p>${message}</p>
<p>Try <a href="${urls.home()}">the latest articles</a> or <a href="${urls.tags()}">the list of tags</a>.</p>
<p class="meta">HTTP ${status}</p>`,
  });
}

/** A developing story: its articles as a dated timeline, each with its figures and its week. */
export function renderStoryPage(config: SiteConfig, entry: StoryEntry): Promise<string> {
  const urls = siteUrls(config);
  const { story, articles } = entry;
  const first = articles[0]!;
  const last = articles.at(-1)!;
  const span =
    first === last ? displayDate(first) : `${displayDate(first)} to ${displayDate(last)}`;
  return renderPage({
    config,
    title: `${story.title} · ${config.title}`,
    description: `A developing story in ${articles.length} brief${articles.length === 1 ? "" : "s"}, ${span}.`,
    canonical: urls.story(story.id),
    feeds: [siteFeeds(config)],
    share: { title: story.title },
    body: html`<h1 dir="auto">${story.title}</h1>
<p class="meta">A developing story: ${articles.length === 1 ? "1 brief" : `${articles.length} briefs`}, ${span}. Oldest first.</p>
<p><a href="${urls.followStory(story.id)}">Follow this story by email</a> <span class="meta">(already subscribed? use the “Choose your topics” link in any digest)</span></p>
<ol class="timeline">
${articles.map((a) => {
  const week = weekOf(Date.parse(a.published), config.digestTimeZone);
  return html`<li class="card">
<p class="meta"><time datetime="${machineTime(a.published)}">${displayDate(a)}</time>${a.dateApproximate ? " (approximate date)" : ""} · from ${a.source} · <a href="${urls.digest(week)}">weekly digest ${week}</a></p>
<h2 dir="auto"><a href="${urls.article(a.slug)}">${a.title}</a></h2>
<p dir="auto">${a.summary}</p>
${a.claims.length > 0 ? html`<ul class="claims">${a.claims.map((c) => html`<li dir="auto">${claimLine(c)}</li>`)}</ul>` : ""}
</li>`;
})}
</ol>`,
  });
}
