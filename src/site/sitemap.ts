/**
 * Sitemaps (https://www.sitemaps.org/protocol.html) and robots.txt: every page a search engine
 * should know, in files of at most 50,000 URLs listed by one sitemap index. The pages that are
 * not articles come first (they are few, and known from the content version's meta); the
 * articles follow, newest first, fetched a file at a time.
 */
import type { SiteConfig } from "../config.ts";
import type { ContentMeta } from "../content/meta.ts";
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

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Every page but the articles: home, tags, stories, and the digest archive with each week. */
export function sitemapHead(
  config: SiteConfig,
  meta: ContentMeta,
  digests: readonly { readonly week: string; readonly updatedAt: string }[],
): SitemapEntry[] {
  const urls = siteUrls(config);
  const newest = iso(meta.newestModifiedMs);
  return [
    { loc: urls.home(), lastmod: newest },
    { loc: urls.tags(), lastmod: newest },
    ...meta.tags.map((t) => ({ loc: urls.tag(t.tag), lastmod: iso(t.newestModifiedMs) })),
    ...meta.stories
      .filter((s) => s.count > 0)
      .map((s) => ({ loc: urls.story(s.id), lastmod: iso(s.newestModifiedMs) })),
    { loc: urls.digests(), lastmod: digests[0]?.updatedAt ?? null },
    ...digests.map((d) => ({ loc: urls.digest(d.week), lastmod: d.updatedAt })),
  ];
}

export function articleEntries(
  config: SiteConfig,
  locations: readonly { slug: string; modifiedMs: number }[],
): SitemapEntry[] {
  const urls = siteUrls(config);
  return locations.map((l) => ({ loc: urls.article(l.slug), lastmod: iso(l.modifiedMs) }));
}

export function sitemapFileCount(entries: number): number {
  return Math.max(1, Math.ceil(entries / SITEMAP_MAX_URLS));
}

/** Which head entries and which slice of the articles (newest first) file `n` holds. */
export function sitemapFileSlice(
  headCount: number,
  n: number,
): { head: { start: number; end: number }; articles: { offset: number; limit: number } } {
  const start = (n - 1) * SITEMAP_MAX_URLS;
  const end = n * SITEMAP_MAX_URLS;
  const headEnd = Math.min(headCount, end);
  const articleStart = Math.max(0, start - headCount);
  return {
    head: { start: Math.min(start, headCount), end: headEnd },
    articles: { offset: articleStart, limit: end - headCount - articleStart },
  };
}

const lastmod = (value: string | null) => (value ? `<lastmod>${escapeHtml(value)}</lastmod>` : "");

/** The sitemap index: one <sitemap> per file, with the newest lastmod each file holds. */
export function renderSitemapIndex(
  config: SiteConfig,
  fileLastmods: readonly (string | null)[],
): string {
  const urls = siteUrls(config);
  const items = fileLastmods.map(
    (newest, i) =>
      `<sitemap><loc>${escapeHtml(urls.sitemap(i + 1))}</loc>${lastmod(newest)}</sitemap>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="${NS}">\n${items.join("\n")}\n</sitemapindex>\n`;
}

export function renderSitemapFile(entries: readonly SitemapEntry[]): string {
  const items = entries.map(
    (e) => `<url><loc>${escapeHtml(e.loc)}</loc>${lastmod(e.lastmod)}</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${NS}">\n${items.join("\n")}\n</urlset>\n`;
}

/** The newest of some W3C datetimes (all UTC ISO strings, so they compare as text). */
export function newestLastmod(values: readonly (string | null)[]): string | null {
  return values.reduce<string | null>((m, v) => (v && (!m || v > m) ? v : m), null);
}

/** robots.txt: crawl everything but the admin, and where the sitemap is. */
export function renderRobots(config: SiteConfig): string {
  const urls = siteUrls(config);
  return `User-agent: *\nDisallow: ${new URL(urls.admin()).pathname}\n\nSitemap: ${urls.sitemapIndex()}\n`;
}
