/** The link to "the digest" that confirmation pages and the welcome email give. */
import type { SiteConfig } from "../config.ts";
import { siteUrls } from "../lib/urls.ts";
import { listDigests } from "./store.ts";

/** The newest digest's page (`latest`), or the archive while there is none. */
export async function latestDigestLink(
  db: D1Database,
  config: SiteConfig,
): Promise<{ readonly url: string; readonly latest: boolean }> {
  const [newest] = await listDigests(db, 1);
  const urls = siteUrls(config);
  return newest
    ? { url: urls.digest(newest.week), latest: true }
    : { url: urls.digests(), latest: false };
}
