/** An XML parser independent of the `feed` package that writes our feeds. */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export function parseXml(text: string): Record<string, any> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    cdataPropName: false as unknown as string,
    // Elements that may repeat are always arrays, so tests need not care whether there is one.
    isArray: (name, jpath) =>
      ["item", "entry", "category", "atom:link", "dc:creator", "author"].includes(name) ||
      jpath === "feed.link" ||
      jpath === "feed.entry.link",
    processEntities: true,
    htmlEntities: false,
    parseTagValue: false,
  });
  return parser.parse(text);
}
