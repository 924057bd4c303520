/** One-off requests around the load tests: fetching what is served, and checking it stays so. */
import { createHash } from "node:crypto";

export interface Fetched {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
  /** SHA-256 of the body, hex. */
  readonly sha256: string;
}

export async function fetchBytes(
  url: string,
  headers: Record<string, string> = {},
): Promise<Fetched> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
  const body = new Uint8Array(await res.arrayBuffer());
  return {
    status: res.status,
    headers: res.headers,
    body,
    sha256: createHash("sha256").update(body).digest("hex"),
  };
}

export class CheckError extends Error {
  override readonly name: string = "CheckError";
}

/** The server no longer serves what was measured, or restarted under the measurement: most
 * likely a file under src/ changed and wrangler dev reloaded the Worker. */
export class RepresentationChangedError extends CheckError {
  override readonly name = "RepresentationChangedError";
}

export function expectStatus(fetched: Fetched, status: number, what: string): void {
  if (fetched.status !== status)
    throw new CheckError(`${what}: expected status ${status}, got ${fetched.status}`);
}

/**
 * A check that `url` still serves exactly `expected` (same bytes, same ETag): after each load
 * run, so a change under the benchmark (an edit of src/, which wrangler dev reloads; a publish
 * to the benchmark's database) is caught rather than silently measured.
 */
export function sameRepresentation(
  url: string,
  expected: Fetched,
  what: string,
): () => Promise<void> {
  return async () => {
    const now = await fetchBytes(url);
    expectStatus(now, 200, what);
    if (
      now.sha256 !== expected.sha256 ||
      now.headers.get("etag") !== expected.headers.get("etag")
    ) {
      throw new RepresentationChangedError(
        `${what}: the response changed during the benchmark (${expected.body.byteLength} → ${now.body.byteLength} bytes, ` +
          `ETag ${expected.headers.get("etag")} → ${now.headers.get("etag")}). Did a file under src/ change (wrangler dev reloads it), or did something publish to the benchmark's database?`,
      );
    }
  };
}
