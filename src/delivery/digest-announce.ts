/**
 * Telling WebSub subscribers a digest changed (https://www.w3.org/TR/websub/#publishing): the
 * cron's build (src/index.ts) and an admin rebuild (src/routes/admin.ts) both end here.
 */
import type { SiteConfig } from "../config.ts";
import type { BuildOutcome } from "../digest/service.ts";
import { pingHub } from "../websub/ping.ts";
import { digestTopics } from "../websub/topics.ts";

/**
 * A new or rebuilt digest changed the digest feeds: pings the hub (WEBSUB_HUB, if set) about them,
 * after the answer (`waitUntil`), so a slow or failing hub never holds up the digest. Its
 * retries run there too: a few pings with pauses of seconds fit easily in waitUntil's time, and
 * need no queue. A build that changed nothing pings nothing.
 */
export function announceDigestChange(
  config: SiteConfig,
  outcome: BuildOutcome,
  waitUntil: (work: Promise<unknown>) => void,
): void {
  if (config.hubUrl && (outcome === "created" || outcome === "replaced"))
    waitUntil(pingHub(config.hubUrl, digestTopics(config)));
}
