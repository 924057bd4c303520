/** The digest archive and each week's web version. */
import { html } from "hono/html";
import type { SiteConfig } from "../config.ts";
import { digestLinks } from "../digest/email/links.ts";
import { type DigestListing, digestPublished, type StoredDigest } from "../digest/store.ts";
import { digestSummaryFragment } from "../digest/summary-html.ts";
import { leadLine } from "../digest/summary/lead.ts";
import { digestFeedTitle, digestHeading, digestSubject, digestTitle } from "../digest/titles.ts";
import { formatDayIn, machineTime, weekSpan } from "../lib/time.ts";
import { siteUrls } from "../lib/urls.ts";
import { feedLinkList, type FeedLinks, renderPage } from "./layout.ts";
import { subscribeForm } from "./subscribe-pages.ts";

export function digestFeedLinks(config: SiteConfig): FeedLinks {
  return { title: digestFeedTitle(config.title), ...siteUrls(config).digestFeeds() };
}

export function renderDigestArchivePage(
  config: SiteConfig,
  digests: readonly DigestListing[],
): Promise<string> {
  const urls = siteUrls(config);
  const feeds = digestFeedLinks(config);
  return renderPage({
    config,
    title: `Weekly digests · ${config.title}`,
    description:
      "Every week's axis developments: the key events, who was active, key figures and the week's articles.",
    canonical: urls.digests(),
    feeds: [feeds],
    share: { title: "Weekly digests" },
    body: html`<h1>Weekly digests</h1>
<p>Every week that has articles gets a digest: its key developments, which actors were active together, key figures and the week’s articles. Follow them:</p>
${feedLinkList(feeds)}
${subscribeForm(config, "digest-archive")}
${
  digests.length === 0
    ? html`<p>No digests yet.</p>`
    : digests.map(
        (d) => html`<article class="card">
<h2><a href="${urls.digest(d.week)}">${weekSpan(d.summary.start, d.summary.end, d.summary.timeZone)}</a></h2>
<p class="meta">${d.week} · ${d.articleCount === 1 ? "1 article" : `${d.articleCount} articles`} · published <time datetime="${machineTime(digestPublished(d.summary))}">${formatDayIn(digestPublished(d.summary), d.summary.timeZone)}</time></p>
<p dir="auto">${leadLine(d.summary)}</p>
</article>`,
      )
}`,
  });
}

export function renderDigestPage(config: SiteConfig, digest: StoredDigest): Promise<string> {
  const urls = siteUrls(config);
  const links = digestLinks(config, digest.week);
  return renderPage({
    config,
    title: `${digestTitle(digest.summary)} · ${config.title}`,
    description: leadLine(digest.summary),
    canonical: urls.digest(digest.week),
    feeds: [digestFeedLinks(config)],
    share: {
      title: digestTitle(digest.summary),
      article: { published: digestPublished(digest.summary), modified: digest.updatedAt },
    },
    body: html`<article class="body">
<h1>${digestSubject(digest.summary)}</h1>${
      digest.summary.issue
        ? html`
<p class="meta">${digestHeading(digest.summary)}</p>`
        : ""
    }
<p class="meta">${digest.week} (${digest.summary.timeZone}) · published <time datetime="${machineTime(digestPublished(digest.summary))}">${formatDayIn(digestPublished(digest.summary), digest.summary.timeZone)}</time> · ${digest.articleCount === 1 ? "1 article" : `${digest.articleCount} articles`} · <a href="${urls.digestEmail(digest.week, "html")}">email version</a> · <a href="${urls.digestEmail(digest.week, "txt")}">plain text</a></p>
${digestSummaryFragment(digest.summary, links, { articles: true })}
${subscribeForm(config, "digest-page")}
<p><a href="${urls.digests()}">All weekly digests</a></p>
</article>`,
  });
}

export function renderUnsubscribeInfoPage(config: SiteConfig): Promise<string> {
  return renderPage({
    config,
    title: `Unsubscribing · ${config.title}`,
    description: "How to stop receiving the weekly digest.",
    canonical: siteUrls(config).unsubscribeInfo(),
    feeds: [digestFeedLinks(config)],
    body: html`<h1>Unsubscribing</h1>
<p>This is the web copy of the digest. Every digest sent by email carries its subscriber’s own one-click unsubscribe link at the bottom of the message; use that link to stop receiving it.</p>`,
  });
}
