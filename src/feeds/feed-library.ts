/**
 * Adapter from FeedDocument to the `feed` package. The package has quirks this file exists to
 * contain: it replaces only the first `]]>` inside CDATA; Atom titles/summaries are emitted as
 * `type="html"`, so plain text must be HTML-escaped before it goes in; and the XML writer it
 * uses (xml-js) un-escapes `&amp;` in element text before escaping it (js2xml.js `writeText`,
 * "to avoid double sanitization"), so a name that says "&amp;" literally would reach readers as
 * "&" unless every `&` is escaped first, which makes that un-escaping exact.
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
  for (const item of doc.items) {
    // Plain text → HTML text, for Atom `type="html"` and RSS's HTML-bearing elements.
    const escape = format === "json" ? (s: string) => s : (s: string) => cdataSafe(escapeHtml(s));
    const entry: Item = {
      id: item.id,
      guid: item.id,
      title: escape(item.title),
      link: item.url,
      description: escape(item.summary),
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
