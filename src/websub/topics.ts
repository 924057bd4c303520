/**
 * Which feed URLs (WebSub "topics", https://www.w3.org/TR/websub/#definitions) a change touches:
 * a hub is told the exact URLs subscribers fetch, so every format of each changed feed.
 */
import type { SiteConfig } from "../config.ts";
import { siteUrls } from "../lib/urls.ts";

/** The site's feeds (RSS, Atom, JSON) and, for each tag in `tags`, that tag's feeds. */
export function publishTopics(config: SiteConfig, tags: Iterable<string>): string[] {
  const urls = siteUrls(config);
  const topics = Object.values(urls.feeds());
  for (const tag of [...new Set(tags)].sort()) topics.push(...Object.values(urls.tagFeeds(tag)));
  return topics;
}

/** The digest feeds, which change when a new digest is built. */
export function digestTopics(config: SiteConfig): string[] {
  return Object.values(siteUrls(config).digestFeeds());
}
