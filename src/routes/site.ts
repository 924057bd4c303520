/** The website: latest articles, article pages, tag pages, the tag index, the icon. */
import type { Hono } from "hono";
import type { SiteConfig } from "../config.ts";
import { newestChange } from "../content/library.ts";
import { ICON_PNG_BASE64 } from "../generated/icon.ts";
import { notFound } from "../http/errors.ts";
import { intParam } from "../http/query.ts";
import { HTML_CONTENT_TYPE as HTML } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";
import type { Article } from "../model/article.ts";
import {
  type Pagination,
  renderArticlePage,
  renderHomePage,
  renderStoryPage,
  renderTagIndexPage,
  renderTagPage,
} from "../site/pages.ts";
import { type AppEnv, type RouteDeps, serveCached } from "./context.ts";
import { getRoute } from "./methods.ts";

export const PAGE_SIZE = 20;

function paginate(
  articles: readonly Article[],
  page: number,
  href: (page: number) => string,
): { items: readonly Article[]; pagination: Pagination } {
  const pageCount = Math.max(1, Math.ceil(articles.length / PAGE_SIZE));
  if (page > pageCount)
    throw notFound(
      `There is no page ${page}: this list has ${pageCount} page${pageCount === 1 ? "" : "s"}.`,
    );
  const items = articles.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return { items, pagination: { page, pageCount, total: articles.length, href } };
}

const ICON = Uint8Array.from(atob(ICON_PNG_BASE64), (ch) => ch.charCodeAt(0));

export function registerSiteRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  const { library } = deps;
  const pageParam = (c: Parameters<typeof intParam>[0]) => intParam(c, "page", 1, 1, 1_000_000);

  getRoute(app, "/", (c) => {
    const page = pageParam(c);
    return serveCached(c, deps, `home:${page}`, async (config: SiteConfig) => {
      const home = siteUrls(config).home();
      const { items, pagination } = paginate(library.articles, page, (p) =>
        p === 1 ? home : `${home}?page=${p}`,
      );
      return {
        body: await renderHomePage(config, items, pagination),
        contentType: HTML,
        lastModified: newestChange(items),
      };
    });
  });

  getRoute(app, "/articles/:slug", (c) => {
    const slug = c.req.param("slug")!;
    const article = library.bySlug.get(slug);
    if (!article) throw notFound(`There is no article at “${slug}”. It may have been mistyped.`);
    const story =
      article.story === null ? null : (library.stories.get(article.story)?.story ?? null);
    return serveCached(c, deps, `article:${slug}`, async (config) => ({
      body: await renderArticlePage(config, article, story),
      contentType: HTML,
      lastModified: newestChange([article]),
    }));
  });

  getRoute(app, "/stories/:story", (c) => {
    const id = c.req.param("story")!;
    const entry = library.stories.get(id);
    if (!entry) throw notFound(`There is no story “${id}”.`);
    return serveCached(c, deps, `story:${id}`, async (config) => ({
      body: await renderStoryPage(config, entry),
      contentType: HTML,
      lastModified: newestChange(entry.articles),
    }));
  });

  getRoute(app, "/tags", (c) =>
    serveCached(c, deps, "tags", async (config) => ({
      body: await renderTagIndexPage(config, library.tags),
      contentType: HTML,
      lastModified: newestChange(library.articles),
    })),
  );

  getRoute(app, "/tags/:tag", (c) => {
    const tag = c.req.param("tag")!;
    const articles = library.byTag.get(tag);
    if (!articles) throw notFound(`There is no tag “${tag}”.`);
    const page = pageParam(c);
    return serveCached(c, deps, `tag:${tag}:${page}`, async (config) => {
      const base = siteUrls(config).tag(tag);
      const { items, pagination } = paginate(articles, page, (p) =>
        p === 1 ? base : `${base}?page=${p}`,
      );
      return {
        body: await renderTagPage(config, tag, items, pagination),
        contentType: HTML,
        lastModified: newestChange(items),
      };
    });
  });

  for (const path of ["/icon.png", "/favicon.ico"]) {
    getRoute(app, path, (c) =>
      serveCached(c, deps, "icon", () => ({
        body: ICON,
        contentType: "image/png",
        lastModified: null,
      })),
    );
  }
}
