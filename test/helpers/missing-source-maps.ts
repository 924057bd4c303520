/**
 * A Vite plugin for the test run: loads a dependency whose `//# sourceMappingURL=` names a map
 * file the package does not ship without that comment. `feed` (lib/feed.js) is one: Vite then
 * printed "Failed to load source map … Error: ENOENT …" with a stack trace in every `npm test`,
 * which reads as an uncaught exception in a green run. A map that exists (or is inline) is left
 * to Vite.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Plugin } from "vite";

const MAP_COMMENT = /\n\/\/# sourceMappingURL=(\S+)\s*$/;

/** `code` without its trailing sourceMappingURL comment when the map it names is missing. */
export function withoutMissingSourceMap(code: string, file: string): string | null {
  const match = MAP_COMMENT.exec(code);
  if (match === null || match[1]!.startsWith("data:")) return null;
  if (existsSync(join(dirname(file), match[1]!))) return null;
  return code.slice(0, match.index + 1);
}

export function missingSourceMaps(): Plugin {
  return {
    name: "axis-missing-source-maps",
    enforce: "pre",
    load(id) {
      const file = id.split("?")[0]!;
      if (!file.includes("/node_modules/") || !/\.[cm]?js$/.test(file) || !existsSync(file))
        return null;
      return withoutMissingSourceMap(readFileSync(file, "utf8"), file);
    },
  };
}
