/**
 * Form bodies the runtime's form parser cannot read (issue 15, item 3). A form declared in
 * another charset than UTF-8, or multipart with no, a wrong or a truncated boundary, made
 * parseBody throw "TypeError: Non-utf-8 application/x-www-form-urlencoded body" (or its
 * multipart sibling) and every form route answered 500. Now: 415 for the charset, 400 for the
 * unreadable body, each page saying what was expected, and nothing stored.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlText, htmlTexts } from "../helpers/html.ts";

const BEARER = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };

/** Every route that reads a form, and a body that would be a valid request to it. */
const FORM_ROUTES: [string, Record<string, string>, Record<string, string>][] = [
  ["/subscribe", {}, { email: "reader-forms@example.org", form: "page" }],
  ["/admin/subscribers/suppress", BEARER, { email: "reader-forms@example.org", reason: "bounced" }],
  ["/admin/subscribers/delete", BEARER, { email: "reader-forms@example.org" }],
  ["/admin/digests/2024-W40/test", BEARER, { email: "reader-forms@example.org" }],
];

afterEach(() => vi.restoreAllMocks());

async function page(res: Response): Promise<{ heading: string; message: string }> {
  const html = await res.text();
  return { heading: await htmlText(html, "h1"), message: (await htmlTexts(html, "main p"))[0]! };
}

async function storedRows(): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT (SELECT count(*) FROM subscribers) + (SELECT count(*) FROM consents) + (SELECT count(*) FROM outbox) AS n",
  ).first<number>("n");
  return row ?? 0;
}

describe("a form body in another charset than UTF-8", () => {
  for (const charset of ["iso-8859-1", "ascii", "windows-1252", "utf-16", '"UTF-16LE"']) {
    it(`(charset=${charset}) gets 415 on every form route, naming the charset and what is expected`, async () => {
      const errors = vi.spyOn(console, "error");
      const { request } = makeApp([makeArticle()]);
      for (const [path, headers, fields] of FORM_ROUTES) {
        const res = await request(path, {
          method: "POST",
          headers: {
            ...headers,
            "Content-Type": `application/x-www-form-urlencoded; charset=${charset}`,
          },
          body: new URLSearchParams(fields).toString(),
        });
        expect(res.status, path).toBe(415);
        expect(res.headers.get("Content-Type"), path).toBe("text/html; charset=utf-8");
        expect(await page(res), path).toEqual({
          heading: "Unsupported media type",
          message: `The form is sent as charset=${charset.replace(/"/g, "").toLowerCase()}: expected UTF-8 (charset=utf-8, or no charset).`,
        });
      }
      expect(await storedRows()).toBe(0);
      expect(errors).not.toHaveBeenCalled();
    });
  }

  it("is still read when it says charset=utf-8 (any case, quoted or not)", async () => {
    const { request } = makeApp([makeArticle()]);
    for (const charset of ["utf-8", "UTF-8", '"utf-8"']) {
      const res = await request("/admin/subscribers/suppress", {
        method: "POST",
        headers: {
          ...BEARER,
          "Content-Type": `application/x-www-form-urlencoded; charset=${charset}`,
        },
        body: new URLSearchParams({ email: "nobody-forms@example.org", reason: "bounced" }),
      });
      expect(res.status, charset).toBe(404);
      expect((await page(res)).message).toBe("nobody-forms@example.org is not a subscriber.");
    }
  });
});

describe("a multipart form body the parser cannot read", () => {
  const part = (boundary: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\nreader-forms@example.org\r\n`;
  const cases: [string, string, string][] = [
    ["no boundary parameter", "multipart/form-data", `${part("b0und")}--b0und--\r\n`],
    ["a wrong boundary", "multipart/form-data; boundary=other", `${part("b0und")}--b0und--\r\n`],
    ["a truncated body", "multipart/form-data; boundary=b0und", part("b0und").slice(0, 60)],
  ];
  for (const [what, contentType, body] of cases) {
    it(`(${what}) gets 400 on every form route, saying what was expected`, async () => {
      const errors = vi.spyOn(console, "error");
      const { request } = makeApp([makeArticle()]);
      for (const [path, headers] of FORM_ROUTES) {
        const res = await request(path, {
          method: "POST",
          headers: { ...headers, "Content-Type": contentType },
          body,
        });
        expect(res.status, path).toBe(400);
        const { heading, message } = await page(res);
        expect(heading, path).toBe("Bad request");
        expect(message, path).toMatch(
          /^The form body could not be read \(.+\): expected multipart\/form-data with a boundary parameter, and parts that each open and the last that closes with it \(RFC 7578\)\.$/,
        );
      }
      expect(await storedRows()).toBe(0);
      expect(errors).not.toHaveBeenCalled();
    });
  }
});
