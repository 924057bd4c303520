/**
 * A feed read back the way a reader reads it, with parsers independent of the `feed` package
 * that writes it: fast-xml-parser for RSS and Atom (after checking the document is well-formed
 * and every character is one XML allows), JSON.parse for JSON Feed, parse5 for the HTML the
 * formats carry. Fields come back as the text a reader shows: RSS descriptions (HTML in RSS 2.0)
 * and Atom text constructs as their `type` says (RFC 4287 §3.1: "text" as it is, "html" decoded
 * as HTML), every other element as plain text. RSS titles are plain text (RSS Best Practices
 * Profile; the W3C validator warns "title should not contain HTML"), and feedparser and sfeed
 * show them so: a title written HTML-escaped reaches their readers as "Q&amp;A".
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { asParsed, htmlToText, nonXmlChars } from "./properties.ts";

export type Format = "rss" | "atom" | "json";

export interface ReadItem {
  readonly id: string;
  readonly link: string;
  readonly title: string;
  readonly summary: string;
  /** The item's HTML, as the format carries it (still HTML). */
  readonly contentHtml: string;
  readonly authors: readonly string[];
  readonly categories: readonly string[];
}

/** The feed's own text fields, as a reader shows them. */
export interface ReadFeedMeta {
  readonly title: string;
  readonly description: string;
  readonly authorName: string;
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  // Text exactly as written: no trimming, no number parsing, CDATA merged into the text.
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ["item", "entry", "category", "dc:creator", "author", "link"].includes(name),
});

/** Text of a parsed element: a string, or an object with `#text` when it has attributes. */
function text(node: unknown): string {
  if (node === undefined || node === null) return "";
  if (typeof node === "string") return asParsed(node);
  return asParsed(String((node as Record<string, unknown>)["#text"] ?? ""));
}

/** An Atom text construct (RFC 4287 §3.1) as a reader shows it: `type` says how to read it. */
function atomText(node: unknown): string {
  const type =
    typeof node === "object" && node !== null
      ? String((node as Record<string, unknown>)["@type"] ?? "text")
      : "text";
  if (type === "text") return text(node);
  if (type === "html") return htmlToText(text(node));
  throw new Error(`Atom text construct of type ${JSON.stringify(type)}: expected text or html`);
}

/** The document `body` as `format`, checked as a reader checks it. */
function parse(format: Exclude<Format, "json">, body: string): Record<string, any> {
  const forbidden = nonXmlChars(body);
  if (forbidden.length > 0)
    throw new Error(`characters XML does not allow: ${forbidden.join(" ")}`);
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  return xml.parse(body);
}

/** The feed's title, description and author's name, as a reader shows them. */
export function readFeedMeta(format: Format, body: string): ReadFeedMeta {
  if (format === "json") {
    const feed = JSON.parse(body) as Record<string, any>;
    return {
      title: feed.title,
      description: feed.description,
      authorName: feed.authors?.[0]?.name ?? "",
    };
  }
  const doc = parse(format, body);
  if (format === "rss") {
    const channel = doc.rss.channel;
    // managingEditor is "address (name)" (RSS 2.0); the name is what is inside the parentheses.
    const editor = /^\S+ \((.*)\)$/s.exec(text(channel.managingEditor))?.[1] ?? "";
    return {
      title: text(channel.title),
      description: text(channel.description),
      authorName: editor,
    };
  }
  return {
    title: atomText(doc.feed.title),
    description: atomText(doc.feed.subtitle),
    authorName: text(doc.feed.author?.[0]?.name),
  };
}

/** Reads `body` as `format`; throws, saying why, when a reader could not. */
export function readFeed(format: Format, body: string): ReadItem[] {
  if (format === "json") {
    const feed = JSON.parse(body) as { items: Record<string, any>[] };
    return feed.items.map((i) => ({
      id: i.id,
      link: i.url,
      title: i.title ?? "",
      summary: i.summary ?? "",
      contentHtml: i.content_html ?? "",
      authors: (i.authors ?? []).map((a: { name: string }) => a.name),
      categories: i.tags ?? [],
    }));
  }
  const doc = parse(format, body);
  if (format === "rss") {
    return (doc.rss.channel.item ?? []).map((i: Record<string, any>) => ({
      id: text(i.guid),
      link: text(i.link?.[0]),
      title: text(i.title),
      summary: htmlToText(text(i.description)),
      contentHtml: text(i["content:encoded"]),
      authors: (i["dc:creator"] ?? []).map(text),
      categories: (i.category ?? []).map(text),
    }));
  }
  return (doc.feed.entry ?? []).map((e: Record<string, any>) => ({
    id: text(e.id),
    link: e.link?.[0]?.["@href"] ?? "",
    title: atomText(e.title),
    summary: atomText(e.summary),
    contentHtml: text(e.content),
    authors: (e.author ?? []).map((a: Record<string, unknown>) => text(a.name)),
    categories: (e.category ?? []).map((c: Record<string, string>) => c["@term"] ?? ""),
  }));
}
