// Characters XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets): C0 controls but tab, LF
// and CR, U+FFFE/U+FFFF, and surrogates that are not half of a pair (a lone one has no code
// point to encode, so UTF-8 output would silently turn it into U+FFFD); plus DEL and the bidi
// embedding, override and isolate controls that could reorder the text around them. With the
// `u` flag the surrogate range matches lone surrogates only: a pair is one code point.
// Stripped from every field by the content build, and again wherever text enters an email,
// page or feed.
const UNSAFE_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/gu;

export function stripUnsafeChars(text: string): string {
  return text.replace(UNSAFE_CHARS, "");
}
