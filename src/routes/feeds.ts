/** The article feeds: whole site and per tag, each in RSS 2.0, Atom 1.0 and JSON Feed 1.1. */
import { echo } from "../http/echo.ts";
import type { Context, Hono } from "hono";
import { archivePageRange, archivePlan, isFinalPage } from "../feeds/archive.ts";
import { buildFeedDocument } from "../feeds/document.ts";
import { FEED_STYLESHEET_CONTENT_TYPE, renderFeedStylesheet } from "../feeds/stylesheet.ts";
import { notFound } from "../http/errors.ts";
import { intParam } from "../http/query.ts";
import { FEED_FILES, type FeedFormat } from "../lib/feed-formats.ts";
import { siteUrls } from "../lib/urls.ts";
import { type AppEnv, openContent, type RouteDeps, serveCached, serveContent } from "./context.ts";
import { feedVariant, renderFeedVariant } from "./feed-preview.ts";
import { getRoute } from "./methods.ts";

/** A final archive page never changes (RFC 5005): caches may keep it for a week. */
const FINAL_PAGE_HEADERS = { "Cache-Control": `public, max-age=${7 * 86_400}` };

export function registerFeedRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  /** The tag in the path, or 404 if no published article has it (from the version's meta). */
  const knownTag = async (c: Context<AppEnv>): Promise<string> => {
    const tag = c.req.param("tag")!;
    const view = await openContent(c, deps);
    if (view.tag(tag) === null)
      throw notFound(`There is no tag “${echo(tag)}”, so there is no feed for it.`);
    return tag;
  };

  const serveFeed = async (c: Context<AppEnv>, format: FeedFormat, tag: string | null) => {
    const config = c.var.config;
    const limit = intParam(c, "limit", config.feedItemLimit, 1, config.feedItemLimit);
    const urls = siteUrls(config);
    const self = (tag === null ? urls.feeds() : urls.tagFeeds(tag))[format];
    // WebSub discovery through HTTP headers as well as in the document (WebSub §4).
    const link = config.hubUrl
      ? `<${config.hubUrl}>; rel="hub", <${self}>; rel="self"`
      : `<${self}>; rel="self"`;
    const variant = feedVariant(c, format);
    return serveContent(
      c,
      deps,
      `${variant.keyPrefix}:${format}:${tag ?? ""}:${limit}`,
      async (view, cfg) => {
        const items = await view.list(tag, limit);
        const doc = buildFeedDocument(cfg, { tag, items, total: view.count(tag) });
        return renderFeedVariant(variant, cfg, format, doc, doc.updated);
      },
      variant.headers({ Link: link }),
    );
  };

  /** An archive page: 404 beyond the pages there are; a full page may be cached for long. */
  const serveArchive = async (c: Context<AppEnv>, format: FeedFormat, tag: string | null) => {
    const config = c.var.config;
    const raw = c.req.param("page")!;
    const view = await openContent(c, deps);
    const plan = archivePlan(view.count(tag), config.feedItemLimit);
    const page = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : 0;
    if (page < 1 || page > plan.pages) {
      throw notFound(
        plan.pages === 0
          ? "This feed has no archive pages yet: every item is in the feed itself."
          : `There is no archive page “${echo(raw)}”: this feed has pages 1 (oldest) to ${plan.pages}.`,
      );
    }
    const self = siteUrls(config).feedArchive(page, tag)[format];
    const variant = feedVariant(c, format);
    return serveContent(
      c,
      deps,
      `${variant.keyPrefix}-archive:${format}:${tag ?? ""}:${page}`,
      async (v, cfg) => {
        const total = v.count(tag);
        const range = archivePageRange(total, archivePlan(total, cfg.feedItemLimit), page);
        const items = await v.list(tag, range.limit, range.offset);
        const doc = buildFeedDocument(cfg, { tag, items, total, page });
        const final = isFinalPage(plan, page) ? FINAL_PAGE_HEADERS : {};
        return renderFeedVariant(variant, cfg, format, doc, doc.updated, final);
      },
      variant.headers({ Link: `<${self}>; rel="self"` }),
    );
  };

  for (const [file, format] of FEED_FILES) {
    getRoute(app, `/archive/:page/${file}`, (c) => serveArchive(c, format, null));
    getRoute(app, `/tags/:tag/archive/:page/${file}`, async (c) =>
      serveArchive(c, format, await knownTag(c)),
    );
    getRoute(app, `/${file}`, (c) => serveFeed(c, format, null));
    getRoute(app, `/tags/:tag/${file}`, async (c) => serveFeed(c, format, await knownTag(c)));
  }

  getRoute(app, "/feed.xsl", (c) =>
    serveCached(c, deps, "feed.xsl", () => ({
      body: renderFeedStylesheet(),
      contentType: FEED_STYLESHEET_CONTENT_TYPE,
      lastModified: null,
    })),
  );
}
