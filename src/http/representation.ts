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
 */
export class RepresentationCache {
  // A Map iterates in insertion order; re-inserting on every hit makes it an LRU list.
  readonly #entries = new Map<string, { rep: Promise<Representation>; bytes: number }>();
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

  get(key: string, render: () => Promise<Representation>): Promise<Representation> {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.rep;
    }
    const entry = { rep: render(), bytes: 0 };
    this.#entries.set(key, entry);
    entry.rep.then(
      (rep) => {
        if (this.#entries.get(key) !== entry) return;
        entry.bytes = rep.body.byteLength + key.length;
        this.#bytes += entry.bytes;
        this.#evict();
      },
      // A failed render is not cached: the next request tries again.
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return entry.rep;
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) return;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }
}
