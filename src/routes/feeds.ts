/** The article feeds: whole site and per tag, each in RSS 2.0, Atom 1.0 and JSON Feed 1.1. */
import type { Handler, Hono } from "hono";
import { archivePlan, isFinalPage } from "../feeds/archive.ts";
import { buildFeedDocument } from "../feeds/document.ts";
import { renderFeed } from "../feeds/render.ts";
import { FEED_STYLESHEET_CONTENT_TYPE, renderFeedStylesheet } from "../feeds/stylesheet.ts";
import { notFound } from "../http/errors.ts";
import { intParam } from "../http/query.ts";
import { FEED_CONTENT_TYPES, FEED_FILES, type FeedFormat } from "../lib/feed-formats.ts";
import { siteUrls } from "../lib/urls.ts";
import type { Article } from "../model/article.ts";
import { type AppEnv, type RouteDeps, serveCached } from "./context.ts";
import { getRoute } from "./methods.ts";

/** A final archive page never changes (RFC 5005): caches may keep it for a week. */
const FULL_ARCHIVE_MAX_AGE = 7 * 86_400;

export function registerFeedRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  const serveFeed =
    (format: FeedFormat, tag: string | null, articles: readonly Article[]): Handler<AppEnv> =>
    async (c) => {
      const config = c.var.config;
      const limit = intParam(c, "limit", config.feedItemLimit, 1, config.feedItemLimit);
      const urls = siteUrls(config);
      const self = (tag === null ? urls.feeds() : urls.tagFeeds(tag))[format];
      // WebSub discovery through HTTP headers as well as in the document (WebSub §4).
      const link = config.hubUrl
        ? `<${config.hubUrl}>; rel="hub", <${self}>; rel="self"`
        : `<${self}>; rel="self"`;
      return serveCached(
        c,
        deps,
        `feed:${format}:${tag ?? ""}:${limit}`,
        (cfg) => {
          const doc = buildFeedDocument(cfg, { tag, articles, limit });
          return {
            body: renderFeed(format, doc),
            contentType: FEED_CONTENT_TYPES[format],
            lastModified: doc.updated,
          };
        },
        { Link: link },
      );
    };

  /** An archive page: 404 beyond the pages there are; a full page may be cached for long. */
  const serveArchive =
    (format: FeedFormat, tag: string | null, articles: readonly Article[]): Handler<AppEnv> =>
    async (c) => {
      const config = c.var.config;
      const raw = c.req.param("page")!;
      const plan = archivePlan(articles.length, config.feedItemLimit);
      const page = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : 0;
      if (page < 1 || page > plan.pages) {
        throw notFound(
          plan.pages === 0
            ? "This feed has no archive pages yet: every item is in the feed itself."
            : `There is no archive page “${raw}”: this feed has pages 1 (oldest) to ${plan.pages}.`,
        );
      }
      const self = siteUrls(config).feedArchive(page, tag)[format];
      return serveCached(
        c,
        deps,
        `feed-archive:${format}:${tag ?? ""}:${page}`,
        (cfg) => {
          const doc = buildFeedDocument(cfg, { tag, articles, limit: cfg.feedItemLimit, page });
          return {
            body: renderFeed(format, doc),
            contentType: FEED_CONTENT_TYPES[format],
            lastModified: doc.updated,
          };
        },
        {
          Link: `<${self}>; rel="self"`,
          ...(isFinalPage(plan, page)
            ? { "Cache-Control": `public, max-age=${FULL_ARCHIVE_MAX_AGE}` }
            : {}),
        },
      );
    };

  const tagArticles = (tag: string) => {
    const list = deps.library.byTag.get(tag);
    if (!list) throw notFound(`There is no tag “${tag}”, so there is no feed for it.`);
    return list;
  };

  for (const [file, format] of FEED_FILES) {
    getRoute(app, `/archive/:page/${file}`, serveArchive(format, null, deps.library.articles));
    getRoute(app, `/tags/:tag/archive/:page/${file}`, (c, next) =>
      serveArchive(format, c.req.param("tag")!, tagArticles(c.req.param("tag")!))(c, next),
    );
    getRoute(app, `/${file}`, serveFeed(format, null, deps.library.articles));
    getRoute(app, `/tags/:tag/${file}`, (c, next) =>
      serveFeed(format, c.req.param("tag")!, tagArticles(c.req.param("tag")!))(c, next),
    );
  }

  getRoute(app, "/feed.xsl", (c) =>
    serveCached(c, deps, "feed.xsl", () => ({
      body: renderFeedStylesheet(),
      contentType: FEED_STYLESHEET_CONTENT_TYPE,
      lastModified: null,
    })),
  );
}
