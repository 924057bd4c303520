import { describe, expect, it } from "vitest";
import { createRepresentation, RepresentationCache } from "../../src/http/representation.ts";

const rep = (size: number) => createRepresentation("x".repeat(size), "text/plain", null);

describe("RepresentationCache", () => {
  it("renders once per key and serves the same bytes after", async () => {
    const cache = new RepresentationCache();
    let renders = 0;
    const render = () => (renders++, rep(10));
    const a = await cache.get("k", render);
    const b = await cache.get("k", render);
    expect(renders).toBe(1);
    expect(b).toBe(a);
  });

  it("stays within its byte budget, evicting the least recently used (regression: every ?limit= of every tag feed grew the isolate past 1 GB)", async () => {
    const cache = new RepresentationCache(1000);
    await cache.get("busy", () => rep(300));
    for (let i = 0; i < 50; i++) {
      await cache.get(`crawl-${i}`, () => rep(300));
      await cache.get("busy", () => rep(300)); // keeps it recent
    }
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    let rerendered = false;
    await cache.get("busy", () => ((rerendered = true), rep(300)));
    expect(rerendered).toBe(false);
    await cache.get("crawl-0", () => ((rerendered = true), rep(300)));
    expect(rerendered).toBe(true);
  });

  it("does not keep a failed render", async () => {
    const cache = new RepresentationCache();
    await expect(cache.get("k", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await new Promise((r) => setTimeout(r, 0));
    expect((await cache.get("k", () => rep(1))).body.byteLength).toBe(1);
  });
});
