/**
 * Adapter from FeedDocument to the `feed` package, for RSS (rss.ts) and Atom (atom.ts). The
 * package has quirks this file exists to contain: it replaces only the first `]]>` inside CDATA; it writes an RSS item's title as CDATA
 * and an Atom entry's title and summary as `type="html"` CDATA, so plain text would have to be
 * HTML-escaped to go in, and readers show that escaping (feedparser and sfeed print an RSS title
 * `Q&amp;A` as "Q&amp;A": the RSS Best Practices Profile and the W3C validator hold RSS titles to
 * plain text, and sfeed takes Atom titles as text too); and the XML writer it uses (xml-js)
 * un-escapes `&amp;` in element text before escaping it (js2xml.js `writeText`, "to avoid double
 * sanitization"), so a name that says "&amp;" literally would reach readers as "&" unless every
 * `&` is escaped first, which makes that un-escaping exact.
 *
 * So plain text goes out as plain XML text everywhere: RSS titles through an item extension of
 * the same name (it replaces the CDATA title in place, rss.ts), Atom titles and summaries as
 * `type="text"` (RFC 4287 §3.1.1.1, atom.ts). Only RSS's description, which RSS 2.0 defines as
 * HTML, and the content carry HTML.
 */
import { Feed, type FeedOptions, type Item } from "feed";
import type { FeedDocument, FeedItem } from "./model.ts";

export const GENERATOR = "Axis Dispatch";

/** Every `]]>` (not just the first) made harmless: in HTML, `>` and `&gt;` mean the same. */
export function cdataSafe(html: string): string {
  return html.replaceAll("]]>", "]]&gt;");
}

/** Plain text for an XML element the `feed` package writes as text (see above). */
export function feedText(text: string): string {
  return text.replace(/&/g, "&amp;");
}

/** What RSS and Atom write differently in an entry (rss.ts, atom.ts). */
export type EntryParts = Pick<Item, "title" | "description" | "author" | "extensions">;

/**
 * `doc` as the `feed` package's Feed, for its RSS and Atom writers; `entry` gives each item's
 * format-specific parts. (JSON Feed is written from the FeedDocument itself: json.ts.)
 */
export function toFeedLibrary(
  doc: FeedDocument,
  entry: (item: FeedItem, index: number) => EntryParts,
): Feed {
  const options: FeedOptions = {
    id: doc.id,
    title: feedText(doc.title),
    description: feedText(doc.description),
    link: doc.homeUrl,
    language: doc.language,
    image: doc.iconUrl,
    favicon: doc.iconUrl,
    updated: doc.updated,
    generator: GENERATOR,
    feedLinks: { rss: doc.links.rss, atom: doc.links.atom, json: doc.links.json },
    author: {
      name: feedText(doc.author.name),
      link: doc.author.url,
      ...(doc.author.email ? { email: doc.author.email } : {}),
    },
    ...(doc.stylesheet ? { stylesheet: doc.stylesheet } : {}),
    ...(doc.hubUrl ? { hub: doc.hubUrl } : {}),
  };
  const feed = new Feed(options);
  for (const [index, item] of doc.items.entries()) {
    feed.addItem({
      id: item.id,
      guid: item.id,
      link: item.url,
      content: cdataSafe(item.contentHtml),
      date: item.updated,
      published: item.published,
      category: item.categories.map((c) => ({
        name: c.term,
        term: c.term,
        domain: c.url,
        scheme: c.url.slice(0, c.url.lastIndexOf("/") + 1),
      })),
      ...entry(item, index),
    });
  }
  return feed;
}

const HISTORY_NS = "http://purl.org/syndication/history/1.0";

function xmlAttr(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}

/**
 * Adds RFC 5005's archive links (and, on an archive page, `<fh:archive/>`) to what the `feed`
 * package wrote, which has no option for them: after the document's self link, in the
 * document's own link syntax (RSS carries them as atom:link, as it does its self link).
 */
export function withArchiveLinks(xml: string, doc: FeedDocument, format: "rss" | "atom"): string {
  const archive = doc.archive;
  if (archive === null) return xml;
  const type = format === "rss" ? "application/rss+xml" : "application/atom+xml";
  const link = (rel: string, href: string) =>
    format === "rss"
      ? `<atom:link href="${xmlAttr(href)}" rel="${rel}" type="${type}"/>`
      : `<link rel="${rel}" href="${xmlAttr(href)}" type="${type}"/>`;
  const lines = [
    ...(archive.isArchive ? ["<fh:archive/>", link("current", archive.current[format])] : []),
    ...(archive.prev ? [link("prev-archive", archive.prev[format])] : []),
    ...(archive.next ? [link("next-archive", archive.next[format])] : []),
  ];
  const self =
    format === "rss"
      ? /^(\s*)<atom:link href="[^"]*" rel="self"[^>]*\/>$/m
      : /^(\s*)<link rel="self" href="[^"]*"\/>$/m;
  const root = format === "rss" ? "<rss " : "<feed ";
  return xml
    .replace(root, `${root}xmlns:fh="${HISTORY_NS}" `)
    .replace(self, (whole, indent: string) =>
      [whole, ...lines.map((l) => `${indent}${l}`)].join("\n"),
    );
}
