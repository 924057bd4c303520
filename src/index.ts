/** The Worker: wiring only. The articles are in D1 (npm run publish), never in the bundle. */
import { forgetOldConsentIps } from "./subscriptions/admin-store.ts";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { ContentRepository } from "./content/view.ts";
import { handleUnsubscribeEmail } from "./delivery/email-unsubscribe.ts";
import type { DigestChunkMessage } from "./delivery/producer.ts";
import { handleQueueBatch } from "./delivery/queue-handler.ts";
import { runScheduledSends } from "./delivery/scheduled-send.ts";
import { ExtractiveSummarizer } from "./digest/summary/summarizer.ts";
import { digestTransport } from "./mail/transports.ts";
import { pingHub } from "./websub/ping.ts";
import { digestTopics } from "./websub/topics.ts";

const content = new ContentRepository();
const summarizer = new ExtractiveSummarizer();
const app = createApp({ content, summarizer });
const digestDeps = { content, summarizer };

export default {
  fetch: app.fetch,
  // Cron trigger (wrangler.toml [triggers], every 15 minutes): the sends that are due, through
  // the review gate (DIGEST_SEND_AT, /admin's "send later"; src/delivery/scheduled-send.ts).
  async scheduled(controller, env, ctx) {
    const config = readConfig(env);
    const run = await runScheduledSends(
      env.DB,
      env.DIGEST_QUEUE,
      digestTransport(env, config.mail),
      config,
      digestDeps,
      controller.scheduledTime,
    );
    // A new or rebuilt digest changed the digest feeds: tell the WebSub hub, after the answer
    // (waitUntil), so a slow or failing hub never holds up the digest. Its retries run there too:
    // a few pings with pauses of seconds fit easily in waitUntil's time, and need no queue.
    if (config.hubUrl && run.built.some((b) => b.outcome === "created" || b.outcome === "replaced"))
      ctx.waitUntil(pingHub(config.hubUrl, digestTopics(config)));
    // Consent records keep their IP addresses only for CONSENT_IP_RETENTION_DAYS.
    const cleared = await forgetOldConsentIps(
      env.DB,
      config.mail.consentIpRetentionDays,
      new Date(controller.scheduledTime),
    );
    if (cleared > 0)
      console.log(
        `consent records: ${cleared} IP addresses past CONSENT_IP_RETENTION_DAYS removed`,
      );
  },
  // Queue consumer (wrangler.toml [[queues.consumers]]): sends digest chunks.
  async queue(batch, env) {
    await handleQueueBatch(batch as MessageBatch<DigestChunkMessage>, env);
  },
  // Cloudflare Email Routing: List-Unsubscribe's mailto: (UNSUBSCRIBE_MAILTO) arrives here.
  async email(message, env) {
    await handleUnsubscribeEmail(message, env);
  },
} satisfies ExportedHandler<Env>;
