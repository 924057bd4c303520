/**
 * The raw MIME form of outgoing mail (src/mail/mime.ts), read back with the strict reader in
 * test/helpers/mime.ts, which shares no code with it: every part is encoded as it is declared
 * and decodes to what was written, header values cannot inject lines, and the same message
 * always gives the same bytes. (Issue 10, item 4: the parts were declared base64 but written as
 * plain text.)
 */
import { describe, expect, it } from "vitest";
import type { MailMessage } from "../../src/mail/message.ts";
import { toMime } from "../../src/mail/mime.ts";
import { mailboxAddress, parseMime } from "../helpers/mime.ts";

function message(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    from: "Axis Dispatch <digest@example.org>",
    to: "reader@example.org",
    subject: "Axis developments: 21 – 27 October 2024",
    text: "Hello\n",
    html: "<p>Hello</p>",
    headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    messageId: "<digest.2024-W43.0123456789abcdef@example.org>",
    date: new Date("2024-10-28T06:00:00Z"),
    ...overrides,
  };
}

/** The message's lines (CRLF-separated) and its header lines. */
function lines(raw: string): { all: string[]; header: string[] } {
  const all = raw.split("\r\n");
  return { all, header: all.slice(0, all.indexOf("")) };
}

describe("toMime", () => {
  it("encodes both parts as declared (base64, UTF-8), and they decode to what was written", () => {
    const text = `Grüße aus Pyongyang – 1,500 troops, 北朝鮮, 🇰🇵\n${"x".repeat(5000)}\n\nlast line`;
    const html = `<p>${"Grüße – “1,500” troops ".repeat(400)}</p>\n<p>${"y".repeat(3000)}</p>`;
    const raw = toMime(message({ text, html }));
    const mime = parseMime(raw);
    expect(mime.contentType.mediaType).toBe("multipart/alternative");
    const [plain, rich] = mime.parts;
    expect(mime.parts).toHaveLength(2);
    for (const [part, type, body] of [
      [plain!, "text/plain", text],
      [rich!, "text/html", html],
    ] as const) {
      expect(part.contentType).toEqual({ mediaType: type, params: { charset: "utf-8" } });
      expect(part.transferEncoding).toBe("base64");
      expect(part.body).toBe(body);
    }
  });

  it("keeps every line within RFC 5322's limit, and base64 lines at 76 characters", () => {
    const raw = toMime(
      message({
        subject: `${"Ünïcödé subject ".repeat(30)}and a ${"very".repeat(100)} long word`,
        text: "a".repeat(100_000),
        html: "é".repeat(50_000),
        headers: { "List-Id": `${"Axis ".repeat(40)}<digest.example.org>` },
      }),
    );
    const { all, header } = lines(raw);
    expect(Math.max(...all.map((l) => l.length))).toBeLessThanOrEqual(998);
    // RFC 2047 §2: header lines with encoded words at most 76 characters.
    for (const line of header.filter((l) => l.includes("=?")))
      expect(line.length, line).toBeLessThanOrEqual(76);
    const base64Lines = all.filter((l) => /^[A-Za-z0-9+/]+=*$/.test(l) && l.length > 40);
    expect(base64Lines.length).toBeGreaterThan(1000);
    expect(new Set(base64Lines.slice(0, -1).map((l) => l.length)).size).toBeLessThanOrEqual(2);
    expect(Math.max(...base64Lines.map((l) => l.length))).toBe(76);
    expect(parseMime(raw).header("Subject")).toBe(
      `${"Ünïcödé subject ".repeat(30)}and a ${"very".repeat(100)} long word`,
    );
  });

  it("writes non-ASCII and odd header text as encoded words that decode back exactly", () => {
    const subject = "  Bestätigung: <b>“Axis”</b> =?utf-8?B?Zm9v?= & more  ";
    const mime = parseMime(
      toMime(message({ subject, from: '"Dispatch, Ltd. (Axis)" <digest@example.org>' })),
    );
    expect(mime.header("Subject")).toBe(subject);
    expect(mime.header("From")).toBe("Dispatch, Ltd. (Axis) <digest@example.org>");
    expect(mailboxAddress(mime.header("From"))).toBe("digest@example.org");
    expect(mime.header("Date")).toBe("Mon, 28 Oct 2024 06:00:00 +0000");
    expect(mime.header("MIME-Version")).toBe("1.0");
  });

  it("turns CR, LF and other control characters in header values into spaces: no injected header", () => {
    const mime = parseMime(
      toMime(
        message({
          subject: "Hello\r\nBcc: victim@example.net\r\n\r\n<p>body</p>",
          from: "Axis\nX-Injected: 1 <digest@example.org>",
          headers: { "List-Id": "Axis\rX-Injected: 2 <digest.example.org>" },
        }),
      ),
    );
    const names = mime.rawHeaders.map(([name]) => name.toLowerCase());
    expect(names).not.toContain("bcc");
    expect(names).not.toContain("x-injected");
    expect(mime.header("Subject")).toBe("Hello  Bcc: victim@example.net    <p>body</p>");
    expect(mime.header("From")).toBe("Axis X-Injected: 1 <digest@example.org>");
    expect(mime.header("List-Id")).toBe("Axis X-Injected: 2 <digest.example.org>");
    expect(mime.parts.map((p) => p.body)).toEqual(["Hello\n", "<p>Hello</p>"]);
  });

  it("refuses an address or header name that cannot be written safely, naming it", () => {
    expect(() => toMime(message({ to: "reader@example.org\r\nBcc: x@example.net" }))).toThrow(
      /^To address .* is not an address we can send with/,
    );
    expect(() => toMime(message({ headers: { "Bad Name": "x" } }))).toThrow(/"Bad Name"/);
    expect(() => toMime(message({ headers: { "content-type": "text/plain" } }))).toThrow(
      /"content-type"/,
    );
    expect(() => toMime(message({ messageId: "<a b@example.org>" }))).toThrow(/Message-ID/);
  });

  it("writes a UTF-8 local part as is (RFC 6532), which sign-up accepts for SMTPUTF8 transports", () => {
    const parsed = parseMime(toMime(message({ to: "josé.núñez@example.org" })));
    expect(mailboxAddress(parsed.header("To"))).toBe("josé.núñez@example.org");
    expect(() => toMime(message({ to: "jo\u202ese@example.org" }))).toThrow(/^To address/);
  });

  it("gives the same bytes for the same message, every time", () => {
    const m = message({ text: "Grüße\n".repeat(100) });
    expect(toMime(m)).toBe(toMime({ ...m }));
    // …and another message gets another boundary.
    const other = toMime(message({ messageId: "<other@example.org>" }));
    const boundary = (raw: string) => parseMime(raw).contentType.params.boundary;
    expect(boundary(other)).not.toBe(boundary(toMime(m)));
  });
});
