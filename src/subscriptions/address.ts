/**
 * Email address validation and normalization for sign-ups. Deliberately stricter than RFC 5322
 * (no quoted local parts, comments or IP literals): those are valid but almost never real
 * subscribers, and rejecting them keeps header injection impossible.
 */
export type AddressResult = { ok: true; email: string } | { ok: false; reason: string };

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function normalizeEmail(raw: string | null | undefined): AddressResult {
  if (raw === null || raw === undefined || raw.trim() === "")
    return { ok: false, reason: "Please enter your email address." };
  // Case: domains are case-insensitive, and in practice so are mailboxes; one row per person.
  const email = raw.normalize("NFC").trim().toLowerCase();
  if (email.length > 254)
    return {
      ok: false,
      reason: "That address is too long: an email address has at most 254 characters.",
    };
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
      reason: `“${domain}” is not a domain an email can go to: expected something like example.org.`,
    };
  }
  return { ok: true, email };
}
