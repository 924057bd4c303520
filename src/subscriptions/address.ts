/**
 * Email address validation and normalization for sign-ups. Deliberately stricter than RFC 5322
 * (no quoted local parts, comments or IP literals): those are valid but almost never real
 * subscribers, and rejecting them keeps header injection impossible.
 */
export type AddressResult = { ok: true; email: string } | { ok: false; reason: string };

/** The longest address SMTP can carry (RFC 5321 §4.5.3.1.3: a 256-octet path, less "<>"). */
export const MAX_ADDRESS_LENGTH = 254;

/**
 * Input longer than this is refused before any other work: whitespace around a real address
 * is trimmed, but normalizing (NFC) and scanning megabytes of it would only cost time.
 */
const MAX_RAW_LENGTH = 1024;

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

// C0 and C1 controls, DEL, the line and paragraph separators, the bidi embedding, override and
// isolate controls (they can reorder the page around them), and lone surrogates.
const NOT_ECHOABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * What of a submitted address may be shown back on a page: control and reordering characters
 * removed, and cut to MAX_ADDRESS_LENGTH code points (never inside a surrogate pair), so a
 * 10 MB field is never echoed and nothing in it can break or reorder the page.
 */
export function addressForEcho(raw: string | null | undefined): string {
  if (!raw) return "";
  // Clean a bounded prefix only: the result is at most MAX_ADDRESS_LENGTH code points anyway.
  const cleaned = raw.slice(0, MAX_RAW_LENGTH * 4).replace(NOT_ECHOABLE, "");
  return Array.from(cleaned).slice(0, MAX_ADDRESS_LENGTH).join("");
}

export function normalizeEmail(raw: string | null | undefined): AddressResult {
  if (raw === null || raw === undefined || raw.trim() === "")
    return { ok: false, reason: "Please enter your email address." };
  const tooLong = {
    ok: false,
    reason: `That address is too long: an email address has at most ${MAX_ADDRESS_LENGTH} characters.`,
  } as const;
  if (raw.length > MAX_RAW_LENGTH) return tooLong;
  // Case: domains are case-insensitive, and in practice so are mailboxes; one row per person.
  const email = raw.normalize("NFC").trim().toLowerCase();
  if (email.length > MAX_ADDRESS_LENGTH) return tooLong;
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1 || email.indexOf("@") !== at) {
    return {
      ok: false,
      reason:
        "That is not an email address: expected one “@” between a name and a domain, like reader@example.org.",
    };
  }
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) {
    return {
      ok: false,
      reason:
        "The part before “@” has characters an address cannot have (spaces, quotes, commas, or two dots in a row).",
    };
  }
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !/[a-z]/.test(labels.at(-1)!)) {
    return {
      ok: false,
      // The domain is shown back: cleaned like any echo, it cannot break the page.
      reason: `“${addressForEcho(domain)}” is not a domain an email can go to: expected something like example.org.`,
    };
  }
  return { ok: true, email };
}
