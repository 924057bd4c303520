/**
 * Parses the configuration once per request (memoized per isolate by readConfig) and hands it
 * to every handler as `c.var.config`. A broken `[vars]` value throws ConfigError here, before
 * any route runs, and app.onError answers 500 naming the variable in the log.
 *
 * Local development on another port (`npm start -- --port 8870`): while BASE_URL is left at its
 * local default, a request that reaches a loopback host on an explicit port gets links and form
 * actions built from that origin instead, so the pages work wherever wrangler dev listens. A
 * BASE_URL someone set (production, or any other value) is never overridden.
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

/**
 * Derived configs per base config and origin, so each is built once and stays the same object
 * (readConfig's memoization keeps working; caches keyed by the config's fingerprint see a
 * different baseUrl and keep their own entries). Bounded: only loopback origins get here.
 */
const derived = new WeakMap<Config, Map<string, Config>>();
const MAX_LOCAL_ORIGINS = 16;

/**
 * `config` unchanged, unless BASE_URL is the local default and the request came to a loopback
 * host on an explicit port (as wrangler dev is reached) other than the default's: then a copy
 * whose baseUrl is the request's origin. A request without a port (e.g. a test's
 * `http://localhost/…`) keeps the default, as before.
 */
export function forRequestOrigin(config: Config, requestUrl: string): Config {
  if (config.baseUrl !== VAR_DEFAULTS.BASE_URL) return config;
  const url = new URL(requestUrl);
  if (!isLoopback(url.hostname) || url.port === "" || url.origin === config.baseUrl) return config;
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
