/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). The `feed` package writes version 1
 * (single `author`, no `language`); this upgrades its output to 1.1: `authors` arrays, `language`,
 * `favicon` and WebSub `hubs`.
 */
import { toFeedLibrary } from "./feed-library.ts";
import type { FeedDocument } from "./model.ts";

interface JsonFeedV1Item {
  id: string;
  url?: string;
  title?: string;
  content_html?: string;
  summary?: string;
  date_published?: string;
  date_modified?: string;
  tags?: string[];
  author?: unknown;
}

export function renderJsonFeed(doc: FeedDocument): string {
  const v1 = JSON.parse(toFeedLibrary(doc, "json").json1()) as { items: JsonFeedV1Item[] };
  const authorsById = new Map(doc.items.map((i) => [i.id, i.authors] as const));
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
    items: v1.items.map(({ author: _single, ...item }) => ({
      id: item.id,
      url: item.url,
      title: item.title,
      summary: item.summary,
      content_html: item.content_html,
      date_published: item.date_published,
      date_modified: item.date_modified,
      authors: (authorsById.get(item.id) ?? []).map((name) => ({ name })),
      tags: item.tags,
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
