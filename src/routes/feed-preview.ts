/**
 * The two variants of every feed URL (src/http/feed-negotiation.ts): the feed, or for a
 * browser's own navigation an HTML preview of the same document. Each variant is rendered,
 * cached and validated on its own (its own key, so its own strong ETag); both carry `Vary`.
 */
import type { Context } from "hono";
import type { SiteConfig } from "../config.ts";
import type { FeedDocument } from "../feeds/model.ts";
import { renderFeed } from "../feeds/render.ts";
import { FEED_VARY, wantsFeedPreview } from "../http/feed-negotiation.ts";
import { FEED_CONTENT_TYPES, type FeedFormat } from "../lib/feed-formats.ts";
import { HTML_CONTENT_TYPE } from "../lib/html.ts";
import { renderFeedPreview } from "../site/feed-preview.ts";
import type { AppEnv, Rendered } from "./context.ts";

export interface FeedVariant {
  readonly preview: boolean;
  /** Prefixed to the cache key: the variants are different bytes. */
  readonly keyPrefix: "feed" | "feed-preview";
  /** Headers for both variants (`Vary`), with the caller's own. */
  readonly headers: (own: Record<string, string>) => Record<string, string>;
}

export function feedVariant(c: Context<AppEnv>, format: FeedFormat): FeedVariant {
  const preview = wantsFeedPreview(c.req.raw.headers, FEED_CONTENT_TYPES[format]);
  return {
    preview,
    keyPrefix: preview ? "feed-preview" : "feed",
    headers: (own) => ({ ...own, Vary: FEED_VARY }),
  };
}

/**
 * `doc` as the variant asks: the feed's bytes (with `feedHeaders`, e.g. a final archive page's
 * long max-age), or the preview page. The preview is `private`: a shared cache that ignores
 * `Vary` (some CDNs do) must never hand the HTML page to a feed reader.
 */
export async function renderFeedVariant(
  variant: FeedVariant,
  config: SiteConfig,
  format: FeedFormat,
  doc: FeedDocument,
  lastModified: Date | null,
  feedHeaders: Readonly<Record<string, string>> = {},
): Promise<Rendered> {
  if (!variant.preview) {
    return {
      body: renderFeed(format, doc),
      contentType: FEED_CONTENT_TYPES[format],
      lastModified,
      headers: feedHeaders,
    };
  }
  return {
    body: await renderFeedPreview(config, doc, format),
    contentType: HTML_CONTENT_TYPE,
    lastModified,
    headers: { "Cache-Control": `private, max-age=${config.cacheMaxAge}` },
  };
}
