/**
 * The Hono app: routes plus the one error handler. Built from a Library so tests can build a
 * tiny app around fixture articles; src/index.ts builds the real one from the generated content.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { type Config, ConfigError } from "./config.ts";
import { ContentRepository, ContentUnavailableError } from "./content/view.ts";
import type { DigestDeps } from "./digest/service.ts";
import { ExtractiveSummarizer, type Summarizer } from "./digest/summary/summarizer.ts";
import type { AppEnv } from "./http/app-env.ts";
import { bodyLimit, FORM_BODY_LIMIT, IMPORT_BODY_LIMIT } from "./http/body-limit.ts";
import { configMiddleware } from "./http/config-middleware.ts";
import { contentSecurityPolicy } from "./http/content-security-policy.ts";
import { echo } from "./http/echo.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { RepresentationCache } from "./http/representation.ts";
import { HTML_CONTENT_TYPE } from "./lib/html.ts";
import { registerAdminRoutes } from "./routes/admin.ts";
import { IMPORT_PATH } from "./routes/admin-import.ts";
import type { RouteDeps } from "./routes/context.ts";
import { registerDigestRoutes } from "./routes/digests.ts";
import { registerFeedAliasRoutes } from "./routes/feed-aliases.ts";
import { registerFeedRoutes } from "./routes/feeds.ts";
import { registerFeedsPageRoutes } from "./routes/feeds-page.ts";
import { registerSiteRoutes } from "./routes/site.ts";
import { registerSitemapRoutes } from "./routes/sitemap.ts";
import { registerPreferenceRoutes } from "./routes/preferences.ts";
import { registerSubscriptionRoutes } from "./routes/subscriptions.ts";
import { registerWebhookRoutes } from "./routes/webhooks.ts";
import { renderErrorPage } from "./site/pages.ts";

/** How long a client should wait before retrying when D1 cannot be read. */
const RETRY_AFTER_SECONDS = 30;
const HTML_HEADERS = { "Content-Type": HTML_CONTENT_TYPE };
/**
 * On every 5xx: an error is about this moment, not about the resource, and a shared cache (the
 * edge, a proxy) must not serve it to the next reader (RFC 9111 §5.2.2.5). Without it an edge may
 * apply heuristic freshness or its own default TTL to the error.
 */
const NO_STORE = { "Cache-Control": "no-store" };
const HEADINGS: Record<number, string> = {
  400: "Bad request",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  410: "Gone",
  413: "Content too large",
  415: "Unsupported media type",
  502: "Not sent",
  503: "Unavailable",
};

/** Every route that reads a form: their bodies are limited before anything parses them. */
const FORM_ROUTES = ["/subscribe", "/confirm/*", "/unsubscribe/*", "/admin", "/admin/*"];

/**
 * D1 could not be read: the content store (ContentUnavailableError), or any other D1 read that
 * failed as a whole (the binding's errors start with "D1_ERROR": lost connection, overload, or a
 * database without its tables). A reader should retry, not see a bug.
 */
function isStorageUnavailable(err: unknown): boolean {
  return (
    err instanceof ContentUnavailableError ||
    (err instanceof Error && /^D1_ERROR\b/.test(err.message))
  );
}

export interface AppOptions {
  /** The published articles in D1 (one repository per isolate remembers their version). */
  readonly content?: ContentRepository;
  /** The summarizer for the admin's rebuild. */
  readonly summarizer?: Summarizer;
}

export function createApp(options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const content = options.content ?? new ContentRepository();
  const deps: RouteDeps = { content, cache: new RepresentationCache() };
  const digestDeps: DigestDeps = {
    content,
    summarizer: options.summarizer ?? new ExtractiveSummarizer(),
  };

  // First, so its headers are on every response, the error handler's included.
  app.use(
    securityHeaders({
      contentSecurityPolicy: (c) =>
        contentSecurityPolicy({
          path: c.req.path,
          url: c.req.url,
          // Unset when configMiddleware threw (a broken [vars] value): then only the request's origin.
          baseUrl: (c.get("config") as Config | undefined)?.baseUrl ?? null,
        }),
    }),
  );
  app.use(configMiddleware());
  const formLimit = bodyLimit(FORM_BODY_LIMIT);
  const importLimit = bodyLimit(IMPORT_BODY_LIMIT);
  // The list upload is the one form with a file: its own, larger limit.
  for (const path of FORM_ROUTES)
    app.use(path, (c, next) => (c.req.path === IMPORT_PATH ? importLimit : formLimit)(c, next));
  registerAdminRoutes(app, digestDeps);
  registerSubscriptionRoutes(app, deps);
  registerPreferenceRoutes(app, deps);
  registerWebhookRoutes(app);
  // Digest routes first: /digests/feed.xml must win over /digests/:week.
  // Old feed addresses first: /digests/feed must not be read as a week.
  registerFeedAliasRoutes(app);
  registerDigestRoutes(app, deps);
  registerFeedRoutes(app, deps);
  registerFeedsPageRoutes(app, deps);
  registerSitemapRoutes(app, deps);
  registerSiteRoutes(app, deps);

  app.notFound(async (c) => {
    const body = await renderErrorPage(
      c.var.config,
      404,
      "Not found",
      // Cut and cleaned: a page must not repeat a 65 KB path, or control characters.
      `Nothing is published at ${echo(c.req.path)}.`,
    );
    return c.body(body, 404, HTML_HEADERS);
  });

  app.onError(async (err, c) => {
    if (isStorageUnavailable(err)) {
      // D1 is down or not migrated: a reader or aggregator should come back, not see a bug.
      console.error(`D1 unavailable (answered 503): ${(err as Error).message}`);
      const body = await renderErrorPage(
        c.var.config,
        503,
        "Unavailable",
        "The articles cannot be read right now. Please try again in a minute.",
      );
      return c.body(body, 503, {
        ...HTML_HEADERS,
        ...NO_STORE,
        "Retry-After": String(RETRY_AFTER_SECONDS),
      });
    }
    if (err instanceof ConfigError) {
      // A broken [vars] value: say which one in the log, and do not serve wrong links.
      console.error(`configuration error: ${err.message} (wrangler.toml [vars])`);
      return c.text(
        "The site is misconfigured; the operator has been told which setting is wrong.\n",
        500,
        NO_STORE,
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
      return c.body(body, status, status >= 500 ? { ...HTML_HEADERS, ...NO_STORE } : HTML_HEADERS);
    }
    console.error(err);
    return c.text("Internal error.\n", 500, NO_STORE);
  });

  return app;
}
