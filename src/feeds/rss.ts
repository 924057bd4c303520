/** RSS 2.0 (https://www.rssboard.org/rss-specification) with content:encoded and atom:link. */
import { toFeedLibrary } from "./feed-library.ts";
import type { FeedDocument } from "./model.ts";

export function renderRss(doc: FeedDocument): string {
  return toFeedLibrary(doc, "rss").rss2();
}
