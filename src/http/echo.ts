/**
 * What a page may repeat of the request (a path, a parameter): short and printable. Echoing it
 * whole would let anyone make us send back megabytes (a 65 KB path came back twice in a 404
 * page), and control or bidirectional characters would garble or disguise the page's text.
 */

/** C0 and C1 controls, the bidirectional marks, embeddings, overrides and isolates, and lone
 * surrogates (no character at all). */
const UNPRINTABLE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;

/** How much of a path a page repeats: enough to recognise it, never a flood. */
export const ECHO_MAX_CHARACTERS = 80;

/**
 * `text` cleaned (each unprintable character becomes U+FFFD) and cut to `max` characters (code
 * points, so a cut never splits one), with "…" when it was longer. Escaping stays the page's job.
 */
export function echo(text: string, max = ECHO_MAX_CHARACTERS): string {
  const chars = Array.from(text.slice(0, max * 2 + 2)).map((ch) =>
    ch.replace(UNPRINTABLE, "\ufffd"),
  );
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : chars.join("");
}
