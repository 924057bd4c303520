/**
 * Admin authentication middleware. `Authorization: Bearer <ADMIN_TOKEN>`; a browser may send the
 * token as the password of Basic auth instead (any user name), so /admin pages open in a browser.
 * Compared in constant time. Without the secret, admin is off (503) with a log line: never open.
 */
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { secretsEqual } from "../lib/crypto.ts";

export interface AdminAuthOptions {
  /** Reads the expected token; undefined or empty turns admin off. */
  readonly token: (env: Env) => string | undefined;
  readonly realm?: string;
}

function presentedToken(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic) {
    try {
      const decoded = atob(basic[1]!);
      return decoded.slice(decoded.indexOf(":") + 1) || null;
    } catch {
      return null;
    }
  }
  return null;
}

export function adminAuth(options: AdminAuthOptions): MiddlewareHandler<{ Bindings: Env }> {
  const realm = options.realm ?? "admin";
  return async (c, next) => {
    const expected = options.token(c.env)?.trim();
    if (!expected) {
      console.error(
        "admin is off: the ADMIN_TOKEN secret is not set (wrangler secret put ADMIN_TOKEN; locally .dev.vars)",
      );
      throw new HTTPException(503, { message: "Admin is off: the ADMIN_TOKEN secret is not set." });
    }
    const presented = presentedToken(c.req.header("Authorization"));
    if (presented === null || !(await secretsEqual(presented, expected))) {
      const res = new Response("Unauthorized: send Authorization: Bearer <ADMIN_TOKEN>.\n", {
        status: 401,
        headers: {
          "WWW-Authenticate": `Bearer realm="${realm}", Basic realm="${realm}", charset="UTF-8"`,
          "Content-Type": "text/plain; charset=utf-8",
        },
      });
      throw new HTTPException(401, { res });
    }
    await next();
  };
}
