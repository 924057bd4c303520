/**
 * The Hono app: routes plus the one error handler. Built from a Library so tests can build a
 * tiny app around fixture articles; src/index.ts builds the real one from the generated content.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ConfigError } from "./config.ts";
import type { Library } from "./content/library.ts";
import type { DigestDeps } from "./digest/service.ts";
import type { Actor } from "./model/actor.ts";
import { ExtractiveSummarizer, type Summarizer } from "./digest/summary/summarizer.ts";
import type { AppEnv } from "./http/app-env.ts";
import { configMiddleware } from "./http/config-middleware.ts";
import { RepresentationCache } from "./http/representation.ts";
import { HTML_CONTENT_TYPE } from "./lib/html.ts";
import { registerAdminRoutes } from "./routes/admin.ts";
import type { RouteDeps } from "./routes/context.ts";
import { registerDigestRoutes } from "./routes/digests.ts";
import { registerFeedRoutes } from "./routes/feeds.ts";
import { registerSiteRoutes } from "./routes/site.ts";
import { registerSitemapRoutes } from "./routes/sitemap.ts";
import { registerSubscriptionRoutes } from "./routes/subscriptions.ts";
import { renderErrorPage } from "./site/pages.ts";

const HTML_HEADERS = { "Content-Type": HTML_CONTENT_TYPE };
const HEADINGS: Record<number, string> = {
  400: "Bad request",
  404: "Not found",
  405: "Method not allowed",
  502: "Not sent",
  503: "Unavailable",
};

export interface AppOptions {
  /** The summary's watch list and summarizer, for the admin's rebuild. */
  readonly actors?: readonly Actor[];
  readonly summarizer?: Summarizer;
}

export function createApp(library: Library, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const deps: RouteDeps = { library, cache: new RepresentationCache() };
  const digestDeps: DigestDeps = {
    library,
    actors: options.actors ?? [],
    summarizer: options.summarizer ?? new ExtractiveSummarizer(),
  };

  app.use(configMiddleware());
  registerAdminRoutes(app, digestDeps);
  registerSubscriptionRoutes(app);
  // Digest routes first: /digests/feed.xml must win over /digests/:week.
  registerDigestRoutes(app, deps);
  registerFeedRoutes(app, deps);
  registerSitemapRoutes(app, deps);
  registerSiteRoutes(app, deps);

  app.notFound(async (c) => {
    const body = await renderErrorPage(
      c.var.config,
      404,
      "Not found",
      `Nothing is published at ${c.req.path}.`,
    );
    return c.body(body, 404, HTML_HEADERS);
  });

  app.onError(async (err, c) => {
    if (err instanceof ConfigError) {
      // A broken [vars] value: say which one in the log, and do not serve wrong links.
      console.error(`configuration error: ${err.message} (wrangler.toml [vars])`);
      return c.text(
        "The site is misconfigured; the operator has been told which setting is wrong.\n",
        500,
      );
    }
    if (err instanceof HTTPException && err.res) return err.getResponse();
    if (err instanceof HTTPException) {
      const status = err.status;
      const body = await renderErrorPage(
        c.var.config,
        status,
        HEADINGS[status] ?? "Error",
        err.message,
      );
      return c.body(body, status, HTML_HEADERS);
    }
    console.error(err);
    return c.text("Internal error.\n", 500);
  });

  return app;
}
