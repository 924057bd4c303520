/** The Worker: wiring only. The articles are in D1 (npm run publish), never in the bundle. */
import { createApp } from "./app.ts";
import { ContentRepository } from "./content/view.ts";
import { handleUnsubscribeEmail } from "./delivery/email-unsubscribe.ts";
import { handleQueueBatch, type QueueMessage } from "./delivery/queue-handler.ts";
import { runCron } from "./delivery/weekly-cron.ts";
import { ExtractiveSummarizer } from "./digest/summary/summarizer.ts";

const content = new ContentRepository();
const summarizer = new ExtractiveSummarizer();
const app = createApp({ content, summarizer });
const digestDeps = { content, summarizer };

export default {
  fetch: app.fetch,
  // Cron trigger (wrangler.toml [triggers], every 15 minutes): the sends that are due, through
  // the review gate (DIGEST_SEND_AT, /admin's "send later"; src/delivery/scheduled-send.ts).
  async scheduled(controller, env, ctx) {
    await runCron(env, digestDeps, controller.scheduledTime, (work) => ctx.waitUntil(work));
  },
  // Queue consumer (wrangler.toml [[queues.consumers]]): digest chunks, imports' confirmations.
  async queue(batch, env) {
    await handleQueueBatch(batch as MessageBatch<QueueMessage>, env);
  },
  // Cloudflare Email Routing: List-Unsubscribe's mailto: (UNSUBSCRIBE_MAILTO) arrives here.
  async email(message, env) {
    await handleUnsubscribeEmail(message, env);
  },
} satisfies ExportedHandler<Env>;
