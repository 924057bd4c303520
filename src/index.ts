/** The Worker: wiring only. */
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { createLibrary } from "./content/library.ts";
import { runWeeklyDigest } from "./digest/service.ts";
import { ExtractiveSummarizer } from "./digest/summarizer.ts";
import { actors, articles } from "./generated/content.ts";

const library = createLibrary(articles);
const app = createApp(library);
const digestDeps = { library, actors, summarizer: new ExtractiveSummarizer() };

export default {
  fetch: app.fetch,
  // Cron trigger (wrangler.toml [triggers]): the digest of the week that just ended.
  async scheduled(controller, env) {
    await runWeeklyDigest(env.DB, readConfig(env), digestDeps, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
