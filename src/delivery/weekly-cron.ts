/** The Worker's scheduled() handler (wrangler.toml [triggers]): the week that just ended. */
import { readConfig } from "../config.ts";
import { type DigestDeps, runWeeklyDigest } from "../digest/service.ts";
import { digestTransport } from "../mail/transports.ts";
import { forgetOldConsentIps } from "../subscriptions/admin-store.ts";
import { announceDigestChange } from "./digest-announce.ts";
import { sendWeeklyDigest } from "./gated-send.ts";

/**
 * Builds the digest of the week that ended before `scheduledTime`, announces a change to the
 * WebSub hub (after the answer, through `waitUntil`), sends it through the review gate, and
 * forgets consent IPs past their retention.
 */
export async function runWeeklyCron(
  env: Env,
  deps: DigestDeps,
  scheduledTime: number,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<void> {
  const config = readConfig(env);
  const now = new Date(scheduledTime);
  const { week, outcome } = await runWeeklyDigest(env.DB, config, deps, scheduledTime);
  announceDigestChange(config, outcome, waitUntil);
  // Fan-out to subscribers, through the review gate (DIGEST_SEND): a held digest waits in
  // /admin. Re-running enqueues only who has not been sent it yet.
  if (outcome !== "empty")
    await sendWeeklyDigest(
      env.DB,
      env.DIGEST_QUEUE,
      digestTransport(env, config.mail),
      config,
      week,
      now,
    );
  // Consent records keep their IP addresses only for CONSENT_IP_RETENTION_DAYS.
  const cleared = await forgetOldConsentIps(env.DB, config.mail.consentIpRetentionDays, now);
  if (cleared > 0)
    console.log(`consent records: ${cleared} IP addresses past CONSENT_IP_RETENTION_DAYS removed`);
}
