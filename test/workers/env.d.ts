declare namespace Cloudflare {
  interface Env {
    /** Set by vitest.config.ts from migrations/. */
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** Miniflare's local send_email binding (vitest.config.ts), any destination. */
    TEST_SEND_EMAIL: SendEmail;
    /** Miniflare's local send_email binding that, like Email Routing, sends only to verified@example.org. */
    TEST_SEND_EMAIL_VERIFIED: SendEmail;
  }
}
