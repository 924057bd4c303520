/**
 * GET routes that also answer HEAD (Hono runs the GET handler and drops the body) and answer
 * every other method with 405 and `Allow`, as RFC 9110 §15.5.6 requires.
 */
import type { Handler, Hono } from "hono";
import { GET_METHODS } from "../http/errors.ts";
import type { AppEnv } from "./context.ts";

type RouteHandler = Handler<AppEnv>;

export function getRoute(app: Hono<AppEnv>, path: string, handler: RouteHandler): void {
  app.get(path, handler);
  app.all(path, (c) => {
    if (c.req.method === "OPTIONS") return c.body(null, 204, { Allow: `${GET_METHODS}, OPTIONS` });
    return c.text(`Method ${c.req.method} is not allowed here: use GET or HEAD.\n`, 405, { Allow: `${GET_METHODS}, OPTIONS` });
  });
}

/** Identity helper that types a handler for `getRoute`. */
getRoute.handler = (handler: RouteHandler): RouteHandler => handler;
