/**
 * The test run's source-map plugin (test/helpers/missing-source-maps.ts). Regression (issue 17):
 * every `npm test` printed Vite's "Failed to load source map … Error: ENOENT" with a stack trace
 * for `feed`, whose lib/feed.js names a feed.js.map the package does not ship.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { withoutMissingSourceMap } from "../helpers/missing-source-maps.ts";

const dir = mkdtempSync(join(tmpdir(), "source-maps-"));
afterEach(() => rmSync(join(dir, "lib.js.map"), { force: true }));

describe("the test run's loading of dependencies", () => {
  const file = join(dir, "lib.js");
  const code = "export const x = 1;\n//# sourceMappingURL=lib.js.map";

  it("drops a sourceMappingURL comment whose map file is missing, and nothing else", () => {
    expect(withoutMissingSourceMap(code, file)).toBe("export const x = 1;\n");
  });

  it("leaves files with a map that exists, an inline map, or no map to Vite", () => {
    writeFileSync(join(dir, "lib.js.map"), "{}");
    expect(withoutMissingSourceMap(code, file)).toBeNull();
    const inline = "x;\n//# sourceMappingURL=data:application/json;base64,e30=";
    expect(withoutMissingSourceMap(inline, file)).toBeNull();
    expect(withoutMissingSourceMap("x;\n", file)).toBeNull();
  });
});
