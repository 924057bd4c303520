/**
 * `/feeds`: every feed the site publishes (the site's, each tag's, the digest's), each in RSS,
 * Atom and JSON Feed, with its address as selectable text. No copy button: the site's pages run
 * no script (src/http/content-security-policy.ts), and a button that only works with script
 * would need a policy exception for a convenience; the address is shown whole in a <code>
 * element, which a tap or triple-click selects, and the OPML file subscribes to all at once.
 */
import { html } from "hono/html";
import type { SiteConfig } from "../config.ts";
import type { FeedFormat, FeedUrls } from "../lib/feed-formats.ts";
import { FEED_FILES } from "../lib/feed-formats.ts";
import type { Html } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";
import { DIGEST_NAME, digestFeedTitle } from "../digest/titles.ts";
import type { OpmlGroup } from "../feeds/opml.ts";
import type { Actor } from "../model/actor.ts";
import { renderPage } from "./layout.ts";

/** Names a reader shows for each format. */
export const FEED_FORMAT_NAMES: Readonly<Record<FeedFormat, string>> = {
  rss: "RSS 2.0",
  atom: "Atom 1.0",
  json: "JSON Feed 1.1",
};

/** One feed the site publishes, in every format. */
export interface FeedListing {
  readonly title: string;
  readonly description: string;
  /** The page the feed mirrors. */
  readonly homeUrl: string;
  readonly urls: FeedUrls;
}

/** The addresses of `/feeds` and `/feeds.opml` under BASE_URL. */
export function feedsPageUrls(config: Pick<SiteConfig, "baseUrl">) {
  return { page: `${config.baseUrl}/feeds`, opml: `${config.baseUrl}/feeds.opml` };
}

/** Every feed: the site's, the digest's, then each tag's in the order given. */
export function listFeeds(config: SiteConfig, tags: readonly string[]): FeedListing[] {
  const urls = siteUrls(config);
  return [
    {
      title: config.title,
      description: "Every article, newest first.",
      homeUrl: urls.home(),
      urls: urls.feeds(),
    },
    {
      title: digestFeedTitle(config.title),
      description: "One item a week: the week’s axis developments.",
      homeUrl: urls.digests(),
      urls: urls.digestFeeds(),
    },
    ...tags.map((tag) => ({
      title: `${config.title}: ${tag}`,
      description: `Articles tagged “${tag}”.`,
      homeUrl: urls.tag(tag),
      urls: urls.tagFeeds(tag),
    })),
  ];
}

/**
 * A tag as a reader reads it: the watch list's name when the tag is an actor's id
 * ("north-korea" → "North Korea"), else its words ("arms-trade" → "Arms trade").
 */
export function tagTitle(tag: string, actors: readonly Pick<Actor, "id" | "name">[]): string {
  const actor = actors.find((a) => a.id === tag);
  if (actor) return actor.name;
  const words = tag.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * `/feeds.opml`'s groups, RSS for each feed (the one format every reader that imports OPML
 * reads): the site's feed, the digest's, then the tags', each titled for a person.
 */
export function opmlGroups(
  config: SiteConfig,
  tags: readonly string[],
  actors: readonly Pick<Actor, "id" | "name">[],
): OpmlGroup[] {
  const [site, digest, ...tagFeeds] = listFeeds(config, tags);
  const outline = (f: FeedListing, title = f.title) => ({
    title,
    xmlUrl: f.urls.rss,
    htmlUrl: f.homeUrl,
  });
  return [
    { title: "The site: every article", outlines: [outline(site!)] },
    { title: `The ${DIGEST_NAME}`, outlines: [outline(digest!)] },
    {
      title: "Tags: the same articles, by subject",
      outlines: tagFeeds.map((f, i) =>
        outline(f, `${config.title}: ${tagTitle(tags[i]!, actors)}`),
      ),
    },
  ];
}

/** A feed's address in each format, as links and as text to select and copy. */
export function feedAddressList(feed: FeedListing): Html {
  return html`<ul class="timeline">${FEED_FILES.map(([, format]) => format).map(
    (format) =>
      html`<li><a href="${feed.urls[format]}">${FEED_FORMAT_NAMES[format]}</a>: <code>${feed.urls[format]}</code></li>`,
  )}</ul>`;
}

export function renderFeedsPage(config: SiteConfig, tags: readonly string[]): Promise<string> {
  const feeds = listFeeds(config, tags);
  const opml = feedsPageUrls(config).opml;
  const body = html`<h1>Feeds</h1>
<p>Follow ${config.title} in any feed reader: copy a feed’s address below (select it, then copy) and add it to your reader. RSS suits every reader; Atom and JSON Feed carry the same items.</p>
<p>To follow all of them at once, import <a href="${opml}" type="text/x-opml">the OPML list of every feed</a> into your reader.</p>
${feeds.map(
  (f) => html`<section class="card">
<h2><a href="${f.homeUrl}">${f.title}</a></h2>
<p>${f.description}</p>
${feedAddressList(f)}
</section>`,
)}`;
  return renderPage({
    config,
    title: `Feeds · ${config.title}`,
    description: `Every feed of ${config.title}, for feed readers.`,
    canonical: feedsPageUrls(config).page,
    feeds: [{ title: config.title, ...siteUrls(config).feeds() }],
    body,
  });
}
