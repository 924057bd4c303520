/**
 * Parses the configuration once per request (memoized per isolate by readConfig) and hands it
 * to every handler as `c.var.config`. A broken `[vars]` value throws ConfigError here, before
 * any route runs, and app.onError answers 500 naming the variable in the log.
 */
import type { MiddlewareHandler } from "hono";
import { readConfig } from "../config.ts";
import type { AppEnv } from "./app-env.ts";

export function configMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("config", readConfig(c.env));
    await next();
  };
}
