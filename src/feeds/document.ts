/** Builds the format-independent FeedDocument for the site's feeds from articles. */
import type { SiteConfig } from "../config.ts";
import { briefFeedHtml } from "../content/brief-html.ts";
import { newestChange } from "../content/library.ts";
import { type Article, modifiedTime, publishedTime } from "../model/article.ts";
import { siteUrls } from "../lib/urls.ts";
import type { FeedDocument } from "./model.ts";

export interface FeedScope {
  /** null: the whole site; otherwise one tag's feed. */
  readonly tag: string | null;
  /** Articles in scope, newest first. */
  readonly articles: readonly Article[];
  readonly limit: number;
}

export function buildFeedDocument(config: SiteConfig, scope: FeedScope): FeedDocument {
  const urls = siteUrls(config);
  const items = scope.articles.slice(0, scope.limit);
  const links = scope.tag === null ? urls.feeds() : urls.tagFeeds(scope.tag);
  // A feed's own time is its newest item's; an empty feed falls back to the epoch so that the
  // output stays a pure function of the content.
  const updated = newestChange(items) ?? new Date(0);
  return {
    // Feed ids hang off the configured base URL's host once, as a tag URI (RFC 4151), and are
    // independent of the feed's path or format.
    id: scope.tag === null ? urls.feedId() : urls.feedId(`tags/${scope.tag}`),
    title: scope.tag === null ? config.title : `${config.title}: ${scope.tag}`,
    description:
      scope.tag === null
        ? config.description
        : `Articles tagged “${scope.tag}” from ${config.title}.`,
    homeUrl: scope.tag === null ? urls.home() : urls.tag(scope.tag),
    links,
    stylesheet: urls.stylesheetPath(),
    language: config.language,
    iconUrl: urls.icon(),
    author: { name: config.author.name, email: config.author.email, url: urls.home() },
    hubUrl: config.hubUrl,
    updated,
    items: items.map((a) => ({
      id: a.id,
      title: a.title,
      url: urls.article(a.slug),
      summary: a.summary,
      contentHtml: briefFeedHtml(a),
      published: new Date(publishedTime(a)),
      updated: new Date(modifiedTime(a)),
      // The brief is ours; the outlet it draws on is credited in the content ("Read the original").
      authors: a.authors.length > 0 ? a.authors : [config.author.name],
      categories: a.tags.map((t) => ({ term: t, url: urls.tag(t) })),
    })),
  };
}
