/**
 * The two secrets that guard something: ADMIN_TOKEN opens /admin, TOKEN_SECRET signs unsubscribe
 * links (src/subscriptions/tokens.ts). A short or placeholder value is as good as none: a known
 * ADMIN_TOKEN opens admin to anyone, a known TOKEN_SECRET lets anyone forge every subscriber's
 * unsubscribe link. So what needs one refuses to run (503, and a log line naming the variable
 * and what is expected) rather than run on a weak one.
 */
import { HTTPException } from "hono/http-exception";
import { type GuardingSecret, weakSecret } from "../lib/secret-strength.ts";

export { type GuardingSecret, MIN_SECRET_LENGTH, weakSecret } from "../lib/secret-strength.ts";

/**
 * The secret's value when it is strong; else logs why (naming the variable) and throws 503 with
 * `refusal` as the page's message, which names no value.
 */
export function requireStrongSecret(
  name: GuardingSecret,
  value: string | null | undefined,
  refusal: string,
): string {
  const problem = weakSecret(name, value);
  if (problem !== null) {
    console.error(`refused (503): ${problem}`);
    throw new HTTPException(503, { message: refusal });
  }
  return value!.trim();
}
