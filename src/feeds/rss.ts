/** RSS 2.0 (https://www.rssboard.org/rss-specification) with content:encoded and atom:link. */
import { toFeedLibrary, withArchiveLinks } from "./feed-library.ts";
import type { FeedDocument } from "./model.ts";

export function renderRss(doc: FeedDocument): string {
  return withArchiveLinks(toFeedLibrary(doc, "rss").rss2(), doc, "rss");
}
