/**
 * The last step before a FeedDocument becomes bytes, the same for every format: text that XML
 * cannot carry is dropped, and the items' HTML gets absolute URLs. Published content is already
 * clean (the content build strips the same characters); this holds the feeds to it whatever
 * the document was built from, since one control character makes a whole RSS or Atom document
 * unreadable to a conforming XML parser (XML 1.0 §2.2).
 */
import { stripUnsafeChars } from "../model/safe-text.ts";
import { absolutizeUrls } from "./absolute-urls.ts";
import type { FeedDocument, FeedItem } from "./model.ts";

function readerReadyItem(item: FeedItem): FeedItem {
  return {
    ...item,
    title: stripUnsafeChars(item.title),
    summary: stripUnsafeChars(item.summary),
    contentHtml: absolutizeUrls(stripUnsafeChars(item.contentHtml), item.url),
    authors: item.authors.map(stripUnsafeChars),
    categories: item.categories.map((c) => ({ ...c, term: stripUnsafeChars(c.term) })),
  };
}

export function readerReady(doc: FeedDocument): FeedDocument {
  return {
    ...doc,
    title: stripUnsafeChars(doc.title),
    description: stripUnsafeChars(doc.description),
    author: { ...doc.author, name: stripUnsafeChars(doc.author.name) },
    items: doc.items.map(readerReadyItem),
  };
}
