/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written straight from the
 * FeedDocument: `authors` arrays, `language`, `favicon`, WebSub `hubs` and `next_url` are 1.1's,
 * and the `feed` package writes only version 1.
 */
import type { FeedDocument, FeedItem } from "./model.ts";

/** A JSON Feed item: `id` is required, and one of `content_html` or `content_text`. */
function jsonItem(item: FeedItem) {
  return {
    id: item.id,
    url: item.url,
    // Optional in JSON Feed, and omitted rather than empty (`undefined` is left out).
    title: item.title || undefined,
    summary: item.summary || undefined,
    content_html: item.contentHtml,
    date_published: item.published.toISOString(),
    date_modified: item.updated.toISOString(),
    authors: item.authors.map((name) => ({ name })),
    tags: item.categories.map((c) => c.term).filter((term) => term !== ""),
  };
}

export function renderJsonFeed(doc: FeedDocument): string {
  const feed = {
    version: "https://jsonfeed.org/version/1.1",
    title: doc.title,
    home_page_url: doc.homeUrl,
    feed_url: doc.links.json,
    description: doc.description,
    icon: doc.iconUrl,
    favicon: doc.iconUrl,
    language: doc.language,
    authors: [{ name: doc.author.name, url: doc.author.url }],
    ...(doc.hubUrl ? { hubs: [{ type: "WebSub", url: doc.hubUrl }] } : {}),
    // JSON Feed 1.1 pagination: next_url leads to older items, the next archive page down.
    ...(doc.archive?.prev ? { next_url: doc.archive.prev.json } : {}),
    items: doc.items.map(jsonItem),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
