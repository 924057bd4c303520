/**
 * Relative URLs in an item's HTML made absolute against the item's own URL. A feed document
 * has no base a reader agrees on: RSS has none, Atom's xml:base and JSON Feed's are ignored by
 * many readers, which then resolve `<img src="map.png">` against the feed's URL or their own.
 * So every `href`, `src` and `srcset` URL that is relative (`map.png`, `../x`, `/x`, `#notes`,
 * `?q`) becomes absolute against the article's page, the address the page itself resolves
 * them against; a fragment-only link then opens the article at that fragment.
 *
 * Done when a feed is rendered, not at publish: the stored HTML is served under whatever
 * BASE_URL the Worker has (local, preview, production), and the article page needs no change.
 *
 * No DOM in workerd, and none needed: the HTML is the content build's sanitize-html output (or
 * markup the app writes around it), which double-quotes every attribute value and escapes `"`,
 * `<`, `>` and `&` inside values and `<` in text, so every `<` that is followed by a letter
 * opens a tag. Tags are read quote-aware all the same. A value that is already absolute, or
 * that does not resolve to http(s), is left exactly as it was: this never makes a URL worse.
 */

/** A start tag: `<name`, then attributes (quoted values may hold `>`), then `>`. */
const START_TAG = /<[a-zA-Z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>/g;
/** One URL-bearing attribute with a quoted value; values of other attributes are skipped whole. */
const ATTRIBUTE = /(\s)([^\s"'>/=]+)(\s*=\s*)(?:"([^"]*)"|'([^']*)')/g;
const URL_ATTRIBUTES: ReadonlySet<string> = new Set(["href", "src", "srcset"]);

const NAMED: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

/** An attribute value as HTML reads it (the references sanitize-html writes, and numeric ones). */
function decodeAttribute(value: string): string {
  return value.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] !== "#") return NAMED[ref] ?? whole;
    const code =
      ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function encodeAttribute(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/**
 * `url` made absolute against `base`, or null to leave it as it is. The URL parser strips the
 * surrounding whitespace HTML ignores, as browsers do.
 */
function absoluteUrl(url: string, base: string): string | null {
  // Already absolute (it has a scheme): not ours to touch.
  if (URL.canParse(url)) return null;
  if (!URL.canParse(url, base)) return null;
  const resolved = new URL(url, base);
  return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : null;
}

/**
 * A srcset's candidates (HTML §4.8.4.3.10 "parse a srcset attribute", simplified: a URL runs to
 * the next whitespace, a trailing comma ends a candidate without descriptors, otherwise the
 * descriptors run to the next comma), each URL made absolute.
 */
function absoluteSrcset(srcset: string, base: string): string | null {
  const candidates: string[] = [];
  let changed = false;
  const re = /[\s,]*([^\s]+)([^,]*)/gy;
  for (let m = re.exec(srcset); m !== null && m[0] !== ""; m = re.exec(srcset)) {
    let url = m[1]!;
    let descriptors = m[2]!.trim();
    if (url.endsWith(",")) {
      url = url.replace(/,+$/, "");
      re.lastIndex -= m[2]!.length;
      descriptors = "";
    }
    const absolute = absoluteUrl(url, base);
    if (absolute !== null) changed = true;
    candidates.push(descriptors === "" ? (absolute ?? url) : `${absolute ?? url} ${descriptors}`);
  }
  return changed ? candidates.join(", ") : null;
}

/** `html` with every relative href, src and srcset URL made absolute against `base`. */
export function absolutizeUrls(html: string, base: string): string {
  if (!html.includes("=")) return html;
  return html.replace(START_TAG, (tag) =>
    tag.replace(
      ATTRIBUTE,
      (whole, space: string, name: string, equals: string, dq?: string, sq?: string) => {
        const lower = name.toLowerCase();
        if (!URL_ATTRIBUTES.has(lower)) return whole;
        const value = decodeAttribute(dq ?? sq ?? "");
        const absolute =
          lower === "srcset" ? absoluteSrcset(value, base) : absoluteUrl(value, base);
        return absolute === null ? whole : `${space}${name}${equals}"${encodeAttribute(absolute)}"`;
      },
    ),
  );
}
