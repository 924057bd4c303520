/**
 * Admin authentication middleware. `Authorization: Bearer <ADMIN_TOKEN>`; a browser may send the
 * token as the password of Basic auth instead (any user name), so /admin pages open in a browser.
 * Compared in constant time. Without a strong secret (src/http/secrets.ts), admin is off (503)
 * with a log line: never open, never open to a guessable token. Failed logins are counted per
 * client network, and a network with too many is answered 429 until its window ends, so the
 * token cannot be guessed online at speed.
 */
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { secretsEqual } from "../lib/crypto.ts";
import {
  clearLoginFailures,
  recentLoginFailures,
  recordLoginFailure,
} from "./admin-login-store.ts";
import { clientNetwork } from "./client-network.ts";
import { requireStrongSecret } from "./secrets.ts";

export interface LoginThrottle {
  /** Failed logins a client network may make within a window; the next request gets 429. */
  readonly maxFailures: number;
  /** The window, from the first failure, in seconds. */
  readonly windowSeconds: number;
}

/** Ten guesses per quarter hour: plenty for a mistyped password, hopeless for guessing. */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottle = { maxFailures: 10, windowSeconds: 900 };

export interface AdminAuthOptions {
  /** Reads the expected token; unset, short or a placeholder turns admin off. */
  readonly token: (env: Env) => string | undefined;
  readonly realm?: string;
  readonly throttle?: LoginThrottle;
}

function presentedToken(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic) {
    try {
      const decoded = atob(basic[1]!);
      return decoded.slice(decoded.indexOf(":") + 1);
    } catch {
      return "";
    }
  }
  // Credentials in a form we do not take still count as a try.
  return "";
}

function tooManyFailures(retryAfterSeconds: number): HTTPException {
  const res = new Response(
    `Too many failed admin logins from your network: try again in ${retryAfterSeconds} seconds.\n`,
    {
      status: 429,
      headers: {
        "Retry-After": String(retryAfterSeconds),
        "Content-Type": "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
      },
    },
  );
  return new HTTPException(429, { res });
}

/**
 * 401 with the challenge the client can answer. Chromium shows its login only for a
 * WWW-Authenticate field that holds Basic alone: it ignores a field listing Bearer and Basic
 * together. Separate fields would do (RFC 9110 §11.6.1), but workerd sends appended values of one
 * field as a single joined line (seen with wrangler dev), so a browser's navigation gets the
 * Basic challenge only, in a field of its own; Bearer tokens are still accepted from it. A
 * script gets Bearer first (RFC 6750 §3), which is what it should send, and Basic after it.
 */
function unauthorized(realm: string, headers: Headers): HTTPException {
  const fromBrowser =
    headers.has("Sec-Fetch-Mode") || (headers.get("Accept") ?? "").includes("text/html");
  const basic = `Basic realm="${realm}", charset="UTF-8"`;
  const bearer = `Bearer realm="${realm}"`;
  const res = new Response("Unauthorized: send Authorization: Bearer <ADMIN_TOKEN>.\n", {
    status: 401,
    headers: {
      "WWW-Authenticate": fromBrowser ? basic : `${bearer}, ${basic}`,
      "Content-Type": "text/plain; charset=utf-8",
    },
  });
  return new HTTPException(401, { res });
}

export function adminAuth(options: AdminAuthOptions): MiddlewareHandler<{ Bindings: Env }> {
  const realm = options.realm ?? "admin";
  const { maxFailures, windowSeconds } = options.throttle ?? DEFAULT_LOGIN_THROTTLE;
  return async (c, next) => {
    const expected = requireStrongSecret(
      "ADMIN_TOKEN",
      options.token(c.env),
      "Admin is off until the operator sets a strong ADMIN_TOKEN secret (the log says what is expected).",
    );
    const presented = presentedToken(c.req.header("Authorization"));
    // No credentials is no guess: a browser asks first without them, then shows the login.
    if (presented === null) throw unauthorized(realm, c.req.raw.headers);
    const client = clientNetwork(c.req.raw.headers);
    const now = new Date();
    const retryAfter = (windowStart: number) =>
      windowStart + windowSeconds - Math.floor(now.getTime() / 1000);
    const past = await recentLoginFailures(c.env.DB, client, windowSeconds, now);
    // Refused before comparing, right token or not: otherwise guessing would simply go on.
    if (past !== null && past.failures >= maxFailures)
      throw tooManyFailures(retryAfter(past.windowStart));
    if (!(await secretsEqual(presented, expected))) {
      // Decided by the count this failure's own statement returns, not by `past`: guesses sent
      // at once all read the same `past` (50 in parallel got 12 to 32 answers of 401, not 10).
      // The increment is one statement, so each failure gets its own number.
      const failures = await recordLoginFailure(c.env.DB, client, windowSeconds, now);
      console.warn(
        `admin login failed from ${client} (${failures.failures} of ${maxFailures} in ${windowSeconds} s)`,
      );
      if (failures.failures > maxFailures) throw tooManyFailures(retryAfter(failures.windowStart));
      throw unauthorized(realm, c.req.raw.headers);
    }
    if (past !== null) await clearLoginFailures(c.env.DB, client);
    await next();
  };
}

/**
 * Who an authenticated admin request says it is, for records such as an approval: the user
 * name a browser's Basic login gave (any name opens the admin, so it is what the person typed,
 * not a checked identity), or "API token" for Bearer.
 */
export function adminLoginName(header: string | undefined): string {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!basic) return "API token";
  let user: string;
  try {
    const decoded = atob(basic[1]!);
    user = decoded.slice(0, Math.max(0, decoded.indexOf(":")));
  } catch {
    user = "";
  }
  // Control characters and length are cut: it is shown in pages and logs.
  const clean = [...user]
    .filter((ch) => ch >= " " && ch !== "\u007f")
    .join("")
    .trim();
  return clean === "" ? "admin" : clean.slice(0, 64);
}
