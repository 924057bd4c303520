import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { missingSourceMaps } from "./test/helpers/missing-source-maps.ts";

/**
 * Two projects. `workers`: the Worker's code inside workerd with the bindings and [vars] of
 * wrangler.toml plus the D1 migrations, which test/helpers/apply-migrations.ts applies the way
 * deploys do. `node`: the build steps in scripts/, which run on Node at build time and never in
 * the Worker (they use marked, sanitize-html, MJML and the file system).
 */
/**
 * A test's duration is never its verdict: developers and CI share 2-core machines, and the
 * heavier property tests (hundreds of random weeks) take several times longer under load.
 * Speed is checked by `npm run bench`; a test fails on its assertions, or on a real hang.
 * (Inline projects don't inherit the root's test options, so each project names these.)
 */
const patience = { testTimeout: 120_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // What the code under test logs (the Worker's "weekly digest …: created", refusals it is
    // expected to make) is shown for a failing test only: a green run is quiet, and a red one
    // keeps the logs that explain it.
    silent: "passed-only",
    projects: [
      {
        plugins: [
          missingSourceMaps(),
          cloudflareTest(async ({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            // workerd's --verbose (the plugin's default) logs every failed subrequest or binding
            // call as "uncaught exception … Uncaught (in promise)", even one the code awaits and
            // catches: a fetch to a dropped connection inside try/catch printed it. Off, a green
            // run is quiet, and a rejection nobody handles still fails the run (Vitest reports it
            // as an Unhandled Rejection, with the test that was running).
            verbose: false,
            miniflare: {
              // Fixed test secrets, so tests never depend on a developer's .dev.vars.
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations("./migrations"),
                ADMIN_TOKEN: "test-admin-token-0123456789abcdefghij",
                TOKEN_SECRET: "test-token-secret-0123456789abcdefghij",
                EMAIL_API_KEY: "test-email-api-key",
                EMAIL_API_URL: inject("emailApiUrl"),
              },
              // Miniflare's local send_email bindings, for test/workers/send-email.test.ts. Not
              // named CONFIRM_EMAIL: the other tests expect confirmation mail in the outbox.
              email: {
                send_email: [
                  { name: "TEST_SEND_EMAIL" },
                  // Like Email Routing, which sends only to verified destination addresses.
                  {
                    name: "TEST_SEND_EMAIL_VERIFIED",
                    allowed_destination_addresses: ["verified@example.org"],
                  },
                ],
              },
            },
          })),
        ],
        // wrangler.toml's alias, which the Workers pool does not apply: tests run what ships.
        resolve: {
          alias: [
            {
              find: /^xml-js$/,
              replacement: fileURLToPath(new URL("./src/feeds/xml-js-writer.ts", import.meta.url)),
            },
          ],
        },
        test: {
          name: "workers",
          ...patience,
          include: ["test/workers/**/*.test.ts"],
          setupFiles: ["./test/helpers/apply-migrations.ts"],
          // A real HTTP server on 127.0.0.1 speaking the email provider's API (Node side).
          // …and content/, read as `npm run publish` reads it (test/helpers/real-content.ts).
          globalSetup: [
            "./test/helpers/email-api-server.ts",
            "./test/helpers/real-content.ts",
            // A loopback WebSub hub recording publish pings (test/workers/websub*.test.ts).
            "./test/helpers/websub-hub-server.ts",
          ],
        },
      },
      {
        test: {
          name: "node",
          ...patience,
          environment: "node",
          include: ["test/node/**/*.test.ts"],
        },
      },
    ],
  },
});
