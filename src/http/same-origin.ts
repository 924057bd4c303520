/**
 * Cross-site request forgery guard for state-changing requests (POST and the rest). Browsers
 * resend Basic credentials with a form another site submits to us, so a Basic-authenticated
 * request that changes something must show it comes from one of our own pages:
 *
 * - `Sec-Fetch-Site` (https://www.w3.org/TR/fetch-metadata/), which every current browser sends
 *   and no page can set, must be `same-origin` (or `none`: the user, not a page, started it).
 * - `Origin` (RFC 6454 §7), when it names an origin, must be ours. Our pages send
 *   `Referrer-Policy: no-referrer`, under which a browser sends `Origin: null` with a form post
 *   (https://fetch.spec.whatwg.org/#serializing-a-request-origin), so "null" proves nothing
 *   either way: it is accepted only with `Sec-Fetch-Site: same-origin`.
 * - A request with neither (an old browser, or a script using Basic) is refused: we cannot tell.
 *
 * A script (curl, CI) proves itself with `Authorization: Bearer`, which no browser attaches to
 * a request on its own; a request without Basic credentials is not forged with ours, and the
 * authentication after this guard answers it 401.
 */
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";

/** Methods that only read (RFC 9110 §9.2.1): never refused here. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface SameOriginOptions {
  /**
   * Origins whose pages may send state-changing requests, besides the request's own origin
   * (always ours: a page elsewhere cannot make its Origin equal to ours). E.g. BASE_URL's
   * origin, which every form's action is built from.
   */
  readonly trustedOrigins: (c: Context) => readonly string[];
}

function refuse(reason: string): HTTPException {
  return new HTTPException(403, {
    message: `This request was refused: ${reason}. Admin actions are accepted from this site’s own admin pages, or from scripts with Authorization: Bearer <ADMIN_TOKEN>.`,
  });
}

export function sameOriginWrites(options: SameOriginOptions): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    // Only Basic credentials are ambient (a browser resends them by itself); a request without
    // them is not forged with ours, and the authentication after this answers it 401.
    if (!/^Basic\s/i.test(c.req.header("Authorization") ?? "")) return next();
    const site = c.req.header("Sec-Fetch-Site");
    const origin = c.req.header("Origin");
    // "none": the user started it (e.g. a bookmark), not a page. Anything else is another site.
    if (site !== undefined && site !== "same-origin" && site !== "none")
      throw refuse("its Sec-Fetch-Site header says another site sent it");
    if (origin !== undefined && origin !== "null") {
      const ours = [new URL(c.req.url).origin, ...options.trustedOrigins(c)];
      if (!ours.includes(origin)) throw refuse("it comes from a page of another origin");
    } else if (site !== "same-origin") {
      throw refuse("it says neither which page sent it nor that it is one of ours");
    }
    await next();
  };
}
