/**
 * Parses the configuration once per request (memoized per isolate by readConfig) and hands it
 * to every handler as `c.var.config`. A broken `[vars]` value throws ConfigError here, before
 * any route runs, and app.onError answers 500 naming the variable in the log.
 *
 * Local development on another port (`npm start -- --port 8870`): while BASE_URL is left at its
 * local default, a request that reaches a loopback host on an explicit port gets links and form
 * actions built from that origin instead, so the pages work wherever wrangler dev listens.
 * `npm start` makes the served port the BASE_URL (http://localhost:8870, for the cron's and the
 * queue's mail); a request to another loopback name for that same server (127.0.0.1:8870) gets
 * its own origin too, so a form posts back to the origin the browser is on. Any other BASE_URL
 * (production, or another port) is never overridden.
 */
import type { MiddlewareHandler } from "hono";
import { type Config, readConfig, VAR_DEFAULTS } from "../config.ts";
import type { AppEnv } from "./app-env.ts";

export function configMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("config", forRequestOrigin(readConfig(c.env), c.req.url));
    await next();
  };
}

/** Hosts only this machine reaches: localhost (RFC 6761 §6.3), 127/8 (RFC 1122), ::1 (RFC 4291) */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Whether `baseUrl` is plain http on a loopback host at the port `url` (itself loopback) came to. */
function sameLoopbackServer(baseUrl: string, url: URL): boolean {
  const base = new URL(baseUrl);
  return base.protocol === "http:" && isLoopback(base.hostname) && base.port === url.port;
}

/**
 * Derived configs per base config and origin, so each is built once and stays the same object
 * (readConfig's memoization keeps working; caches keyed by the config's fingerprint see a
 * different baseUrl and keep their own entries). Bounded: only loopback origins get here.
 */
const derived = new WeakMap<Config, Map<string, Config>>();
const MAX_LOCAL_ORIGINS = 16;

/**
 * `config` unchanged, unless the request came to a loopback host on an explicit port (as wrangler
 * dev is reached) and BASE_URL is the local default (any other port), or is http on a loopback
 * host at that same port (another name for it): then a copy whose baseUrl is the request's origin. A request without a port (e.g. a test's
 * `http://localhost/…`) keeps the default, as before.
 */
export function forRequestOrigin(config: Config, requestUrl: string): Config {
  const url = new URL(requestUrl);
  if (!isLoopback(url.hostname) || url.port === "" || url.origin === config.baseUrl) return config;
  if (config.baseUrl !== VAR_DEFAULTS.BASE_URL && !sameLoopbackServer(config.baseUrl, url))
    return config;
  let byOrigin = derived.get(config);
  if (!byOrigin) derived.set(config, (byOrigin = new Map()));
  let local = byOrigin.get(url.origin);
  if (!local) {
    if (byOrigin.size >= MAX_LOCAL_ORIGINS) byOrigin.clear();
    local = { ...config, baseUrl: url.origin };
    byOrigin.set(url.origin, local);
  }
  return local;
}
