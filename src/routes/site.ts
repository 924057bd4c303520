/** The website: latest articles, article pages, tag pages, the tag index, the icon. */
import type { Context, Hono } from "hono";
import { APPLE_TOUCH_ICON_PNG_BASE64, ICON_PNG_BASE64 } from "../generated/icon.ts";
import { archivePageRange, archivePlan, isFinalPage } from "../feeds/archive.ts";
import { echo } from "../http/echo.ts";
import { gone, notFound } from "../http/errors.ts";
import { intParam } from "../http/query.ts";
import { fromBase64 } from "../lib/base64.ts";
import { HTML_CONTENT_TYPE as HTML } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";
import { newestChange } from "../model/article.ts";
import {
  type Pagination,
  renderArticlePage,
  renderHomePage,
  renderStoryPage,
  renderTagIndexPage,
  renderTagPage,
} from "../site/pages.ts";
import { type AppEnv, openContent, type RouteDeps, serveCached, serveContent } from "./context.ts";
import { getRoute } from "./methods.ts";

export const PAGE_SIZE = 20;

/**
 * One page of a listing. `/` (or a tag's page) shows the newest PAGE_SIZE articles; older ones
 * are on stable pages, `/page/{n}`, numbered from the oldest like the feeds' archive pages
 * (RFC 5005), so a full page never changes and its links can be cached and shared. `?page=N`
 * (newest first, pages shift as articles arrive) still answers for old links.
 * Which articles it shows is decided from the count alone; `range` says which to fetch.
 */
function listingPage(
  total: number,
  base: string,
  request: { query: number | null; stable: number | null },
): { range: { offset: number; limit: number }; pagination: Pagination; finalStablePage: boolean } {
  const plan = archivePlan(total, PAGE_SIZE);
  const stableUrl = (n: number) => `${base.replace(/\/$/, "")}/page/${n}`;
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
      range: archivePageRange(total, plan, n),
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
  const range = { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
  const queryUrl = (p: number) => (p === 1 ? base : `${base}?page=${p}`);
  return {
    range,
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

const ICON = fromBase64(ICON_PNG_BASE64)!;
const APPLE_TOUCH_ICON = fromBase64(APPLE_TOUCH_ICON_PNG_BASE64)!;

/** The `{page}` of a stable page's path: a positive whole number, else 404. */
function stablePageParam(c: Context<AppEnv>): number {
  const raw = c.req.param("page")!;
  if (!/^[1-9]\d{0,8}$/.test(raw))
    throw notFound(`There is no page “${echo(raw)}”: pages are numbered 1, 2, 3, ….`);
  return Number(raw);
}

export function registerSiteRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  const pageParam = (c: Parameters<typeof intParam>[0]) => intParam(c, "page", 1, 1, 1_000_000);

  /** The home page (tag null) or a tag's page: the newest, a stable page, or a `?page=`. */
  const listing = async (c: Context<AppEnv>, tag: string | null, stable: number | null) => {
    const view = await openContent(c, deps);
    if (tag !== null && view.tag(tag) === null) throw notFound(`There is no tag “${echo(tag)}”.`);
    const query = stable === null ? pageParam(c) : null;
    const urls = siteUrls(c.var.config);
    const page = listingPage(view.count(tag), tag === null ? urls.home() : urls.tag(tag), {
      query,
      stable,
    });
    return serveContent(
      c,
      deps,
      `${tag === null ? "home" : `tag:${tag}`}:${query ?? ""}:${stable ?? ""}`,
      async (v, config) => {
        const items = await v.list(tag, page.range.limit, page.range.offset);
        return {
          body:
            tag === null
              ? await renderHomePage(config, items, page.pagination)
              : await renderTagPage(config, tag, items, page.pagination),
          contentType: HTML,
          lastModified: newestChange(items),
          ...(page.finalStablePage ? { headers: FULL_PAGE_HEADERS } : {}),
        };
      },
    );
  };
  getRoute(app, "/", (c) => listing(c, null, null));
  getRoute(app, "/page/:page", (c) => listing(c, null, stablePageParam(c)));
  getRoute(app, "/tags/:tag", (c) => listing(c, c.req.param("tag")!, null));
  getRoute(app, "/tags/:tag/page/:page", (c) =>
    listing(c, c.req.param("tag")!, stablePageParam(c)),
  );

  getRoute(app, "/articles/:slug", (c) => {
    const slug = c.req.param("slug")!;
    return serveContent(c, deps, `article:${slug}`, async (view, config) => {
      const found = await view.article(slug);
      if (found.kind === "gone") {
        throw gone(`“${found.title}” has been withdrawn and is no longer published here.`);
      }
      if (found.kind === "missing")
        throw notFound(`There is no article at “${echo(slug)}”. It may have been mistyped.`);
      return {
        body: await renderArticlePage(config, found.article, found.story),
        contentType: HTML,
        lastModified: newestChange([found.article]),
      };
    });
  });

  getRoute(app, "/stories/:story", (c) => {
    const id = c.req.param("story")!;
    return serveContent(c, deps, `story:${id}`, async (view, config) => {
      const entry = await view.storyEntry(id);
      if (!entry) throw notFound(`There is no story “${echo(id)}”.`);
      return {
        body: await renderStoryPage(config, entry),
        contentType: HTML,
        lastModified: newestChange(entry.articles),
      };
    });
  });

  getRoute(app, "/tags", (c) =>
    serveContent(c, deps, "tags", async (view, config) => ({
      body: await renderTagIndexPage(config, view.meta.tags),
      contentType: HTML,
      lastModified:
        view.meta.newestModifiedMs === null ? null : new Date(view.meta.newestModifiedMs),
    })),
  );

  // iOS asks for /apple-touch-icon.png, and older versions for the -precomposed name, at the
  // site's root even when no page links them; both get the 180px rendition.
  const icons: [string, string, Uint8Array][] = [
    ["/icon.png", "icon", ICON],
    ["/favicon.ico", "icon", ICON],
    ["/apple-touch-icon.png", "apple-touch-icon", APPLE_TOUCH_ICON],
    ["/apple-touch-icon-precomposed.png", "apple-touch-icon", APPLE_TOUCH_ICON],
  ];
  for (const [path, key, png] of icons) {
    getRoute(app, path, (c) =>
      serveCached(c, deps, key, () => ({
        body: png,
        contentType: "image/png",
        lastModified: null,
      })),
    );
  }
}
