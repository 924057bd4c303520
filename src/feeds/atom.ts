/** Atom 1.0 (RFC 4287). */
import { toFeedLibrary, withArchiveLinks } from "./feed-library.ts";
import type { FeedDocument } from "./model.ts";

export function renderAtom(doc: FeedDocument): string {
  return withArchiveLinks(toFeedLibrary(doc, "atom").atom1(), doc, "atom");
}
