/** The Worker: wiring only. */
import { createApp } from "./app.ts";
import { createLibrary } from "./content/library.ts";
import { articles } from "./generated/content.ts";

const app = createApp(createLibrary(articles));

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
