/**
 * A fully rendered response body with the validators aggregators revalidate against.
 * Rendered once per isolate and cache key (content version included), then served from memory:
 * feeds are polled every few minutes and the content only changes on publish.
 */
import { sha256Hex } from "../lib/crypto.ts";

export interface Representation {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Strong entity tag (RFC 9110 §8.8.3), quoted: a hash of the exact bytes. */
  readonly etag: string;
  /** Newest content change, whole seconds (HTTP dates have no finer precision); null if none. */
  readonly lastModified: Date | null;
  /** Headers that belong to these bytes, e.g. a long Cache-Control on a final archive page. */
  readonly headers: Readonly<Record<string, string>>;
}

const encoder = new TextEncoder();

export async function createRepresentation(
  body: string | Uint8Array,
  contentType: string,
  lastModified: Date | null,
  headers: Readonly<Record<string, string>> = {},
): Promise<Representation> {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  // 128 bits of SHA-256 tell versions of one URL apart; the full 256 only lengthen the header.
  const hex = (await sha256Hex(bytes)).slice(0, 32);
  return {
    body: bytes,
    contentType,
    etag: `"${hex}"`,
    lastModified:
      lastModified === null ? null : new Date(Math.floor(lastModified.getTime() / 1000) * 1000),
    headers,
  };
}

/**
 * Memoizes rendered representations by key, least recently used first out, within a byte
 * budget. Without the budget any client could fill the isolate's memory (128 MB on Workers) by
 * asking for every `?limit=` of every tag feed; with it, a crawler walking every article page
 * only evicts entries, and the busy feeds are re-rendered on their next request.
 *
 * Holds finished representations only (bytes and strings), never a render in flight: a render
 * does I/O (D1, the Cache API), which Workers tie to the request that started it, so another
 * request awaiting it could fail with "Cannot perform I/O on behalf of a different request" or
 * hang when the first was cancelled. Concurrent misses of one key each render; the first
 * finished is kept, and the same key always renders the same bytes.
 */
export class RepresentationCache {
  // A Map iterates in insertion order; re-inserting on every hit makes it an LRU list.
  readonly #entries = new Map<string, { rep: Representation; bytes: number }>();
  #bytes = 0;
  readonly maxBytes: number;

  constructor(maxBytes = 32 * 1024 * 1024) {
    this.maxBytes = maxBytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  async get(key: string, render: () => Promise<Representation>): Promise<Representation> {
    const hit = this.#take(key);
    if (hit) return hit;
    // A failed render throws here and is not cached: the next request tries again.
    const rep = await render();
    const raced = this.#take(key);
    if (raced) return raced;
    const entry = { rep, bytes: rep.body.byteLength + key.length };
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    this.#evict();
    return rep;
  }

  /** The entry for `key`, made the most recently used; null if none. */
  #take(key: string): Representation | null {
    const hit = this.#entries.get(key);
    if (!hit) return null;
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit.rep;
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) return;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }
}
