/** /sitemap.xml (an index), /sitemaps/{n}.xml and /robots.txt. */
import type { Hono } from "hono";
import type { SiteConfig } from "../config.ts";
import type { ContentView } from "../content/view.ts";
import { archiveVersionOrLast } from "../digest/archive-version.ts";
import { listDigests } from "../digest/store.ts";
import { notFound } from "../http/errors.ts";
import {
  articleEntries,
  newestLastmod,
  renderRobots,
  renderSitemapFile,
  renderSitemapIndex,
  SITEMAP_CONTENT_TYPE,
  sitemapFileCount,
  sitemapFileSlice,
  sitemapHead,
} from "../site/sitemap.ts";
import { type AppEnv, type RouteDeps, serveCached, serveContent } from "./context.ts";
import { getRoute } from "./methods.ts";

export function registerSitemapRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  const head = async (db: D1Database, view: ContentView, config: SiteConfig) =>
    sitemapHead(config, view.meta, await listDigests(db));

  getRoute(app, "/sitemap.xml", async (c) => {
    // The digest archive's version keys the cache too: a new week adds URLs.
    const digests = await archiveVersionOrLast(c.env.DB);
    return serveContent(c, deps, `sitemap:${digests}`, async (view, config) => {
      const entries = await head(c.env.DB, view, config);
      const files = sitemapFileCount(entries.length + view.count(null));
      const lastmods = await Promise.all(
        Array.from({ length: files }, async (_, i) => {
          const slice = sitemapFileSlice(entries.length, i + 1);
          const newestArticle =
            slice.articles.limit > 0
              ? await view.newestModifiedInSlice(slice.articles.limit, slice.articles.offset)
              : null;
          return newestLastmod([
            ...entries.slice(slice.head.start, slice.head.end).map((e) => e.lastmod),
            newestArticle === null ? null : new Date(newestArticle).toISOString(),
          ]);
        }),
      );
      return {
        body: renderSitemapIndex(config, lastmods),
        contentType: SITEMAP_CONTENT_TYPE,
        lastModified: null,
      };
    });
  });

  getRoute(app, "/sitemaps/:file", async (c) => {
    const m = /^([1-9]\d{0,5})\.xml$/.exec(c.req.param("file")!);
    if (!m) throw notFound("There is no such sitemap: they are named 1.xml, 2.xml, ….");
    const n = Number(m[1]);
    const digests = await archiveVersionOrLast(c.env.DB);
    return serveContent(c, deps, `sitemap-file:${digests}:${n}`, async (v, config) => {
      const entries = await head(c.env.DB, v, config);
      if (n > sitemapFileCount(entries.length + v.count(null)))
        throw notFound(`There is no sitemap ${n}.xml: see /sitemap.xml for the list.`);
      const slice = sitemapFileSlice(entries.length, n);
      const articles =
        slice.articles.limit > 0
          ? await v.articleLocations(slice.articles.limit, slice.articles.offset)
          : [];
      const body = renderSitemapFile([
        ...entries.slice(slice.head.start, slice.head.end),
        ...articleEntries(config, articles),
      ]);
      return { body, contentType: SITEMAP_CONTENT_TYPE, lastModified: null };
    });
  });

  getRoute(app, "/robots.txt", (c) =>
    serveCached(c, deps, "robots", (config) => ({
      body: renderRobots(config),
      contentType: "text/plain; charset=utf-8",
      lastModified: null,
    })),
  );
}
