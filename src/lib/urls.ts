/** Every URL the site publishes, absolute from the configured base URL. */
import { FEED_FILES, type FeedUrls } from "./feed-formats.ts";

/** The feed of each format under `prefix` (an absolute URL without a trailing slash). */
function feedUrls(prefix: string): FeedUrls {
  const urls: Partial<Record<keyof FeedUrls, string>> = {};
  for (const [file, format] of FEED_FILES) urls[format] = `${prefix}/${file}`;
  return urls as FeedUrls;
}

export type SiteUrls = ReturnType<typeof siteUrls>;

/** `base`: the site's origin and optional path prefix, without a trailing slash (BASE_URL). */
export function siteUrls({ baseUrl: base }: { readonly baseUrl: string }) {
  const tag = (name: string) => `${base}/tags/${encodeURIComponent(name)}`;
  return {
    home: () => `${base}/`,
    article: (slug: string) => `${base}/articles/${encodeURIComponent(slug)}`,
    tags: () => `${base}/tags`,
    tag,
    icon: () => `${base}/icon.png`,
    /** The 180px icon iOS puts on a home screen (its `apple-touch-icon` link). */
    appleTouchIcon: () => `${base}/apple-touch-icon.png`,
    /** The page listing every feed (site, tags, digests), with the OPML. */
    allFeeds: () => `${base}/feeds`,
    feeds: () => feedUrls(base),
    tagFeeds: (name: string) => feedUrls(tag(name)),
    /** An archive page of the site's feed, or of a tag's (RFC 5005 archived feeds). */
    feedArchive: (page: number, tagName: string | null = null) =>
      feedUrls(`${tagName === null ? base : tag(tagName)}/archive/${page}`),
    sitemapIndex: () => `${base}/sitemap.xml`,
    sitemap: (n: number) => `${base}/sitemaps/${n}.xml`,
    story: (id: string) => `${base}/stories/${encodeURIComponent(id)}`,
    digests: () => `${base}/digests`,
    digest: (week: string) => `${base}/digests/${encodeURIComponent(week)}`,
    digestEmail: (week: string, format: "html" | "txt") =>
      `${base}/digests/${encodeURIComponent(week)}/email.${format}`,
    digestFeeds: () => feedUrls(`${base}/digests`),
    unsubscribeInfo: () => `${base}/unsubscribe`,
    unsubscribe: (token: string) => `${base}/unsubscribe/${encodeURIComponent(token)}`,
    confirm: (token: string) => `${base}/confirm/${encodeURIComponent(token)}`,
    subscribe: () => `${base}/subscribe`,
    /** The sign-up page with a developing story's box ticked ("follow this story by email"). */
    followStory: (id: string) => `${base}/subscribe?story=${encodeURIComponent(id)}`,
    /** A reader's topics, pause and unsubscribe, behind their token (no account). */
    preferences: (token: string) => `${base}/preferences/${encodeURIComponent(token)}`,
    admin: () => `${base}/admin`,
    adminOutbox: () => `${base}/admin/outbox`,
    adminOutboxJson: () => `${base}/admin/outbox.json`,
    adminOutboxMessage: (id: number) => `${base}/admin/outbox/${id}.eml`,
    adminDigestAction: (
      week: string,
      action: "send" | "rebuild" | "test" | "review" | "approve" | "schedule" | "cancel",
    ) => `${base}/admin/digests/${encodeURIComponent(week)}/${action}`,
    /** RFC 4151 tag URI: stable across formats and URL layout changes. */
    feedId: (specific = "feed") => `tag:${new URL(base).hostname},2024:${specific}`,
    /**
     * Root-relative URL of the feeds' XSL stylesheet. `<?xml-stylesheet?>` must name the same
     * origin as the feed, and a site served under a path prefix serves it under that prefix.
     */
    stylesheetPath: () => `${new URL(base).pathname.replace(/\/+$/, "")}/feed.xsl`,
  };
}
