/**
 * A feed read back the way a reader reads it, with parsers independent of the `feed` package
 * that writes it: fast-xml-parser for RSS and Atom (after checking the document is well-formed
 * and every character is one XML allows), JSON.parse for JSON Feed, parse5 for the HTML the
 * formats carry. Fields come back as the text a reader shows: RSS titles and descriptions and
 * Atom `type="html"` text decoded as HTML, plain-text elements as they are.
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
  const forbidden = nonXmlChars(body);
  if (forbidden.length > 0)
    throw new Error(`characters XML does not allow: ${forbidden.join(" ")}`);
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const doc = xml.parse(body);
  if (format === "rss") {
    return (doc.rss.channel.item ?? []).map((i: Record<string, any>) => ({
      id: text(i.guid),
      link: text(i.link?.[0]),
      title: htmlToText(text(i.title)),
      summary: htmlToText(text(i.description)),
      contentHtml: text(i["content:encoded"]),
      authors: (i["dc:creator"] ?? []).map(text),
      categories: (i.category ?? []).map(text),
    }));
  }
  return (doc.feed.entry ?? []).map((e: Record<string, any>) => ({
    id: text(e.id),
    link: e.link?.[0]?.["@href"] ?? "",
    title: htmlToText(text(e.title)),
    summary: htmlToText(text(e.summary)),
    contentHtml: text(e.content),
    authors: (e.author ?? []).map((a: Record<string, unknown>) => text(a.name)),
    categories: (e.category ?? []).map((c: Record<string, string>) => c["@term"] ?? ""),
  }));
}
