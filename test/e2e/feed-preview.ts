/**
 * Feeds as people meet them: a feed URL opened in Chromium shows the readable preview (HTML,
 * no console or CSP errors, no sideways scroll), while a feed reader's request to the same URL
 * gets the feed's bytes; `/feeds` and `/feeds.opml`; an old WordPress address redirects.
 */
import { XMLValidator } from "fast-xml-parser";
import type { Browser } from "./browser.ts";
import { checkPage, WIDTHS } from "./browser.ts";
import { check, fail, failIfAny } from "./harness.ts";
import { fetchWithTimeout } from "./server.ts";

/** Python feedparser 6's own headers (feedparser/http.py): a reader, so the feed. */
const FEEDPARSER_HEADERS = {
  "User-Agent": "feedparser/6.0.11 +https://github.com/kurtmckee/feedparser/",
  Accept:
    "application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1",
};

const PREVIEWED = ["/feed.xml", "/atom.xml", "/digests/feed.xml"] as const;

export async function checkFeedPreview(browser: Browser | null, origin: string): Promise<void> {
  await check("a feed reader gets /feed.xml as RSS, byte for byte, with Vary", async () => {
    const plain = await fetchWithTimeout(`${origin}/feed.xml`);
    const reader = await fetchWithTimeout(`${origin}/feed.xml`, { headers: FEEDPARSER_HEADERS });
    const problems: string[] = [];
    if (reader.headers.get("Content-Type") !== "application/rss+xml; charset=utf-8")
      problems.push(`Content-Type ${reader.headers.get("Content-Type")}`);
    if (!/Sec-Fetch-Dest/.test(reader.headers.get("Vary") ?? ""))
      problems.push(`Vary ${reader.headers.get("Vary")}`);
    if ((await plain.text()) !== (await reader.text())) problems.push("bytes differ");
    failIfAny(problems);
  });

  await check("/feeds.opml is well-formed OPML served as text/x-opml", async () => {
    const res = await fetchWithTimeout(`${origin}/feeds.opml`);
    if (res.headers.get("Content-Type") !== "text/x-opml; charset=utf-8")
      fail(`Content-Type ${res.headers.get("Content-Type")}`);
    const valid = XMLValidator.validate(await res.text());
    if (valid !== true) fail(`not well-formed: ${JSON.stringify(valid.err)}`);
  });

  await check("/feed (WordPress's address) redirects permanently to /feed.xml", async () => {
    const res = await fetchWithTimeout(`${origin}/feed`, { redirect: "manual" });
    const location = res.headers.get("Location") ?? "";
    if (res.status !== 301 || !location.endsWith("/feed.xml"))
      fail(`status ${res.status}, Location ${location}`);
  });

  if (!browser) return;
  for (const path of PREVIEWED) {
    await check(`${path} opened in Chromium is the HTML preview`, async () => {
      const page = await browser.context.newPage();
      try {
        const res = await page.goto(origin + path, { waitUntil: "load" });
        const type = res?.headers()["content-type"] ?? "";
        if (!type.startsWith("text/html")) fail(`Content-Type ${type}`);
        const address = await page.locator("main code").first().textContent();
        if (!address?.endsWith(path)) fail(`the address to copy is ${address}`);
      } finally {
        await page.close();
      }
    });
  }
  const pages: [string, string][] = [
    ["feed-preview", "/feed.xml"],
    ["feeds", "/feeds"],
  ];
  for (const [name, path] of pages) {
    for (const width of WIDTHS) await checkPage(browser.context, origin, { name, path, width });
  }
}
