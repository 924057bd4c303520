/**
 * A feed opened in a browser, as a page: what the feed is, its newest items, its address to
 * copy and links that subscribe in common web readers. Served instead of the feed's bytes only
 * to a browser's own navigation (src/http/feed-negotiation.ts); readers always get the feed.
 * Browsers show `application/rss+xml` as raw text, and XSLT is leaving them, so the XSL
 * stylesheet alone no longer makes a feed readable.
 */
import { html } from "hono/html";
import type { SiteConfig } from "../config.ts";
import type { FeedDocument } from "../feeds/model.ts";
import type { FeedFormat } from "../lib/feed-formats.ts";
import { FEED_FILES } from "../lib/feed-formats.ts";
import { formatDay, machineTime } from "../lib/time.ts";
import { FEED_FORMAT_NAMES, feedsPageUrls } from "./feeds-page.ts";
import { renderPage } from "./layout.ts";

/** How many of the newest items the preview lists. */
const PREVIEW_ITEMS = 10;

/**
 * Web readers that subscribe from a link, with the feed's address as a query or path value.
 * The address is one URI component there, so it is percent-encoded whole (RFC 3986 §2.1).
 */
export function readerSubscribeLinks(feedUrl: string): { name: string; url: string }[] {
  const encoded = encodeURIComponent(feedUrl);
  return [
    // Feedly's stream id is "feed/<address>", encoded as one path segment.
    {
      name: "Feedly",
      url: `https://feedly.com/i/subscription/${encodeURIComponent(`feed/${feedUrl}`)}`,
    },
    { name: "Inoreader", url: `https://www.inoreader.com/?add_feed=${encoded}` },
    { name: "NewsBlur", url: `https://www.newsblur.com/?url=${encoded}` },
    { name: "The Old Reader", url: `https://theoldreader.com/feeds/subscribe?url=${encoded}` },
  ];
}

export function renderFeedPreview(
  config: SiteConfig,
  doc: FeedDocument,
  format: FeedFormat,
): Promise<string> {
  const feedUrl = doc.links[format];
  const items = doc.items.slice(0, PREVIEW_ITEMS);
  const body = html`<h1>${doc.title}</h1>
<p class="note">This is a web feed (${FEED_FORMAT_NAMES[format]}). A feed reader checks it for new items, so you can follow <a href="${doc.homeUrl}">${doc.title}</a> without visiting it. Your browser shows this page; feed readers get the feed itself from the same address.</p>
<h2>Subscribe</h2>
<p>Copy this address into your feed reader (select it, then copy):</p>
<p><code>${feedUrl}</code></p>
<ul class="feeds" aria-label="Subscribe in a reader">${readerSubscribeLinks(feedUrl).map(
    (r) => html`<li><a href="${r.url}" rel="nofollow">Subscribe in ${r.name}</a></li>`,
  )}</ul>
<p>Other formats: ${FEED_FILES.map(([, format]) => format)
    .filter((f) => f !== format)
    .map(
      (f, i) => html`${i > 0 ? " · " : ""}<a href="${doc.links[f]}">${FEED_FORMAT_NAMES[f]}</a>`,
    )} · <a href="${feedsPageUrls(config).page}">every feed of this site</a></p>
<h2>Newest items</h2>
${
  items.length === 0
    ? html`<p>Nothing is in this feed yet.</p>`
    : items.map(
        (item) => html`<article class="card">
<h3 dir="auto"><a href="${item.url}">${item.title}</a></h3>
<p class="meta"><time datetime="${machineTime(item.published.toISOString())}">${formatDay(item.published.toISOString())}</time></p>
<p dir="auto">${item.summary}</p>
</article>`,
      )
}`;
  return renderPage({
    config,
    title: `${doc.title} (feed)`,
    description: doc.description,
    canonical: feedUrl,
    feeds: [{ title: doc.title, ...doc.links }],
    body,
  });
}
