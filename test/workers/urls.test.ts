/** The URL scheme (src/lib/urls.ts): every feed URL comes from FEED_FILES, every link from BASE_URL. */
import { describe, expect, it } from "vitest";
import { FEED_FILES } from "../../src/lib/feed-formats.ts";
import { siteUrls } from "../../src/lib/urls.ts";

describe("siteUrls", () => {
  it("derives the site's, a tag's and the digests' feeds from FEED_FILES", () => {
    const urls = siteUrls({ baseUrl: "https://dispatch.example.org" });
    for (const [file, format] of FEED_FILES) {
      expect(urls.feeds()[format]).toBe(`https://dispatch.example.org/${file}`);
      expect(urls.tagFeeds("north korea")[format]).toBe(
        `https://dispatch.example.org/tags/north%20korea/${file}`,
      );
      expect(urls.digestFeeds()[format]).toBe(`https://dispatch.example.org/digests/${file}`);
    }
  });

  it("serves the feed stylesheet under the base URL's path, so a site below a prefix finds it", () => {
    expect(siteUrls({ baseUrl: "https://dispatch.example.org" }).stylesheetPath()).toBe(
      "/feed.xsl",
    );
    expect(siteUrls({ baseUrl: "https://example.org/dispatch" }).stylesheetPath()).toBe(
      "/dispatch/feed.xsl",
    );
  });

  it("keeps feed ids independent of the path and the format (RFC 4151 tag URIs)", () => {
    const a = siteUrls({ baseUrl: "https://example.org/dispatch" });
    const b = siteUrls({ baseUrl: "https://example.org" });
    expect(a.feedId()).toBe("tag:example.org,2024:feed");
    expect(a.feedId("digests")).toBe(b.feedId("digests"));
  });

  it("encodes path segments that come from content", () => {
    const urls = siteUrls({ baseUrl: "https://example.org" });
    expect(urls.article("a/b?c")).toBe("https://example.org/articles/a%2Fb%3Fc");
    expect(urls.unsubscribe("1.abc_-")).toBe("https://example.org/unsubscribe/1.abc_-");
  });
});
