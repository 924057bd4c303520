import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tests run inside workerd with the bindings and [vars] of wrangler.toml, plus the D1
// migrations, which test/helpers/apply-migrations.ts applies the way deploys do.
export default defineConfig({
  plugins: [
    cloudflareTest(async ({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // Fixed test secrets, so tests never depend on a developer's .dev.vars.
        bindings: { TEST_MIGRATIONS: await readD1Migrations("./migrations"), ADMIN_TOKEN: "test-admin-token", TOKEN_SECRET: "test-token-secret", EMAIL_API_KEY: "test-email-api-key", EMAIL_API_URL: inject("emailApiUrl") },
      },
    })),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/helpers/apply-migrations.ts"],
    // A real HTTP server on 127.0.0.1 speaking the email provider's API (Node side).
    globalSetup: ["./test/helpers/email-api-server.ts"],
    // sanitize-html (used by the content build, tested here) pulls in CommonJS postcss, whose
    // relative requires workerd's module loader cannot resolve; pre-bundle it.
    deps: { optimizer: { ssr: { enabled: true, include: ["sanitize-html"] } } },
  },
});
