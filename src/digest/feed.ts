/** The digest feeds: each stored digest is one item, its summary the content. */
import type { SiteConfig } from "../config.ts";
import type { FeedDocument } from "../feeds/model.ts";
import { siteUrls } from "../lib/urls.ts";
import { digestLinks } from "./email/links.ts";
import { type DigestListing, digestPublished } from "./store.ts";
import { digestSummaryHtml } from "./summary-html.ts";
import { leadLine } from "./summary/lead.ts";
import { digestFeedTitle, digestTitle } from "./titles.ts";

export async function buildDigestFeedDocument(
  config: SiteConfig,
  digests: readonly DigestListing[],
): Promise<FeedDocument> {
  const urls = siteUrls(config);
  const items = await Promise.all(
    digests.map(async (d) => ({
      id: d.id,
      // The editor's subject, when the week has one (content/issues/{week}.md).
      title: d.summary.issue?.subject ?? digestTitle(d.summary),
      url: urls.digest(d.week),
      // The teaser is read alone: the first item only if it stands alone (lead.ts).
      summary: leadLine(d.summary),
      contentHtml: await digestSummaryHtml(d.summary, digestLinks(config, d.week)),
      published: new Date(digestPublished(d.summary)),
      updated: new Date(d.updatedAt),
      authors: [config.author.name],
      categories: [...new Set(d.summary.pairs.flatMap((p) => p.ids))].map((id) => ({
        term: id,
        url: urls.tag(id),
      })),
    })),
  );
  const updated = items.reduce((max, i) => Math.max(max, i.updated.getTime()), 0);
  return {
    id: urls.feedId("digests"),
    title: digestFeedTitle(config.title),
    description: `Each week's developments between Russia, North Korea, China and the actors around them, from ${config.title}.`,
    homeUrl: urls.digests(),
    links: urls.digestFeeds(),
    stylesheet: urls.stylesheetPath(),
    language: config.language,
    iconUrl: urls.icon(),
    author: { name: config.author.name, email: config.author.email, url: urls.home() },
    hubUrl: config.hubUrl,
    archive: null,
    updated: new Date(updated),
    items,
  };
}
