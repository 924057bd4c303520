/** Builds the format-independent FeedDocument for the site's feeds from articles. */
import type { SiteConfig } from "../config.ts";
import { briefFeedHtml } from "../content/brief-html.ts";
import { type Article, modifiedTime, newestChange, publishedTime } from "../model/article.ts";
import { siteUrls } from "../lib/urls.ts";
import { archivePlan } from "./archive.ts";
import type { FeedDocument } from "./model.ts";

export interface FeedScope {
  /** null: the whole site; otherwise one tag's feed. */
  readonly tag: string | null;
  /** The document's items, newest first: the newest `?limit=` of the scope, or one archive
   * page's (archivePageRange). */
  readonly items: readonly Article[];
  /** How many articles the scope has in all (for the archive links). */
  readonly total: number;
  /** An archive page (1 = oldest), or null for the subscription feed. */
  readonly page?: number | null;
}

export function buildFeedDocument(config: SiteConfig, scope: FeedScope): FeedDocument {
  const urls = siteUrls(config);
  const page = scope.page ?? null;
  // Archive pages are as long as the subscription feed, and computed from it, never from
  // `?limit=`: a page's contents must not depend on how a reader asked for the feed.
  const plan = archivePlan(scope.total, config.feedItemLimit);
  const items = scope.items;
  const current = scope.tag === null ? urls.feeds() : urls.tagFeeds(scope.tag);
  const links = page === null ? current : urls.feedArchive(page, scope.tag);
  const archivePage = (p: number) =>
    p >= 1 && p <= plan.pages ? urls.feedArchive(p, scope.tag) : null;
  const archive =
    page === null
      ? plan.pages > 0
        ? { isArchive: false, current, prev: archivePage(plan.pages), next: null }
        : null
      : { isArchive: true, current, prev: archivePage(page - 1), next: archivePage(page + 1) };
  // A feed's own time is its newest item's; an empty feed falls back to the epoch so that the
  // output stays a pure function of the content.
  const updated = newestChange(items) ?? new Date(0);
  return {
    // Feed ids hang off the configured base URL's host once, as a tag URI (RFC 4151), and are
    // independent of the feed's path or format.
    id: scope.tag === null ? urls.feedId() : urls.feedId(`tags/${scope.tag}`),
    title: `${scope.tag === null ? config.title : `${config.title}: ${scope.tag}`}${page === null ? "" : ` (archive page ${page})`}`,
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
    archive,
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
