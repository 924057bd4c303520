/** The Worker: wiring only. */
import { createApp } from "./app";
import { createLibrary } from "./content/library";
import { articles } from "./generated/content";

const app = createApp(createLibrary(articles));

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
