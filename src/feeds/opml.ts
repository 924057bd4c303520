/**
 * OPML 2.0 (https://opml.org/spec2.opml): a subscription list that feed readers import, so a
 * reader can follow every feed of the site in one step. The same feeds give the same bytes
 * (no dateCreated: the list changes only when the tags do).
 */

/** One subscription: a feed and the page it mirrors. */
export interface OpmlOutline {
  readonly title: string;
  readonly xmlUrl: string;
  readonly htmlUrl: string;
}

/** The media type readers and browsers know OPML by. */
export const OPML_CONTENT_TYPE = "text/x-opml; charset=utf-8";

/** Whether XML 1.0 allows this code point in a document (§2.2 Char): no C0 controls but TAB,
 * LF and CR, no lone surrogates, no U+FFFE/U+FFFF. A tag name could carry any of them. */
function isXmlChar(cp: number): boolean {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return cp !== 0xfffe && cp !== 0xffff;
}

/** Text for an XML attribute value in double quotes (XML 1.0 §2.4, §3.3.3). */
function attribute(text: string): string {
  return Array.from(text)
    .filter((ch) => isXmlChar(ch.codePointAt(0)!))
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

/** Feeds a reader files together (one folder in most readers): the site, the digest, tags. */
export interface OpmlGroup {
  readonly title: string;
  readonly outlines: readonly OpmlOutline[];
}

/**
 * An OPML 2.0 subscription list, its feeds in groups: an outline with only `text` holding the
 * feeds' outlines (§ "Subscription lists": readers show such an outline as a folder), so the tag
 * feeds, which repeat the site's articles, are filed apart rather than as eight more feeds of
 * the same. Every feed outline is `type="rss"`, which the spec uses for any feed, with `text`
 * (required) and `title`, `xmlUrl` and `htmlUrl`.
 */
export function renderOpml(title: string, groups: readonly OpmlGroup[]): string {
  const lines = groups
    .filter((g) => g.outlines.length > 0)
    .flatMap((g) => [
      `    <outline text="${attribute(g.title)}" title="${attribute(g.title)}">`,
      ...g.outlines.map(
        (o) =>
          `      <outline type="rss" text="${attribute(o.title)}" title="${attribute(o.title)}" xmlUrl="${attribute(o.xmlUrl)}" htmlUrl="${attribute(o.htmlUrl)}"/>`,
      ),
      `    </outline>`,
    ]);
  return [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<opml version="2.0">`,
    `  <head>`,
    `    <title>${attribute(title)}</title>`,
    `    <docs>https://opml.org/spec2.opml</docs>`,
    `  </head>`,
    `  <body>`,
    ...lines,
    `  </body>`,
    `</opml>`,
    ``,
  ].join("\n");
}
