/**
 * Routes that answer the methods they define (GET also answers HEAD: Hono runs the GET handler
 * and drops the body) and every other method with 405 and `Allow` (RFC 9110 §15.5.6).
 */
import type { Handler, Hono } from "hono";
import type { AppEnv } from "../http/app-env.ts";

type RouteHandler = Handler<AppEnv>;

export function route(
  app: Hono<AppEnv>,
  path: string,
  handlers: { GET?: RouteHandler; POST?: RouteHandler },
): void {
  const allow = [
    ...(handlers.GET ? ["GET", "HEAD"] : []),
    ...(handlers.POST ? ["POST"] : []),
    "OPTIONS",
  ].join(", ");
  if (handlers.GET) app.get(path, handlers.GET);
  if (handlers.POST) app.post(path, handlers.POST);
  app.all(path, (c) => {
    if (c.req.method === "OPTIONS") return c.body(null, 204, { Allow: allow });
    return c.text(
      `Method ${c.req.method} is not allowed here: use ${allow.replace(", OPTIONS", "")}.\n`,
      405,
      { Allow: allow },
    );
  });
}

export function getRoute(app: Hono<AppEnv>, path: string, handler: RouteHandler): void {
  route(app, path, { GET: handler });
}
