/** The article feeds: whole site and per tag, each in RSS 2.0, Atom 1.0 and JSON Feed 1.1. */
import type { Handler, Hono } from "hono";
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

  for (const [file, format] of FEED_FILES) {
    getRoute(app, `/${file}`, serveFeed(format, null, deps.library.articles));
    getRoute(app, `/tags/:tag/${file}`, (c, next) => {
      const tag = c.req.param("tag")!;
      const articles = deps.library.byTag.get(tag);
      if (!articles) throw notFound(`There is no tag “${tag}”, so there is no feed for it.`);
      return serveFeed(format, tag, articles)(c, next);
    });
  }

  getRoute(app, "/feed.xsl", (c) =>
    serveCached(c, deps, "feed.xsl", () => ({
      body: renderFeedStylesheet(),
      contentType: FEED_STYLESHEET_CONTENT_TYPE,
      lastModified: null,
    })),
  );
}
