/**
 * The security headers of every response: pages, feeds, 304s, errors, admin, JSON and files.
 * Registered first, so it also sees what the error handler and the not-found handler answer.
 *
 * - Content-Security-Policy: what a page may load and run (src/http/content-security-policy.ts),
 *   with `frame-ancestors 'none'`: no other site may frame a page (clickjacking the admin).
 * - X-Frame-Options: DENY, the same for browsers that predate frame-ancestors (RFC 7034).
 * - X-Content-Type-Options: nosniff: a response is only ever what its Content-Type says
 *   (https://fetch.spec.whatwg.org/#x-content-type-options-header).
 * - Referrer-Policy: no-referrer: following a link (to a source, or from a confirmation or
 *   unsubscribe page whose URL holds a token) tells the next site nothing
 *   (https://www.w3.org/TR/referrer-policy/).
 */
import type { Context, MiddlewareHandler } from "hono";

export interface SecurityHeadersOptions {
  /** The Content-Security-Policy of the response to this request. */
  readonly contentSecurityPolicy: (c: Context) => Promise<string> | string;
}

export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers: [string, string][] = [
      ["Content-Security-Policy", await options.contentSecurityPolicy(c)],
      ["X-Frame-Options", "DENY"],
      ["X-Content-Type-Options", "nosniff"],
      ["Referrer-Policy", "no-referrer"],
    ];
    try {
      for (const [name, value] of headers) c.res.headers.set(name, value);
    } catch {
      // Headers of a response from fetch() or the Cache API are immutable: copy it first.
      c.res = new Response(c.res.body, c.res);
      for (const [name, value] of headers) c.res.headers.set(name, value);
    }
  };
}
