/**
 * The second tier behind the in-isolate RepresentationCache: Cloudflare's Cache API
 * (https://developers.cloudflare.com/workers/runtime-apis/cache/), shared by the isolates of a
 * data centre. Only for keys that name the content version's token, so an entry never goes
 * stale: a new version has new keys, and old entries expire on their own.
 */
import { sha256Hex } from "../lib/crypto.ts";
import { createRepresentation, type Representation } from "./representation.ts";

/** Entries live a week; a version's token changes with its content, never under an entry. */
const EDGE_TTL_SECONDS = 7 * 86_400;
const EXTRA_HEADERS = "X-Axis-Headers";
const LAST_MODIFIED_MS = "X-Axis-Last-Modified";

async function keyRequest(key: string): Promise<Request> {
  // The key (config fingerprint + token + route) can be long; the Cache API keys on a URL.
  return new Request(`https://axis-dispatch.cache/${await sha256Hex(key)}`);
}

function edgeCache(): Cache | null {
  // Absent outside workerd (the Node scripts); an error here must never fail a request.
  return typeof caches === "undefined" ? null : caches.default;
}

export async function edgeCacheGet(key: string): Promise<Representation | null> {
  const cache = edgeCache();
  if (cache === null) return null;
  try {
    const hit = await cache.match(await keyRequest(key));
    if (!hit) return null;
    const lastModified = hit.headers.get(LAST_MODIFIED_MS);
    return await createRepresentation(
      new Uint8Array(await hit.arrayBuffer()),
      hit.headers.get("Content-Type") ?? "application/octet-stream",
      lastModified ? new Date(Number(lastModified)) : null,
      JSON.parse(hit.headers.get(EXTRA_HEADERS) ?? "{}") as Record<string, string>,
    );
  } catch (err) {
    console.warn(`edge cache read failed, rendering instead: ${String(err)}`);
    return null;
  }
}

export async function edgeCachePut(key: string, rep: Representation): Promise<void> {
  const cache = edgeCache();
  if (cache === null) return;
  try {
    const headers = new Headers({
      "Content-Type": rep.contentType,
      "Cache-Control": `public, max-age=${EDGE_TTL_SECONDS}`,
      [EXTRA_HEADERS]: JSON.stringify(rep.headers),
    });
    if (rep.lastModified) headers.set(LAST_MODIFIED_MS, String(rep.lastModified.getTime()));
    await cache.put(await keyRequest(key), new Response(rep.body, { headers }));
  } catch (err) {
    console.warn(`edge cache write failed: ${String(err)}`);
  }
}
