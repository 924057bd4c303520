/** The absolute links a digest's email, page and feed item need, from the site config. */
import type { SiteConfig } from "../config.ts";
import { siteUrls } from "../site/urls.ts";
import { BASE_URL_SLOT } from "./email.ts";
import type { DigestLinks, WeekKey } from "./model.ts";

export function digestLinks(config: SiteConfig, week: WeekKey): DigestLinks {
  const urls = siteUrls(config);
  return {
    siteTitle: config.title,
    siteUrl: urls.home(),
    webUrl: urls.digest(week),
    articleUrl: (slug) => urls.article(slug),
    archiveUrl: urls.digests(),
    logoUrl: urls.icon(),
    contactLine: config.publisherContact,
  };
}

/**
 * Links for the stored email: built on BASE_URL_SLOT instead of the configured origin, which is
 * filled in when the email is served or sent (fillRecipientSlots).
 */
export function digestEmailLinks(config: SiteConfig, week: WeekKey): DigestLinks {
  return digestLinks({ ...config, baseUrl: BASE_URL_SLOT }, week);
}

const DAY_MONTH = new Map<string, Intl.DateTimeFormat>();

/** "21–27 October 2024" (the Monday to the Sunday, in the digest's zone). */
export function weekSpan(start: string, end: string, timeZone: string): string {
  let f = DAY_MONTH.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone });
    DAY_MONTH.set(timeZone, f);
  }
  const first = new Date(start);
  const last = new Date(Date.parse(end) - 1);
  return f.formatRange(first, last);
}
