/** /sitemap.xml (an index), /sitemaps/{n}.xml and /robots.txt. */
import type { Hono } from "hono";
import { archiveVersion, listDigests } from "../digest/store.ts";
import { notFound } from "../http/errors.ts";
import {
  renderRobots,
  renderSitemapFile,
  renderSitemapIndex,
  SITEMAP_CONTENT_TYPE,
  sitemapEntries,
} from "../site/sitemap.ts";
import { type AppEnv, type RouteDeps, serveCached } from "./context.ts";
import { getRoute } from "./methods.ts";

export function registerSitemapRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  // The digest archive's version keys the cache: a new week adds URLs.
  const entries = async (db: D1Database, config: Parameters<typeof sitemapEntries>[0]) =>
    sitemapEntries(config, deps.library, await listDigests(db));

  getRoute(app, "/sitemap.xml", async (c) => {
    const version = await archiveVersion(c.env.DB);
    return serveCached(c, deps, `sitemap:${version}`, async (config) => ({
      body: renderSitemapIndex(config, await entries(c.env.DB, config)),
      contentType: SITEMAP_CONTENT_TYPE,
      lastModified: null,
    }));
  });

  getRoute(app, "/sitemaps/:file", async (c) => {
    const m = /^([1-9]\d{0,5})\.xml$/.exec(c.req.param("file")!);
    if (!m) throw notFound("There is no such sitemap: they are named 1.xml, 2.xml, ….");
    const version = await archiveVersion(c.env.DB);
    const n = Number(m[1]);
    const body = renderSitemapFile(await entries(c.env.DB, c.var.config), n);
    if (body === null)
      throw notFound(`There is no sitemap ${n}.xml: see /sitemap.xml for the list.`);
    return serveCached(c, deps, `sitemap-file:${version}:${n}`, () => ({
      body,
      contentType: SITEMAP_CONTENT_TYPE,
      lastModified: null,
    }));
  });

  getRoute(app, "/robots.txt", (c) =>
    serveCached(c, deps, "robots", (config) => ({
      body: renderRobots(config),
      contentType: "text/plain; charset=utf-8",
      lastModified: null,
    })),
  );
}
