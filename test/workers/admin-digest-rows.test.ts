/**
 * The admin's digest rows (issue 18, item 6): each links to the digest's web, email and text
 * previews (and each link answers), and the test-send form remembers the address this operator
 * last sent a test to, in an HttpOnly, SameSite=Strict cookie (Secure on https), never a default.
 */
import { describe, expect, it } from "vitest";
import { weekRange } from "../../src/lib/time.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlLinks } from "../helpers/html.ts";

const TOKEN = "test-admin-token-0123456789abcdefghij";
const BEARER = { Authorization: `Bearer ${TOKEN}` };
const BROWSER = {
  Authorization: `Basic ${btoa(`admin:${TOKEN}`)}`,
  Accept: "text/html",
  "Sec-Fetch-Site": "same-origin",
};
const WEEK = "2016-W20";
const { request } = makeApp([
  makeArticle({
    slug: "rows-drills",
    published: new Date(weekRange(WEEK, "UTC").start.getTime() + 86_400_000).toISOString(),
    keyPoints: ["China and Russia held joint naval drills near Vladivostok."],
  }),
]);

/** The test form's address field as the page fills it (HTMLRewriter, not a string search). */
async function testFieldValue(html: string): Promise<string | null> {
  let value: string | null = null;
  await new HTMLRewriter()
    .on(`form[action$="/digests/${WEEK}/test"] input[name=email]`, {
      element(el) {
        value = el.getAttribute("value");
      },
    })
    .transform(new Response(html))
    .text();
  return value;
}

describe("the admin's digest rows", () => {
  it("link to the web, email and text previews, and each answers", async () => {
    expect(
      (await request(`/admin/digests/${WEEK}/rebuild`, { method: "POST", headers: BEARER })).status,
    ).toBe(200);
    const html = await (await request("/admin", { headers: BROWSER })).text();
    const links = (await htmlLinks(html)).filter((l) => ["web", "email", "text"].includes(l.text));
    const base = "http://localhost:8787/digests/2016-W20";
    expect(links).toEqual([
      { href: base, text: "web" },
      { href: `${base}/email.html`, text: "email" },
      { href: `${base}/email.txt`, text: "text" },
    ]);
    for (const l of links) {
      const res = await request(new URL(l.href).pathname);
      expect(res.status, l.href).toBe(200);
    }
  });

  it("remember the last test address per operator in a strict cookie, with no default", async () => {
    const before = await (await request("/admin", { headers: BROWSER })).text();
    expect(await testFieldValue(before)).toBe("");
    const sent = await request(`/admin/digests/${WEEK}/test`, {
      method: "POST",
      headers: BROWSER,
      body: new URLSearchParams({ email: "Editor+Tests@Example.org" }),
    });
    expect(sent.status).toBe(200);
    const cookie = sent.headers.get("Set-Cookie")!;
    const [pair, ...attributes] = cookie.split(/;\s*/);
    expect(attributes.map((a) => a.toLowerCase()).sort()).toEqual(
      ["httponly", "max-age=15552000", "path=/admin", "samesite=strict"].sort(),
    );
    const after = await (
      await request("/admin", { headers: { ...BROWSER, Cookie: pair! } })
    ).text();
    expect(await testFieldValue(after)).toBe("editor+tests@example.org");
    // A cookie that does not hold an address fills nothing.
    const forged = await (
      await request("/admin", { headers: { ...BROWSER, Cookie: "admin_test_address=%22%3E%3Cb" } })
    ).text();
    expect(await testFieldValue(forged)).toBe("");
  });

  it("mark the cookie Secure when the site is served over https", async () => {
    const https = makeApp([], { BASE_URL: "https://dispatch.example.org" });
    await https.request(`/admin/digests/${WEEK}/rebuild`, { method: "POST", headers: BEARER });
    const sent = await https.request(`https://dispatch.example.org/admin/digests/${WEEK}/test`, {
      method: "POST",
      headers: { ...BROWSER, Origin: "https://dispatch.example.org" },
      body: new URLSearchParams({ email: "editor@example.org" }),
    });
    expect(sent.status).toBe(200);
    expect(sent.headers.get("Set-Cookie")).toMatch(/;\s*Secure(;|$)/i);
  });
});
