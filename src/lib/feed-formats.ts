/** The feed formats the site publishes, by file name and media type. */
export type FeedFormat = "rss" | "atom" | "json";

/** `feed.xml` → RSS 2.0, `atom.xml` → Atom 1.0, `feed.json` → JSON Feed 1.1. */
export const FEED_FILES: readonly (readonly [file: string, format: FeedFormat])[] = [
  ["feed.xml", "rss"],
  ["atom.xml", "atom"],
  ["feed.json", "json"],
];

export const FEED_CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};

/** A feed's URL in each format. */
export type FeedUrls = Readonly<Record<FeedFormat, string>>;
