/**
 * The digest archive's version, with the last one this isolate read kept as a fallback.
 *
 * The archive pages and digest feeds read the version on every request (it keys their render
 * cache), so a moment when D1 cannot be read (overloaded, a restore, the local database locked
 * by a publish) would answer 503 to every aggregator polling then, although the archive changes
 * once a week and its bytes are in the render cache. When the read fails and this isolate has
 * read a version before, that version is used: readers get the archive as it was, the answer
 * carries its usual ETag, and the failure is logged (stale-if-error, RFC 5861 section 4). With
 * no earlier version the error stands, and the app answers 503.
 *
 * Only the settled string is kept, never the read itself: Workers forbid one request to await
 * I/O that another request started.
 */
import { archiveVersion } from "./store.ts";

const lastRead = new WeakMap<D1Database, string>();

export async function archiveVersionOrLast(db: D1Database): Promise<string> {
  try {
    const version = await archiveVersion(db);
    lastRead.set(db, version);
    return version;
  } catch (err) {
    const last = lastRead.get(db);
    if (last === undefined) throw err;
    console.warn(
      `digest archive: D1 read failed, serving the archive as last read (${last}): ${String(err)}`,
    );
    return last;
  }
}
