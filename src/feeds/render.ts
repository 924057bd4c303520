/** Every feed format's renderer: what the feed routes serve. */
import type { FeedFormat } from "../lib/feed-formats.ts";
import { renderAtom } from "./atom.ts";
import { renderJsonFeed } from "./json.ts";
import type { FeedDocument } from "./model.ts";
import { readerReady } from "./reader-ready.ts";
import { renderRss } from "./rss.ts";

const RENDERERS: Readonly<Record<FeedFormat, (doc: FeedDocument) => string>> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** `doc` in `format`: plain text cleaned and content URLs made absolute first (reader-ready.ts). */
export function renderFeed(format: FeedFormat, doc: FeedDocument): string {
  return RENDERERS[format](readerReady(doc));
}
