/** The absolute links a digest's email, page and feed item need, from the site config. */
import type { SiteConfig } from "../../config.ts";
import { siteUrls } from "../../lib/urls.ts";
import type { WeekKey } from "../summary/model.ts";
import { BASE_URL_SLOT } from "./slots.ts";

/** What the email, page and feeds need besides the summary. */
export interface DigestLinks {
  readonly siteTitle: string;
  readonly siteUrl: string;
  /** The web version: /digests/{week}. */
  readonly webUrl: string;
  readonly articleUrl: (slug: string) => string;
  /** A developing story's timeline: /stories/{id}. */
  readonly storyUrl: (id: string) => string;
  /** Another week's digest: /digests/{week}. */
  readonly weekUrl: (week: WeekKey) => string;
  readonly archiveUrl: string;
  readonly logoUrl: string;
  /** Publisher's contact line for the footer (postal address / email), from config. */
  readonly contactLine: string;
}

export function digestLinks(config: SiteConfig, week: WeekKey): DigestLinks {
  const urls = siteUrls(config);
  return {
    siteTitle: config.title,
    siteUrl: urls.home(),
    webUrl: urls.digest(week),
    articleUrl: (slug) => urls.article(slug),
    storyUrl: (id) => urls.story(id),
    weekUrl: (w) => urls.digest(w),
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
