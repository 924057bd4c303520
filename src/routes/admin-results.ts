/**
 * What an admin action answers: JSON to scripts (Bearer, or Accept: application/json), which
 * existing scripts parse; an HTML page to a browser, with a link back, instead of raw JSON.
 */
import type { Context } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { HTML_CONTENT_TYPE } from "../lib/html.ts";
import { renderAdminResultPage } from "../site/admin-action-pages.ts";

export function wantsJson(c: Context<AppEnv>): boolean {
  return (
    (c.req.header("Accept") ?? "").includes("application/json") ||
    /^Bearer\s/i.test(c.req.header("Authorization") ?? "")
  );
}

export async function adminResult(
  c: Context<AppEnv>,
  status: 200 | 202,
  json: Record<string, unknown>,
  page: { heading: string; message: string },
): Promise<Response> {
  if (wantsJson(c)) return c.json(json, status, { "Cache-Control": "no-store" });
  return c.body(await renderAdminResultPage(c.var.config, page.heading, page.message), status, {
    "Content-Type": HTML_CONTENT_TYPE,
    "Cache-Control": "no-store",
  });
}
