/**
 * Request body limits for the form routes, checked before anything parses the body: every form
 * here has a few short fields, and without a limit a 10 MB field or 200,000 fields are read,
 * parsed and held in memory. Too large (by Content-Length, or counted while reading a body sent
 * without one, e.g. chunked) or too many fields: 413 Content Too Large (RFC 9110 §15.5.14).
 */
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";

export interface BodyLimitOptions {
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Most form fields accepted (application/x-www-form-urlencoded or multipart/form-data). */
  readonly maxFields: number;
}

/**
 * 4 KB: the longest address is 254 characters (RFC 5321 §4.5.3.1), and the largest form here
 * (a suppression: email and reason) is well under 1 KB even fully percent-encoded.
 */
export const FORM_BODY_LIMIT: BodyLimitOptions = { maxBytes: 4096, maxFields: 16 };

/**
 * /admin's subscriber list upload: 1 MiB, some 25,000 rows of address and name. The whole list
 * is read, checked and written within one request, under the Worker's CPU time and D1's queries
 * per invocation; larger lists go through `npm run subscribers:import`, which has no limit.
 */
export const IMPORT_BODY_LIMIT: BodyLimitOptions = { maxBytes: 1_048_576, maxFields: 8 };

function tooLarge(what: string, limit: string): HTTPException {
  return new HTTPException(413, {
    message: `The request body ${what}: expected at most ${limit}.`,
  });
}

/** Reads at most `maxBytes` of `body`; null as soon as there is more. */
async function readAtMost(body: ReadableStream<Uint8Array>, maxBytes: number) {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** How many fields a form body has; 0 for other media types. */
export function countFormFields(contentType: string, body: string): number {
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/x-www-form-urlencoded")
    return body.split("&").filter((pair) => pair !== "").length;
  if (mediaType === "multipart/form-data") {
    // Each part opens with "--boundary" (RFC 7578 §4.1); the last delimiter closes the body.
    const boundary = /;\s*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) return 0;
    return Math.max(0, body.split(`--${boundary}`).length - 2);
  }
  return 0;
}

export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const { maxBytes, maxFields } = options;
  return async (c, next) => {
    const body = c.req.raw.body;
    if (body === null) return next();
    const declared = c.req.header("Content-Length");
    if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes)
      throw tooLarge(`is ${declared} bytes`, `${maxBytes} bytes`);
    // Counted as it arrives too: a chunked body has no Content-Length.
    const bytes = await readAtMost(body, maxBytes);
    if (bytes === null) throw tooLarge(`is over ${maxBytes} bytes`, `${maxBytes} bytes`);
    const fields = countFormFields(
      c.req.header("Content-Type") ?? "",
      new TextDecoder().decode(bytes),
    );
    if (fields > maxFields) throw tooLarge(`has ${fields} form fields`, `${maxFields} fields`);
    // The stream is spent: the handlers parse these bytes instead.
    c.req.raw = new Request(c.req.raw, { body: bytes });
    await next();
  };
}
