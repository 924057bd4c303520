/** Atom 1.0 (RFC 4287), through the `feed` package (feed-library.ts). */
import { type EntryParts, feedText, toFeedLibrary, withArchiveLinks } from "./feed-library.ts";
import type { FeedDocument, FeedItem } from "./model.ts";

export function renderAtom(doc: FeedDocument): string {
  const entry = (item: FeedItem, index: number): EntryParts => ({
    title: atomTextPlaceholder("title", index),
    description: atomTextPlaceholder("summary", index),
    author: item.authors.map((name) => ({ name: feedText(name) })),
  });
  return withArchiveLinks(withPlainAtomText(toFeedLibrary(doc, entry).atom1(), doc), doc, "atom");
}

/**
 * Stands in for an Atom entry's title or summary until `withPlainAtomText` writes it as text.
 * U+FFFF cannot occur in a rendered document (readerReady strips it from every field), so a
 * placeholder matches only itself.
 */
function atomTextPlaceholder(element: "title" | "summary", index: number): string {
  return `\uFFFF${element} ${index}\uFFFF`;
}

/** Plain text as XML element text (XML 1.0 §2.4): `&` and `<` escaped, and `>` for `]]>`. */
function xmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Atom entries' titles and summaries as `type="text"` (RFC 4287 §3.1.1.1): readers show exactly
 * the text, where `type="html"` would leave each reader to decode (or not) the escaping.
 */
function withPlainAtomText(xml: string, doc: FeedDocument): string {
  let out = xml;
  for (const [index, item] of doc.items.entries()) {
    for (const [element, text] of [
      ["title", item.title],
      ["summary", item.summary],
    ] as const) {
      const written = `<${element} type="html"><![CDATA[${atomTextPlaceholder(element, index)}]]></${element}>`;
      if (!out.includes(written))
        throw new Error(`the feed package no longer writes an Atom ${element} as ${written}`);
      out = out.replace(written, () => `<${element} type="text">${xmlText(text)}</${element}>`);
    }
  }
  return out;
}
