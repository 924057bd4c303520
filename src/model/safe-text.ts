// Characters XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets), plus the bidi embedding,
// override and isolate controls that could reorder the text around them. Stripped from every
// field by the content build, and again wherever text enters an email, page or feed.
const UNSAFE_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF\u202A-\u202E\u2066-\u2069]/g;

export function stripUnsafeChars(text: string): string {
  return text.replace(UNSAFE_CHARS, "");
}
