/**
 * A feed, independent of its format. `renderRss`, `renderAtom` and `renderJsonFeed` each turn
 * one of these into bytes; nothing format-specific lives here.
 */
import type { FeedUrls } from "../lib/feed-formats.ts";

export interface FeedDocument {
  /** Stable id of the feed itself (Atom `<id>`), not its URL. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The page this feed mirrors. */
  readonly homeUrl: string;
  /** Absolute URL of this feed in each format, for self links. */
  readonly links: FeedUrls;
  /** Root-relative URL of the XSL stylesheet that lets a browser show the XML as a page. */
  readonly stylesheet: string | null;
  readonly language: string;
  readonly iconUrl: string;
  readonly author: { readonly name: string; readonly email: string | null; readonly url: string };
  readonly hubUrl: string | null;
  /** Where this document sits among the feed's archive pages (RFC 5005), or null. */
  readonly archive: FeedArchiveLinks | null;
  /** The newest item's change time, never the request time: same content, same bytes. */
  readonly updated: Date;
  readonly items: readonly FeedItem[];
}

export interface FeedItem {
  /** Permanent id: RSS guid (isPermaLink="false"), Atom id, JSON Feed id. */
  readonly id: string;
  readonly title: string;
  readonly url: string;
  /** Plain text. */
  readonly summary: string;
  /** Sanitized HTML. Relative URLs in it are relative to `url`: renderFeed makes them absolute. */
  readonly contentHtml: string;
  readonly published: Date;
  readonly updated: Date;
  readonly authors: readonly string[];
  readonly categories: readonly { readonly term: string; readonly url: string }[];
}

/**
 * RFC 5005 archived feeds (https://www.rfc-editor.org/rfc/rfc5005#section-4): the subscription
 * feed links its newest archive page as prev-archive; each archive page links the older one
 * (prev-archive), the newer one (next-archive) and the subscription feed (current).
 */
export interface FeedArchiveLinks {
  /** True on an archive page (it carries `fh:archive`), false on the subscription feed. */
  readonly isArchive: boolean;
  readonly current: FeedUrls;
  /** The next older archive page. */
  readonly prev: FeedUrls | null;
  /** The next newer archive page (none from the newest archive page or the feed itself). */
  readonly next: FeedUrls | null;
}
