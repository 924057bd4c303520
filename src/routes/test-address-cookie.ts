/**
 * The address an operator last sent a test digest to, remembered in their browser so the next
 * test goes to the same inbox without typing it again, and never a default: without the cookie
 * the field is empty. HttpOnly (no script reads it), SameSite=Strict (no other site's request
 * carries it), Secure when the site is served over https, and only sent to /admin
 * (RFC 6265bis §4.1.2).
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { normalizeEmail } from "../subscriptions/address.ts";

const NAME = "admin_test_address";
/** 180 days: a test inbox rarely changes. */
const MAX_AGE_SECONDS = 180 * 86_400;

export function rememberTestAddress(c: Context, email: string, baseUrl: string): void {
  setCookie(c, NAME, email, {
    path: "/admin",
    httpOnly: true,
    sameSite: "Strict",
    secure: new URL(baseUrl).protocol === "https:" || new URL(c.req.url).protocol === "https:",
    maxAge: MAX_AGE_SECONDS,
  });
}

/** The remembered address, if the cookie holds a valid one (it is shown back in the form). */
export function rememberedTestAddress(c: Context): string | null {
  const raw = getCookie(c, NAME);
  if (raw === undefined) return null;
  const address = normalizeEmail(raw);
  return address.ok ? address.email : null;
}
