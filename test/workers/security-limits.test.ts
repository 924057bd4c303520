/**
 * Request limits (issue 10, item 6): form bodies over 4 KB or with too many fields get 413
 * before anything parses them, whether the size is declared (Content-Length) or not (a stream);
 * and no error page repeats a long path or parameter in full, or its control characters.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { FORM_BODY_LIMIT } from "../../src/http/body-limit.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlText, htmlTexts } from "../helpers/html.ts";

const BEARER = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

function app() {
  return makeApp([makeArticle({ slug: "limits" })]);
}

/** The page's message: the first paragraph of an error page. */
async function message(page: string): Promise<string> {
  return (await htmlTexts(page, "main p"))[0] ?? "";
}

/** A body of `total` bytes in 1 KB chunks, with no Content-Length; counts the chunks pulled. */
function streamedBody(total: number) {
  const counter = { pulled: 0 };
  const chunk = new TextEncoder().encode(`email=${"a".repeat(1018)}`);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled * chunk.byteLength >= total) return controller.close();
      counter.pulled++;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter, chunks: Math.ceil(total / chunk.byteLength) };
}

async function expect413(res: Response, label: string, says: RegExp) {
  expect(res.status, label).toBe(413);
  const page = await res.text();
  expect(await htmlText(page, "h1"), label).toBe("Content too large");
  expect(await message(page), label).toMatch(says);
  // Nothing of what was sent comes back.
  expect(page.length, label).toBeLessThan(10_000);
}

const FORM_ROUTES: [string, Record<string, string>][] = [
  ["/subscribe", {}],
  ["/confirm/some-token", {}],
  ["/unsubscribe/some-token", {}],
  ["/admin/subscribers/suppress", BEARER],
  ["/admin/digests/2024-W40/test", BEARER],
];

describe("form bodies", () => {
  it("over 4 KB get 413 before they are parsed: a 10 MB email field is never read or echoed", async () => {
    const { app: hono, env: e } = app();
    const huge = new TextEncoder().encode(
      new URLSearchParams({ email: `${"x".repeat(10 * 1024 * 1024)}@example.org` }).toString(),
    );
    for (const [path, headers] of FORM_ROUTES) {
      // Declared as a client sends it; the stream counts what is read of it.
      let pulled = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const start = pulled * 65_536;
          if (start >= huge.byteLength) return controller.close();
          pulled++;
          controller.enqueue(huge.subarray(start, start + 65_536));
        },
      });
      const req = new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { ...FORM, ...headers, "Content-Length": String(huge.byteLength) },
        body,
        duplex: "half",
      } as RequestInit);
      const res = await hono.request(req, undefined, e);
      await expect413(
        res,
        path,
        new RegExp(
          `^The request body is ${huge.byteLength} bytes: expected at most 4096 bytes\\.$`,
        ),
      );
      // Refused on its Content-Length: hardly any of it was read.
      expect(pulled, path).toBeLessThanOrEqual(2);
    }
    const row = await env.DB.prepare(
      "SELECT count(*) AS n FROM subscribers WHERE length(email) > 4096",
    ).first<number>("n");
    expect(row).toBe(0);
  });

  it("sent without Content-Length are counted as they arrive, and reading stops at the limit", async () => {
    const { app: hono, env: e } = app();
    for (const [path, headers] of FORM_ROUTES) {
      const body = streamedBody(1024 * 1024);
      const req = new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { ...FORM, ...headers },
        body: body.stream,
        duplex: "half",
      } as RequestInit);
      expect(req.headers.get("Content-Length"), path).toBeNull();
      await expect413(
        await hono.request(req, undefined, e),
        path,
        /^The request body is over 4096 bytes/,
      );
      // Only as much as the limit (plus what the runtime buffers ahead) was read.
      expect(body.counter.pulled, path).toBeLessThan(body.chunks / 10);
    }
  });

  it("with too many fields get 413, urlencoded or multipart", async () => {
    const { request } = app();
    const fields = Object.fromEntries(
      Array.from({ length: FORM_BODY_LIMIT.maxFields + 1 }, (_, i) => [`f${i}`, "1"]),
    );
    const urlencoded = await request("/subscribe", {
      method: "POST",
      headers: FORM,
      body: new URLSearchParams(fields),
    });
    await expect413(
      urlencoded,
      "urlencoded",
      /^The request body has 17 form fields: expected at most 16 fields\.$/,
    );
    const multipart = new FormData();
    for (const [name, value] of Object.entries(fields)) multipart.append(name, value);
    const res = await request("/admin/subscribers/suppress", {
      method: "POST",
      headers: BEARER,
      body: multipart,
    });
    await expect413(res, "multipart", /^The request body has 17 form fields/);
  });

  it("within the limits are handled as before", async () => {
    const { request } = app();
    // The one-click unsubscribe body of RFC 8058, with a token that is not valid.
    const unsubscribe = await request("/unsubscribe/not-a-token", {
      method: "POST",
      headers: FORM,
      body: "List-Unsubscribe=One-Click",
    });
    expect(unsubscribe.status).toBe(404);
    const suppress = await request("/admin/subscribers/suppress", {
      method: "POST",
      headers: { ...FORM, ...BEARER },
      body: new URLSearchParams({ email: "nobody-limits@example.org", reason: "bounced" }),
    });
    expect(suppress.status).toBe(404);
    expect(await message(await suppress.text())).toBe(
      "nobody-limits@example.org is not a subscriber.",
    );
    const multipart = new FormData();
    multipart.append("email", "nobody-limits@example.org");
    multipart.append("reason", "bounced");
    const viaMultipart = await request("/admin/subscribers/suppress", {
      method: "POST",
      headers: BEARER,
      body: multipart,
    });
    expect(viaMultipart.status).toBe(404);
  });
});

describe("error pages", () => {
  it("repeat at most 80 characters of a path, cleaned of control and bidi characters", async () => {
    const { request } = app();
    const long = `/${"a".repeat(65 * 1024)}`;
    const res = await request(long);
    expect(res.status).toBe(404);
    const page = await res.text();
    expect(page.length).toBeLessThan(10_000);
    const said = await message(page);
    expect(said).toContain(`Nothing is published at /${"a".repeat(79)}….`);
    expect(said).not.toContain("a".repeat(81));

    const hostile = await request("/%1B%5B31mred%E2%80%AEtxt.exe%00");
    expect(hostile.status).toBe(404);
    const text = await message(await hostile.text());
    expect(text).toContain("Nothing is published at /\ufffd[31mred\ufffdtxt.exe\ufffd.");
    expect(text).not.toMatch(/[\u0000-\u001f\u202e]/);
  });

  it("cut a long slug, tag or parameter the same way", async () => {
    const { request } = app();
    for (const path of [
      `/articles/${"s".repeat(5000)}`,
      `/tags/${"t".repeat(5000)}`,
      `/stories/${"r".repeat(5000)}`,
      `/feed.xml?limit=${"9".repeat(5000)}`,
      `/page/${"7".repeat(5000)}`,
    ]) {
      const res = await request(path);
      expect([400, 404], path).toContain(res.status);
      const page = await res.text();
      expect(page.length, path).toBeLessThan(10_000);
      expect(await message(page), path).toMatch(/(.)\1{79}…/u);
    }
  });
});
