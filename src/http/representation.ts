/**
 * A fully rendered response body with the validators aggregators revalidate against.
 * Rendered once per isolate and cache key, then served from memory: feeds are polled every few
 * minutes and the content only changes on deploy.
 */
export interface Representation {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Strong entity tag (RFC 9110 §8.8.3), quoted: a hash of the exact bytes. */
  readonly etag: string;
  /** Newest content change, whole seconds (HTTP dates have no finer precision); null if none. */
  readonly lastModified: Date | null;
}

const encoder = new TextEncoder();

export async function createRepresentation(body: string | Uint8Array, contentType: string, lastModified: Date | null): Promise<Representation> {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const b of digest.subarray(0, 16)) hex += b.toString(16).padStart(2, "0");
  return {
    body: bytes,
    contentType,
    etag: `"${hex}"`,
    lastModified: lastModified === null ? null : new Date(Math.floor(lastModified.getTime() / 1000) * 1000),
  };
}

/**
 * Memoizes rendered representations by key. Keys are bounded (routes × tags × valid query
 * values), but the map is still capped so a bug can never grow it without limit.
 */
export class RepresentationCache {
  readonly #entries = new Map<string, Promise<Representation>>();
  constructor(private readonly maxEntries = 5000) {}

  get(key: string, render: () => Promise<Representation>): Promise<Representation> {
    let hit = this.#entries.get(key);
    if (!hit) {
      if (this.#entries.size >= this.maxEntries) this.#entries.clear();
      hit = render();
      // A failed render is not cached: the next request tries again.
      hit.catch(() => this.#entries.delete(key));
      this.#entries.set(key, hit);
    }
    return hit;
  }
}
