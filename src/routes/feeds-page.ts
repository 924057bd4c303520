/** `/feeds`, the page listing every feed, and `/feeds.opml`, the same list for feed readers. */
import type { Hono } from "hono";
import { OPML_CONTENT_TYPE, renderOpml } from "../feeds/opml.ts";
import { HTML_CONTENT_TYPE } from "../lib/html.ts";
import { opmlGroups, renderFeedsPage } from "../site/feeds-page.ts";
import { type AppEnv, type RouteDeps, serveContent } from "./context.ts";
import { getRoute } from "./methods.ts";

export function registerFeedsPageRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  // Keyed by the content version: the tags, and so the list, change on publish.
  getRoute(app, "/feeds", (c) =>
    serveContent(c, deps, "feeds-page", async (view, config) => ({
      body: await renderFeedsPage(
        config,
        view.meta.tags.map((t) => t.tag),
      ),
      contentType: HTML_CONTENT_TYPE,
      lastModified: null,
    })),
  );

  getRoute(app, "/feeds.opml", (c) =>
    serveContent(c, deps, "feeds-opml", (view, config) =>
      Promise.resolve({
        body: renderOpml(
          `${config.title}: every feed`,
          opmlGroups(
            config,
            view.meta.tags.map((t) => t.tag),
            view.meta.actors,
          ),
        ),
        contentType: OPML_CONTENT_TYPE,
        lastModified: null,
      }),
    ),
  );
}
