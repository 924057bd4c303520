/** Every URL the site publishes, absolute from the configured base URL. */
import type { SiteConfig } from "../config.ts";

export function siteUrls(config: SiteConfig) {
  const base = config.baseUrl;
  return {
    home: () => `${base}/`,
    article: (slug: string) => `${base}/articles/${encodeURIComponent(slug)}`,
    tag: (tag: string) => `${base}/tags/${encodeURIComponent(tag)}`,
    icon: () => `${base}/icon.png`,
    feeds: () => ({ rss: `${base}/feed.xml`, atom: `${base}/atom.xml`, json: `${base}/feed.json` }),
    tagFeeds: (tag: string) => {
      const t = `${base}/tags/${encodeURIComponent(tag)}`;
      return { rss: `${t}/feed.xml`, atom: `${t}/atom.xml`, json: `${t}/feed.json` };
    },
    digests: () => `${base}/digests`,
    digest: (week: string) => `${base}/digests/${encodeURIComponent(week)}`,
    digestEmail: (week: string, format: "html" | "txt") => `${base}/digests/${encodeURIComponent(week)}/email.${format}`,
    digestFeeds: () => ({ rss: `${base}/digests/feed.xml`, atom: `${base}/digests/atom.xml`, json: `${base}/digests/feed.json` }),
    unsubscribeInfo: () => `${base}/unsubscribe`,
    unsubscribe: (token: string) => `${base}/unsubscribe/${encodeURIComponent(token)}`,
    confirm: (token: string) => `${base}/confirm/${encodeURIComponent(token)}`,
    subscribe: () => `${base}/subscribe`,
    /** RFC 4151 tag URI: stable across formats and URL layout changes. */
    feedId: (specific = "feed") => `tag:${new URL(base).hostname},2024:${specific}`,
    stylesheetPath: "/feed.xsl",
  };
}
