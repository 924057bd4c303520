/** The website: latest articles, article pages, tag pages, the tag index, the icon. */
import type { Context, Hono } from "hono";
import type { SiteConfig } from "../config.ts";
import { newestChange } from "../content/library.ts";
import { ICON_PNG_BASE64 } from "../generated/icon.ts";
import { archivePageItems, archivePlan, isFinalPage } from "../feeds/archive.ts";
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

/**
 * One page of a listing. `/` (or a tag's page) shows the newest PAGE_SIZE articles; older ones
 * are on stable pages, `/page/{n}`, numbered from the oldest like the feeds' archive pages
 * (RFC 5005), so a full page never changes and its links can be cached and shared. `?page=N`
 * (newest first, pages shift as articles arrive) still answers for old links.
 */
function listingPage(
  articles: readonly Article[],
  base: string,
  request: { query: number | null; stable: number | null },
): { items: readonly Article[]; pagination: Pagination; finalStablePage: boolean } {
  const plan = archivePlan(articles.length, PAGE_SIZE);
  const stableUrl = (n: number) => `${base.replace(/\/$/, "")}/page/${n}`;
  const total = articles.length;
  if (request.stable !== null) {
    const n = request.stable;
    if (n < 1 || n > plan.pages) {
      throw notFound(
        plan.pages === 0
          ? "There are no older pages: every article is on the first page."
          : `There is no page ${n}: older articles are on pages 1 (the oldest) to ${plan.pages}.`,
      );
    }
    return {
      items: archivePageItems(articles, plan, n),
      finalStablePage: isFinalPage(plan, n),
      pagination: {
        first: false,
        // Never "of N": a full page's bytes must not change when newer pages are added.
        label: `Page ${n} (page 1 is the oldest)`,
        titleSuffix: ` (page ${n})`,
        canonical: stableUrl(n),
        newer: n < plan.pages ? stableUrl(n + 1) : base,
        older: n > 1 ? stableUrl(n - 1) : null,
        total,
      },
    };
  }
  const page = request.query ?? 1;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (page > pageCount)
    throw notFound(
      `There is no page ${page}: this list has ${pageCount} page${pageCount === 1 ? "" : "s"}.`,
    );
  const items = articles.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const queryUrl = (p: number) => (p === 1 ? base : `${base}?page=${p}`);
  return {
    items,
    finalStablePage: false,
    pagination:
      page === 1
        ? {
            first: true,
            label: "Latest",
            titleSuffix: "",
            canonical: base,
            newer: null,
            older: plan.pages > 0 ? stableUrl(plan.pages) : null,
            total,
          }
        : {
            first: false,
            label: `Page ${page} of ${pageCount}`,
            titleSuffix: ` (page ${page})`,
            canonical: queryUrl(page),
            newer: queryUrl(page - 1),
            older: page < pageCount ? queryUrl(page + 1) : null,
            total,
          },
  };
}

/** A final stable page never changes: caches may keep it for a week. */
const FULL_PAGE_HEADERS = { "Cache-Control": `public, max-age=${7 * 86_400}` };

const ICON = Uint8Array.from(atob(ICON_PNG_BASE64), (ch) => ch.charCodeAt(0));

/** The `{page}` of a stable page's path: a positive whole number, else 404. */
function stablePageParam(c: Context<AppEnv>): number {
  const raw = c.req.param("page")!;
  if (!/^[1-9]\d{0,8}$/.test(raw))
    throw notFound(`There is no page “${raw}”: pages are numbered 1, 2, 3, ….`);
  return Number(raw);
}

export function registerSiteRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  const { library } = deps;
  const pageParam = (c: Parameters<typeof intParam>[0]) => intParam(c, "page", 1, 1, 1_000_000);

  const tagListing = (
    c: Context<AppEnv>,
    tag: string,
    articles: readonly Article[],
    stable: number | null,
  ) => {
    const query = stable === null ? pageParam(c) : null;
    const listing = listingPage(articles, siteUrls(c.var.config).tag(tag), { query, stable });
    return serveCached(
      c,
      deps,
      `tag:${tag}:${query ?? ""}:${stable ?? ""}`,
      async (config) => ({
        body: await renderTagPage(config, tag, listing.items, listing.pagination),
        contentType: HTML,
        lastModified: newestChange(listing.items),
      }),
      listing.finalStablePage ? FULL_PAGE_HEADERS : undefined,
    );
  };

  const home = (c: Context<AppEnv>, stable: number | null) => {
    const query = stable === null ? pageParam(c) : null;
    const listing = listingPage(library.articles, siteUrls(c.var.config).home(), { query, stable });
    return serveCached(
      c,
      deps,
      `home:${query ?? ""}:${stable ?? ""}`,
      async (config: SiteConfig) => ({
        body: await renderHomePage(config, listing.items, listing.pagination),
        contentType: HTML,
        lastModified: newestChange(listing.items),
      }),
      listing.finalStablePage ? FULL_PAGE_HEADERS : undefined,
    );
  };
  getRoute(app, "/", (c) => home(c, null));
  getRoute(app, "/page/:page", (c) => home(c, stablePageParam(c)));

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
    return tagListing(c, tag, articles, null);
  });

  getRoute(app, "/tags/:tag/page/:page", (c) => {
    const tag = c.req.param("tag")!;
    const articles = library.byTag.get(tag);
    if (!articles) throw notFound(`There is no tag “${tag}”.`);
    return tagListing(c, tag, articles, stablePageParam(c));
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
