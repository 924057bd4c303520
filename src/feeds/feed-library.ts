/**
 * Adapter from FeedDocument to the `feed` package. The package has quirks this file exists to
 * contain: it replaces only the first `]]>` inside CDATA; it writes an RSS item's title as CDATA
 * and an Atom entry's title and summary as `type="html"` CDATA, so plain text would have to be
 * HTML-escaped to go in, and readers show that escaping (feedparser and sfeed print an RSS title
 * `Q&amp;A` as "Q&amp;A": the RSS Best Practices Profile and the W3C validator hold RSS titles to
 * plain text, and sfeed takes Atom titles as text too); and the XML writer it uses (xml-js)
 * un-escapes `&amp;` in element text before escaping it (js2xml.js `writeText`, "to avoid double
 * sanitization"), so a name that says "&amp;" literally would reach readers as "&" unless every
 * `&` is escaped first, which makes that un-escaping exact.
 *
 * So plain text goes out as plain XML text everywhere: RSS titles through an item extension of
 * the same name (it replaces the CDATA title in place), Atom titles and summaries as
 * `type="text"` (RFC 4287 §3.1.1.1) by `withPlainAtomText`. Only RSS's description, which RSS
 * 2.0 defines as HTML, and the content carry HTML.
 */
import { Feed, type FeedOptions, type Item } from "feed";
import type { FeedFormat } from "../lib/feed-formats.ts";
import { escapeHtml } from "../lib/html.ts";
import type { FeedDocument } from "./model.ts";

export const GENERATOR = "Axis Dispatch";

/** Every `]]>` (not just the first) made harmless: in HTML, `>` and `&gt;` mean the same. */
function cdataSafe(html: string): string {
  return html.replaceAll("]]>", "]]&gt;");
}

export function toFeedLibrary(doc: FeedDocument, format: FeedFormat): Feed {
  // Plain text in an XML element the `feed` package writes as text (see above); JSON has no
  // such step.
  const text = format === "json" ? (s: string) => s : (s: string) => s.replace(/&/g, "&amp;");
  const options: FeedOptions = {
    id: doc.id,
    title: text(doc.title),
    description: text(doc.description),
    link: doc.homeUrl,
    language: doc.language,
    image: doc.iconUrl,
    favicon: doc.iconUrl,
    updated: doc.updated,
    generator: GENERATOR,
    feedLinks: { rss: doc.links.rss, atom: doc.links.atom, json: doc.links.json },
    author: {
      name: text(doc.author.name),
      link: doc.author.url,
      ...(doc.author.email ? { email: doc.author.email } : {}),
    },
    ...(doc.stylesheet && format !== "json" ? { stylesheet: doc.stylesheet } : {}),
    ...(doc.hubUrl ? { hub: doc.hubUrl } : {}),
  };
  const feed = new Feed(options);
  if (format === "rss" && doc.author.email) {
    // RSS 2.0's managingEditor must be an email address, optionally with the name in parentheses.
    feed.addExtension({
      name: "managingEditor",
      objects: { _text: text(`${doc.author.email} (${doc.author.name})`) },
    });
  }
  for (const [index, item] of doc.items.entries()) {
    // Plain text → HTML text, for RSS's description (HTML in RSS 2.0).
    const html = format === "json" ? (s: string) => s : (s: string) => cdataSafe(escapeHtml(s));
    const entry: Item = {
      id: item.id,
      guid: item.id,
      title: format === "atom" ? atomTextPlaceholder("title", index) : item.title,
      link: item.url,
      description: format === "atom" ? atomTextPlaceholder("summary", index) : html(item.summary),
      content: cdataSafe(item.contentHtml),
      date: item.updated,
      published: item.published,
      category: item.categories.map((c) => ({
        name: c.term,
        term: c.term,
        domain: c.url,
        scheme: c.url.slice(0, c.url.lastIndexOf("/") + 1),
      })),
    };
    if (format === "rss") {
      // RSS's <author> must be an email address; names go in Dublin Core's dc:creator instead.
      entry.extensions = [
        // Replaces the package's CDATA title (same key, so same place) with plain XML text.
        { name: "title", objects: { _text: text(item.title) } },
        {
          name: "dc:creator",
          objects: item.authors.map((name) => ({ _text: text(name) })) as unknown as Record<
            string,
            unknown
          >,
        },
      ];
    } else {
      entry.author = item.authors.map((name) => ({ name: text(name) }));
    }
    feed.addItem(entry);
  }
  return feed;
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
export function withPlainAtomText(xml: string, doc: FeedDocument): string {
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
