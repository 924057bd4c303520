/**
 * src/lib/base64.ts, the one place the Worker turns bytes into base64 and back (MIME bodies and
 * encoded words, the outbox, webhook signatures, tokens, icons), against Node's Buffer as the
 * independent codec (RFC 4648 §4 and §5).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromBase64, fromBase64Url, toBase64, toBase64Url } from "../../src/lib/base64.ts";

describe("src/lib/base64.ts", () => {
  it("encodes and decodes any bytes as Buffer does, base64 and base64url", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        expect(toBase64(bytes)).toBe(buffer.toString("base64"));
        expect(toBase64Url(bytes)).toBe(buffer.toString("base64url"));
        expect(fromBase64(buffer.toString("base64"))).toEqual(new Uint8Array(bytes));
        if (bytes.length > 0)
          expect(fromBase64Url(buffer.toString("base64url"))).toEqual(new Uint8Array(bytes));
      }),
    );
  });

  it("encodes a string as its UTF-8 bytes, and a body larger than one argument list", () => {
    expect(toBase64("josé ✓")).toBe(Buffer.from("josé ✓", "utf8").toString("base64"));
    const large = new Uint8Array(200_000).map((_, i) => (i * 31) & 0xff);
    expect(toBase64(large)).toBe(Buffer.from(large).toString("base64"));
  });

  it("answers null for text that is not base64, never throwing", () => {
    for (const text of ["a b", "abc$", "A", "====", "ab=c"])
      expect(fromBase64(text), text).toBeNull();
    for (const text of ["a+b", "a/b", "abc=", "A", ""])
      expect(fromBase64Url(text), text).toBeNull();
  });
});
