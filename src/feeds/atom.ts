/** Atom 1.0 (RFC 4287). */
import { toFeedLibrary, withArchiveLinks, withPlainAtomText } from "./feed-library.ts";
import type { FeedDocument } from "./model.ts";

export function renderAtom(doc: FeedDocument): string {
  return withArchiveLinks(withPlainAtomText(toFeedLibrary(doc, "atom").atom1(), doc), doc, "atom");
}
