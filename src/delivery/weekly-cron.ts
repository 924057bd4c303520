/**
 * The Worker's scheduled() handler (wrangler.toml [triggers], every 15 minutes): the digest
 * sends that are due (DIGEST_SEND_AT, /admin's "send later"; scheduled-send.ts), the
 * confirmation emails an import from the command line left owed, and consent IPs past their
 * retention.
 */
import { readConfig } from "../config.ts";
import type { DigestDeps } from "../digest/service.ts";
import { digestTransport } from "../mail/transports.ts";
import { forgetOldConsentIps } from "../subscriptions/admin-store.ts";
import {
  type ImportConfirmMessage,
  listWaitingImports,
  releaseImportConfirmations,
} from "../subscriptions/import-confirmations.ts";
import { announceDigestChange } from "./digest-announce.ts";
import { runScheduledSends } from "./scheduled-send.ts";

export async function runCron(
  env: Env,
  deps: DigestDeps,
  scheduledTime: number,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<void> {
  const config = readConfig(env);
  const now = new Date(scheduledTime);
  const run = await runScheduledSends(
    env.DB,
    env.DIGEST_QUEUE,
    digestTransport(env, config.mail),
    config,
    deps,
    scheduledTime,
  );
  for (const { outcome } of run.built) announceDigestChange(config, outcome, waitUntil);
  // `npm run subscribers:import` writes to D1 but cannot reach the Worker's queue: the emails it
  // owes wait here, and go at the next run (the admin's button releases them at once).
  for (const waiting of await listWaitingImports(env.DB)) {
    const released = await releaseImportConfirmations(
      env.DB,
      env.DIGEST_QUEUE as Queue<ImportConfirmMessage>,
      waiting.importId,
      now,
    );
    if (released > 0)
      console.log(`import ${waiting.importId}: ${released} confirmation emails released`);
  }
  // Consent records keep their IP addresses only for CONSENT_IP_RETENTION_DAYS.
  const cleared = await forgetOldConsentIps(env.DB, config.mail.consentIpRetentionDays, now);
  if (cleared > 0)
    console.log(`consent records: ${cleared} IP addresses past CONSENT_IP_RETENTION_DAYS removed`);
}
