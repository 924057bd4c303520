/**
 * Old and conventional addresses, moved permanently to the canonical ones: the feed addresses
 * of WordPress (`/feed`, `/feed/`), Ghost (`/rss/`), Hugo (`/index.xml`) and others, so
 * subscribers arriving from them are not lost, and page URLs with a trailing slash.
 *
 * 301, not 308: these routes answer only GET and HEAD (any other method gets 405 with `Allow`,
 * src/routes/methods.ts), so the one difference of 308, keeping a POST a POST (RFC 9110
 * §15.4.9), never applies; and 301 is the permanent redirect every feed reader knows (older
 * HTTP clients, e.g. Python's urllib before 3.11, do not follow 308). Readers update a stored
 * subscription on 301 (RSS Board best practices). The query string is kept.
 */
import type { Context, Hono } from "hono";
import { FEED_FILES, type FeedFormat } from "../lib/feed-formats.ts";
import { siteUrls } from "../lib/urls.ts";
import type { AppEnv } from "./context.ts";
import { getRoute } from "./methods.ts";

/** Conventional feed paths, under the site or a tag, and the format they go to. */
const FEED_ALIASES: readonly (readonly [path: string, format: FeedFormat])[] = [
  ["feed", "rss"],
  ["feed/", "rss"],
  ["rss", "rss"],
  ["rss/", "rss"],
  ["rss.xml", "rss"],
  ["index.xml", "rss"],
  ["atom", "atom"],
  ["atom/", "atom"],
  // The canonical files with a slash appended.
  ...FEED_FILES.map(([file, format]) => [`${file}/`, format] as const),
];

/** A permanent redirect to `target` with the request's query string, if any. */
function moved(c: Context<AppEnv>, target: string): Response {
  const query = new URL(c.req.url).search;
  return c.redirect(`${target}${query}`, 301);
}

export function registerFeedAliasRoutes(app: Hono<AppEnv>): void {
  const urls = (c: Context<AppEnv>) => siteUrls(c.var.config);
  const param = (c: Context<AppEnv>, name: string) => c.req.param(name)!;

  for (const [path, format] of FEED_ALIASES) {
    getRoute(app, `/${path}`, (c) => moved(c, urls(c).feeds()[format]));
    getRoute(app, `/tags/:tag/${path}`, (c) => moved(c, urls(c).tagFeeds(param(c, "tag"))[format]));
    getRoute(app, `/digests/${path}`, (c) => moved(c, urls(c).digestFeeds()[format]));
  }

  // Pages with a trailing slash: one canonical URL per page.
  getRoute(app, "/articles/:slug/", (c) => moved(c, urls(c).article(param(c, "slug"))));
  getRoute(app, "/tags/", (c) => moved(c, urls(c).tags()));
  getRoute(app, "/tags/:tag/", (c) => moved(c, urls(c).tag(param(c, "tag"))));
  getRoute(app, "/digests/", (c) => moved(c, urls(c).digests()));
  getRoute(app, "/digests/:week/", (c) => moved(c, urls(c).digest(param(c, "week"))));
  getRoute(app, "/stories/:story/", (c) => moved(c, urls(c).story(param(c, "story"))));
  getRoute(app, "/feeds/", (c) => moved(c, `${c.var.config.baseUrl}/feeds`));
}
