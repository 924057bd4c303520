/**
 * How strong a guarding secret must be (ADMIN_TOKEN opens /admin, TOKEN_SECRET signs unsubscribe
 * links): pure, so the HTTP layer (src/http/secrets.ts) and the queue consumer share one rule.
 */
export type GuardingSecret = "ADMIN_TOKEN" | "TOKEN_SECRET";

/**
 * 32 characters: at most what `npm start` generates (scripts/dev-vars.ts: 32 random bytes, 43 base64url characters)
 * and `openssl rand -base64 32` prints; 192 bits and more cannot be guessed online or offline.
 */
export const MIN_SECRET_LENGTH = 32;

/** Fewer distinct characters than this is a pattern (`aaaa…`, `1212…`), not a random value. */
const MIN_DISTINCT_CHARACTERS = 8;

/** The values .dev.vars.example ships (change-me-…) and variants: public, so never secret. */
const PLACEHOLDER = /change[\s_-]*me/i;

const HOW_TO_SET =
  "expected at least 32 random characters, e.g. from `openssl rand -base64 32`, set with `npx wrangler secret put NAME` (locally in .dev.vars)";

/**
 * What is wrong with a secret's value, or null when it is strong enough. Checks the trimmed
 * value, as src/config.ts uses it.
 */
export function weakSecret(name: GuardingSecret, value: string | null | undefined): string | null {
  const secret = value?.trim() ?? "";
  const expected = HOW_TO_SET.replace("NAME", name);
  if (secret === "") return `${name} is not set: ${expected}`;
  if (PLACEHOLDER.test(secret))
    return `${name} is a placeholder (as in .dev.vars.example), which anyone can read: ${expected}`;
  if (secret.length < MIN_SECRET_LENGTH)
    return `${name} is ${secret.length} characters long: ${expected}`;
  if (new Set(secret).size < MIN_DISTINCT_CHARACTERS)
    return `${name} repeats a few characters, so it is not random: ${expected}`;
  return null;
}
