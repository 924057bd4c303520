/**
 * The Content-Security-Policy (https://www.w3.org/TR/CSP3/) of every response: nothing is
 * allowed (`default-src 'none'`) but what the pages and the feeds' XSL rendering use. No page
 * runs script, so an injected `<script>` or `onerror=` would not run either.
 *
 * One policy for the site, whatever the path or the content type: a 304 carries no content
 * type, and a browser replaces the cached response's policy with the 304's (RFC 9111 §4.3.4),
 * so a policy that differed by content type would break the page it revalidates. The web copy
 * of the digest email is the one exception, by its path: an email is styled inline, as mail
 * clients need it.
 */
import { CONFIRM_SCRIPT_HASH, FEED_STYLE_HASH, PAGE_STYLE_HASH } from "../generated/csp-hashes.ts";
import { siteUrls } from "../lib/urls.ts";

/** /digests/{week}/email.html: exactly what a recipient gets (src/routes/digests.ts). */
const EMAIL_COPY = /^\/digests\/[^/]+\/email\.html$/;
/**
 * /confirm/{token}, a token of the right shape: the one page that runs a script, its own, by
 * hash. Only there: the page is never cached (no-store), so no 304 brings another policy to it.
 */
const CONFIRM_PAGE = /^\/confirm\/[A-Za-z0-9_-]{43}$/;

/**
 * The inline stylesheets that may apply: the pages' one and the feed XSL's output's one. Hashed
 * at build (scripts/build-csp.ts), from the texts in src/site/ and src/feeds/, so this module
 * needs nothing from those layers.
 */
const ALLOWED_STYLES = `${PAGE_STYLE_HASH} ${FEED_STYLE_HASH}`;

export interface PolicyRequest {
  /** The request's path, as routed. */
  readonly path: string;
  /** The request's URL: its origin is the site's as this browser sees it. */
  readonly url: string;
  /** BASE_URL (absolute links, the forms' actions), or null when the config is broken. */
  readonly baseUrl: string | null;
}

export function contentSecurityPolicy(request: PolicyRequest): string {
  const self = new URL(request.url).origin;
  // Pages link the icon and post forms to BASE_URL, which may differ from the origin a
  // request came to (a workers.dev preview, 127.0.0.1 in development).
  const base = request.baseUrl === null ? "" : ` ${new URL(request.baseUrl).origin}`;
  // Article bodies may show images from the sources' sites (https only: the sanitizer allows
  // nothing else that a browser would load on an https page).
  const images = `img-src 'self'${base} https:`;
  const always = ["frame-ancestors 'none'", "base-uri 'none'"];
  if (EMAIL_COPY.test(request.path)) {
    // Email HTML is styled with attributes and <style> blocks that change with each digest.
    return ["default-src 'none'", "style-src 'unsafe-inline'", images, "form-action 'none'"]
      .concat(always)
      .join("; ");
  }
  const stylesheetPath =
    request.baseUrl === null
      ? "/feed.xsl"
      : siteUrls({ baseUrl: request.baseUrl }).stylesheetPath();
  const confirmScript = CONFIRM_PAGE.test(request.path) ? ` ${CONFIRM_SCRIPT_HASH}` : "";
  return [
    "default-src 'none'",
    // A feed opened in a browser loads its XSLT (`<?xml-stylesheet?>`, root-relative), which
    // CSP governs as a script (CSP3 §6.8.1: destination "xslt" → script-src-elem). Only that
    // file, which is served as text/xsl with nosniff, so it can never run as a script.
    `script-src ${self}${stylesheetPath}${confirmScript}`,
    `style-src ${ALLOWED_STYLES}`,
    images,
    `form-action 'self'${base}`,
    ...always,
  ].join("; ");
}
