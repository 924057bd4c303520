/**
 * Email address validation and normalization for sign-ups. Deliberately stricter than RFC 5322
 * (no quoted local parts, comments or IP literals): those are valid but almost never real
 * subscribers, and rejecting them keeps header injection impossible.
 */
export type AddressResult =
  | {
      ok: true;
      /** Lower case, NFC, the domain in ASCII (IDNA A-labels). */
      email: string;
      /** Whether the local part has non-ASCII characters: only SMTPUTF8 mail can carry it. */
      utf8LocalPart: boolean;
    }
  | { ok: false; reason: string };

/** The longest address SMTP can carry (RFC 5321 §4.5.3.1.3: a 256-octet path, less "<>"). */
export const MAX_ADDRESS_LENGTH = 254;

/**
 * Input longer than this is refused before any other work: whitespace around a real address
 * is trimmed, but normalizing (NFC) and scanning megabytes of it would only cost time.
 */
const MAX_RAW_LENGTH = 1024;

/**
 * One character of a local part: RFC 5322 atext (§3.2.3), or, as RFC 6531 §3.3 extends it for
 * internationalized mail (SMTPUTF8), any non-ASCII character that is not a control, format,
 * unassigned or space character (those could hide or reorder what the reader sees).
 */
const LOCAL_CHAR = "[a-z0-9!#$%&'*+/=?^_`{|}~-]|(?![\\p{C}\\p{Z}])\\P{ASCII}";
const LOCAL = new RegExp(`^(?:${LOCAL_CHAR})+(?:\\.(?:${LOCAL_CHAR})+)*$`, "u");
const ONE_LOCAL_CHAR = new RegExp(`^(?:${LOCAL_CHAR}|\\.)$`, "u");
/** An ASCII DNS label (RFC 1035 §2.3.1, digits allowed first by RFC 1123 §2.1). */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** What a domain may hold before IDNA: the label characters, dots, and non-ASCII letters. */
const DOMAIN_INPUT = /^(?:[a-z0-9.-]|(?![\p{C}\p{Z}])\P{ASCII})+$/u;

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

const encoder = new TextEncoder();

/** What to say about the first character of `local` an address cannot have, or its dots. */
function localPartProblem(local: string): string {
  const bad = Array.from(local).find((ch) => !ONE_LOCAL_CHAR.test(ch));
  if (bad !== undefined) {
    const echoed = addressForEcho(bad);
    const shown = /\s/u.test(bad)
      ? "a space"
      : echoed === ""
        ? "an invisible or control character"
        : `“${echoed}”`;
    return `The part before “@” cannot contain ${shown}: expected letters, digits and . _ - + (like first.last+news@example.org).`;
  }
  return "The part before “@” cannot start or end with a dot, or have two dots in a row.";
}

/**
 * The domain in ASCII, as DNS and SMTP carry it: an internationalized one (bücher.de) becomes
 * its A-labels (xn--bcher-kva.de) through the URL parser's IDNA (UTS #46, the WHATWG URL host
 * parser), so every spelling of one domain is one address. Null when it is not a host name.
 */
function asciiDomain(domain: string): string | null {
  if (!DOMAIN_INPUT.test(domain)) return null;
  let host = domain;
  if (/\P{ASCII}/u.test(domain)) {
    try {
      host = new URL(`http://${domain}/`).hostname;
    } catch {
      return null;
    }
  }
  const labels = host.split(".");
  const valid =
    labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /[a-z]/.test(labels.at(-1)!);
  return valid ? host : null;
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
  const typed = raw.normalize("NFC").trim().toLowerCase();
  if (typed.length > MAX_ADDRESS_LENGTH) return tooLong;
  const at = typed.lastIndexOf("@");
  if (at <= 0 || at === typed.length - 1 || typed.indexOf("@") !== at) {
    return {
      ok: false,
      reason:
        "That is not an email address: expected one “@” between a name and a domain, like reader@example.org.",
    };
  }
  const local = typed.slice(0, at);
  const domain = typed.slice(at + 1);
  if (!LOCAL.test(local)) return { ok: false, reason: localPartProblem(local) };
  // RFC 5321 §4.5.3.1.1 counts octets: 64 of UTF-8 (RFC 6531 §3.3).
  if (encoder.encode(local).length > 64)
    return {
      ok: false,
      reason: "The part before “@” is too long: it has at most 64 bytes (64 letters of a–z).",
    };
  const ascii = asciiDomain(domain);
  if (ascii === null) {
    return {
      ok: false,
      // The domain is shown back: cleaned like any echo, it cannot break the page.
      reason: `“${addressForEcho(domain)}” is not a domain an email can go to: expected something like example.org.`,
    };
  }
  const email = `${local}@${ascii}`;
  if (encoder.encode(email).length > MAX_ADDRESS_LENGTH) return tooLong;
  return { ok: true, email, utf8LocalPart: /\P{ASCII}/u.test(local) };
}
