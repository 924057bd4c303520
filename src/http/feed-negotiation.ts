/**
 * Which variant of a feed URL a request gets: the feed's own bytes, or a readable HTML preview.
 *
 * Only a person opening the feed in a browser gets the preview: the browser's own top-level
 * navigation (Fetch Metadata, https://www.w3.org/TR/fetch-metadata/: `Sec-Fetch-Dest: document`
 * and `Sec-Fetch-Mode: navigate`, which a page's script cannot forge, and which feed readers do
 * not send) whose `Accept` prefers text/html to the feed's own media type (RFC 9110 §12.5.1).
 * A reader that imitates a browser's `Accept` or `User-Agent` still gets the feed: neither
 * header alone decides. Both variants name these headers in `Vary` (RFC 9110 §12.5.5), so a
 * cache that honours it never hands one variant to the other kind of client.
 */

/** The request headers that choose the variant: sent with both variants. */
export const FEED_VARY = "Sec-Fetch-Dest, Sec-Fetch-Mode, Accept";

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

/** `Accept` as media ranges with their weights; a malformed weight counts as 0 (not wanted). */
function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(",")) {
    const [range, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const [type, subtype] = (range ?? "").split("/");
    if (!type || !subtype) continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split("=").map((s) => s.trim());
      if (name === "q") q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value ?? "") ? Number(value) : 0;
    }
    ranges.push({ type, subtype, q });
  }
  return ranges;
}

/** The weight `Accept` gives `mediaType`: that of its most specific matching range (RFC 9110 §12.5.1). */
function weightOf(ranges: readonly MediaRange[], mediaType: string): number {
  const [type, subtype] = mediaType.split(";")[0]!.trim().toLowerCase().split("/");
  let best: { specificity: number; q: number } | null = null;
  for (const r of ranges) {
    const specificity =
      r.type === type && r.subtype === subtype
        ? 2
        : r.type === type && r.subtype === "*"
          ? 1
          : r.type === "*" && r.subtype === "*"
            ? 0
            : -1;
    if (specificity < 0) continue;
    if (best === null || specificity > best.specificity) best = { specificity, q: r.q };
  }
  return best?.q ?? 0;
}

/** True when this request is a person opening the feed in a browser (see the module comment). */
export function wantsFeedPreview(headers: Headers, feedMediaType: string): boolean {
  if (headers.get("Sec-Fetch-Dest")?.trim().toLowerCase() !== "document") return false;
  if (headers.get("Sec-Fetch-Mode")?.trim().toLowerCase() !== "navigate") return false;
  const accept = headers.get("Accept");
  if (accept === null) return false;
  const ranges = parseAccept(accept);
  return weightOf(ranges, "text/html") > weightOf(ranges, feedMediaType);
}
