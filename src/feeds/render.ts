/** Every feed format, by file name and renderer: what the feed routes serve. */
import { renderAtom } from "./atom.ts";
import { renderJsonFeed } from "./json.ts";
import type { FeedDocument, FeedFormat } from "./model.ts";
import { renderRss } from "./rss.ts";

const RENDERERS: Readonly<Record<FeedFormat, (doc: FeedDocument) => string>> = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };

/** `feed.xml` → RSS 2.0, `atom.xml` → Atom 1.0, `feed.json` → JSON Feed 1.1. */
export const FEED_FILES: readonly (readonly [file: string, format: FeedFormat])[] = [
  ["feed.xml", "rss"],
  ["atom.xml", "atom"],
  ["feed.json", "json"],
];

export function renderFeed(format: FeedFormat, doc: FeedDocument): string {
  return RENDERERS[format](doc);
}
