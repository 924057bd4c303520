/**
 * Conditional GET (RFC 9110 §13): aggregators poll with If-None-Match / If-Modified-Since and
 * should get a bodiless 304 whenever nothing changed.
 */
import type { Context } from "hono";
import type { Representation } from "./representation.ts";

/** Compares entity tags weakly: Cloudflare's edge turns strong tags into `W/"…"` when it
 * compresses a response, and clients send back what they got (RFC 9110 §13.1.2 uses weak
 * comparison for If-None-Match). */
export function matchesIfNoneMatch(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  for (const candidate of header.split(",")) {
    const tag = candidate.trim().replace(/^W\//, "");
    if (tag === opaque) return true;
  }
  return false;
}

export function isNotModified(headers: Headers, rep: Representation): boolean {
  const ifNoneMatch = headers.get("If-None-Match");
  // If-None-Match wins: If-Modified-Since is ignored when it is present (RFC 9110 §13.1.3).
  if (ifNoneMatch !== null) return matchesIfNoneMatch(ifNoneMatch, rep.etag);
  const ifModifiedSince = headers.get("If-Modified-Since");
  if (ifModifiedSince !== null && rep.lastModified !== null) {
    const since = Date.parse(ifModifiedSince);
    if (!Number.isNaN(since)) return rep.lastModified.getTime() <= since;
  }
  return false;
}

export interface SendOptions {
  readonly cacheMaxAge: number;
  /** Extra headers, e.g. WebSub `Link`. */
  readonly headers?: Record<string, string>;
}

/** Sends a representation with its validators, or 304 with no body when the client is current. */
export function sendRepresentation(
  c: Context,
  rep: Representation,
  options: SendOptions,
): Response {
  const headers = new Headers({
    "Content-Type": rep.contentType,
    ETag: rep.etag,
    "Cache-Control": `public, max-age=${options.cacheMaxAge}`,
    ...rep.headers,
    ...options.headers,
  });
  if (rep.lastModified !== null) headers.set("Last-Modified", rep.lastModified.toUTCString());
  if (isNotModified(c.req.raw.headers, rep)) {
    headers.delete("Content-Type");
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Length", String(rep.body.byteLength));
  return new Response(rep.body, { status: 200, headers });
}
