/**
 * HTML as the app writes it: hono/html's `html` template escapes every interpolated value, and
 * only `raw()` inserts markup (only markup this code or the sanitizing content build produced).
 */
import type { HtmlEscapedString } from "hono/utils/html";

/** A fragment built with hono/html's `html` template. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export const HTML_CONTENT_TYPE = "text/html; charset=utf-8";

/** Plain text → HTML text: the three characters that can start markup or an entity. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
