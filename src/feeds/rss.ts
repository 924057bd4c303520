/**
 * RSS 2.0 (https://www.rssboard.org/rss-specification) with content:encoded and atom:link,
 * through the `feed` package (feed-library.ts), and what only RSS needs: the managing editor,
 * titles as plain text, the summary as HTML, and authors as dc:creator.
 */
import { escapeHtml } from "../lib/html.ts";
import {
  cdataSafe,
  type EntryParts,
  feedText,
  toFeedLibrary,
  withArchiveLinks,
} from "./feed-library.ts";
import type { FeedDocument, FeedItem } from "./model.ts";

export function renderRss(doc: FeedDocument): string {
  const entry = (item: FeedItem): EntryParts => ({
    title: item.title,
    // RSS 2.0's description is HTML: the plain-text summary, escaped.
    description: cdataSafe(escapeHtml(item.summary)),
    // RSS's <author> must be an email address; names go in Dublin Core's dc:creator instead.
    extensions: [
      // Replaces the package's CDATA title (same key, so same place) with plain XML text.
      { name: "title", objects: { _text: feedText(item.title) } },
      {
        name: "dc:creator",
        objects: item.authors.map((name) => ({ _text: feedText(name) })) as unknown as Record<
          string,
          unknown
        >,
      },
    ],
  });
  const feed = toFeedLibrary(doc, entry);
  if (doc.author.email) {
    // RSS 2.0's managingEditor must be an email address, optionally with the name in parentheses.
    feed.addExtension({
      name: "managingEditor",
      objects: { _text: feedText(`${doc.author.email} (${doc.author.name})`) },
    });
  }
  return withArchiveLinks(feed.rss2(), doc, "rss");
}
