/**
 * The slots a stored digest email keeps for what differs per recipient and per deployment, and
 * filling them. Rendering happens once per week (render.ts); each copy is a string replacement.
 */

/**
 * Stands for the recipient's unsubscribe URL until fillRecipientSlots. U+001A cannot occur in
 * rendered content (every view string has its control characters stripped), so the slot can
 * only come from the template.
 */
export const UNSUBSCRIBE_SLOT = "\u001Aunsubscribe-url\u001A";

/**
 * Stands for the site's BASE_URL in every link of a stored digest, filled when the email is
 * served or sent: the stored rendering stays right when the site moves (or runs locally on
 * another port), and its content hash does not depend on where it is served. Same U+001A
 * guarantee as UNSUBSCRIBE_SLOT.
 */
export const BASE_URL_SLOT = "\u001Abase-url\u001A";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export interface SlotValues {
  /** The recipient's unsubscribe URL. */
  readonly unsubscribeUrl: string;
  /** The site's BASE_URL, for emails rendered with BASE_URL_SLOT (see digestEmailLinks). */
  readonly baseUrl: string;
}

/**
 * One recipient's copy: every slot replaced, HTML-escaped for the html part (they sit in
 * hrefs). The URLs must be absolute http(s) without whitespace or control characters, or this
 * throws rather than send a broken link.
 */
export function fillRecipientSlots(
  rendered: string,
  format: "html" | "text",
  values: SlotValues,
): string {
  const clean = (url: string, what: string) => {
    // eslint-disable-next-line no-control-regex
    if (!/^https?:\/\/[^\s\u0000-\u001F\u007F-\u009F]+$/i.test(url)) {
      throw new TypeError(
        `fillRecipientSlots: ${what} is not an absolute http(s) URL: ${JSON.stringify(url.slice(0, 100))}`,
      );
    }
    return format === "html" ? url.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!) : url;
  };
  const unsubscribe = clean(values.unsubscribeUrl, "the unsubscribe URL");
  const base = clean(values.baseUrl, "the base URL");
  // Replacer functions: a string replacement would interpret `$&` and friends in the URL.
  return rendered
    .replaceAll(UNSUBSCRIBE_SLOT, () => unsubscribe)
    .replaceAll(BASE_URL_SLOT, () => base);
}
