/**
 * Sitemaps (https://www.sitemaps.org/protocol.html) and robots.txt: every page a search engine
 * should know, in files of at most 50,000 URLs listed by one sitemap index.
 */
import type { SiteConfig } from "../config.ts";
import type { Library } from "../content/library.ts";
import { modifiedTime } from "../model/article.ts";
import { escapeHtml } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";

/** The protocol's limit per sitemap file. */
export const SITEMAP_MAX_URLS = 50_000;
export const SITEMAP_CONTENT_TYPE = "application/xml; charset=utf-8";
const NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

export interface SitemapEntry {
  readonly loc: string;
  /** W3C datetime, or null when unknown. */
  readonly lastmod: string | null;
}

/** Every page: home, tags, articles, stories, and the digest archive with each week. */
export function sitemapEntries(
  config: SiteConfig,
  library: Library,
  digests: readonly { readonly week: string; readonly updatedAt: string }[],
): SitemapEntry[] {
  const urls = siteUrls(config);
  const iso = (ms: number) => new Date(ms).toISOString();
  const newest = library.articles[0] ? iso(modifiedTime(library.articles[0])) : null;
  return [
    { loc: urls.home(), lastmod: newest },
    { loc: urls.tags(), lastmod: newest },
    ...library.tags.map((t) => ({
      loc: urls.tag(t.tag),
      lastmod: iso(modifiedTime(library.byTag.get(t.tag)![0]!)),
    })),
    ...library.articles.map((a) => ({ loc: urls.article(a.slug), lastmod: iso(modifiedTime(a)) })),
    ...[...library.stories.values()].map((s) => ({
      loc: urls.story(s.story.id),
      lastmod: iso(Math.max(...s.articles.map(modifiedTime))),
    })),
    { loc: urls.digests(), lastmod: digests[0]?.updatedAt ?? null },
    ...digests.map((d) => ({ loc: urls.digest(d.week), lastmod: d.updatedAt })),
  ];
}

export function sitemapFileCount(entries: number): number {
  return Math.max(1, Math.ceil(entries / SITEMAP_MAX_URLS));
}

const lastmod = (value: string | null) => (value ? `<lastmod>${escapeHtml(value)}</lastmod>` : "");

/** The sitemap index: one <sitemap> per file of at most 50,000 URLs. */
export function renderSitemapIndex(config: SiteConfig, entries: readonly SitemapEntry[]): string {
  const urls = siteUrls(config);
  const files = sitemapFileCount(entries.length);
  const items = Array.from({ length: files }, (_, i) => {
    const slice = entries.slice(i * SITEMAP_MAX_URLS, (i + 1) * SITEMAP_MAX_URLS);
    const newest = slice.reduce<string | null>(
      (m, e) => (e.lastmod && (!m || e.lastmod > m) ? e.lastmod : m),
      null,
    );
    return `<sitemap><loc>${escapeHtml(urls.sitemap(i + 1))}</loc>${lastmod(newest)}</sitemap>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="${NS}">\n${items.join("\n")}\n</sitemapindex>\n`;
}

/** Sitemap file `n` (1-based), or null when there is no such file. */
export function renderSitemapFile(entries: readonly SitemapEntry[], n: number): string | null {
  if (n < 1 || n > sitemapFileCount(entries.length)) return null;
  const slice = entries.slice((n - 1) * SITEMAP_MAX_URLS, n * SITEMAP_MAX_URLS);
  const items = slice.map((e) => `<url><loc>${escapeHtml(e.loc)}</loc>${lastmod(e.lastmod)}</url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${NS}">\n${items.join("\n")}\n</urlset>\n`;
}

/** robots.txt: crawl everything but the admin, and where the sitemap is. */
export function renderRobots(config: SiteConfig): string {
  const urls = siteUrls(config);
  return `User-agent: *\nDisallow: ${new URL(urls.admin()).pathname}\n\nSitemap: ${urls.sitemapIndex()}\n`;
}
