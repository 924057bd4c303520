/** The Worker: wiring only. The articles are in D1 (npm run publish), never in the bundle. */
import { createApp } from "./app.ts";
import { ContentRepository } from "./content/view.ts";
import { handleUnsubscribeEmail } from "./delivery/email-unsubscribe.ts";
import type { DigestChunkMessage } from "./delivery/producer.ts";
import { handleQueueBatch } from "./delivery/queue-handler.ts";
import { runWeeklyCron } from "./delivery/weekly-cron.ts";
import { ExtractiveSummarizer } from "./digest/summary/summarizer.ts";

const content = new ContentRepository();
const summarizer = new ExtractiveSummarizer();
const app = createApp({ content, summarizer });
const digestDeps = { content, summarizer };

export default {
  fetch: app.fetch,
  // Cron trigger (wrangler.toml [triggers]): the digest of the week that just ended.
  async scheduled(controller, env, ctx) {
    await runWeeklyCron(env, digestDeps, controller.scheduledTime, (work) => ctx.waitUntil(work));
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
