import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tests run inside workerd with the bindings and [vars] of wrangler.toml.
export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
  test: {
    include: ["test/**/*.test.ts"],
    // sanitize-html (used by the content build, tested here) pulls in CommonJS postcss, whose
    // relative requires workerd's module loader cannot resolve; pre-bundle it.
    deps: { optimizer: { ssr: { enabled: true, include: ["sanitize-html"] } } },
  },
});
