/**
 * Reading a form (application/x-www-form-urlencoded or multipart/form-data) in every route that
 * takes one. The runtime's form parser throws a TypeError on a body it cannot read: one declared
 * in another charset than UTF-8 ("Non-utf-8 application/x-www-form-urlencoded body"), multipart
 * with no, a wrong or a truncated boundary. Unhandled, that was a 500; it is the client's
 * request that is wrong, so the answer says what was expected, through the app's one error path
 * (HTTPException, rendered by app.onError).
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { echo } from "./echo.ts";

/** A form's fields by name (the last value of a repeated name), as Hono's parseBody gives them. */
export type FormFields = Record<string, string | File>;

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/**
 * The `charset` parameter of a Content-Type (RFC 9110 §8.3.2: case-insensitive, maybe quoted),
 * or null when there is none.
 */
function charsetOf(contentType: string): string | null {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? "").toLowerCase() : null;
}

/**
 * The request's form fields. A form body declared in another charset than UTF-8 is refused with
 * 415 Unsupported Media Type (RFC 9110 §15.5.16), every page here sends its forms as UTF-8 (the
 * WHATWG URL-encoded and multipart serializers use the page's encoding); a form body the parser
 * cannot read with 400. A request of another media type has no fields (the handler then says
 * which field is missing), as with parseBody.
 */
export async function readForm(c: Context): Promise<FormFields> {
  const contentType = c.req.header("Content-Type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  if (!FORM_TYPES.has(mediaType)) return {};
  const charset = charsetOf(contentType);
  if (charset !== null && charset !== "utf-8" && charset !== "utf8")
    throw new HTTPException(415, {
      message: `The form is sent as charset=${echo(charset, 40)}: expected UTF-8 (charset=utf-8, or no charset).`,
    });
  try {
    return await c.req.parseBody();
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    const what =
      mediaType === "multipart/form-data"
        ? "multipart/form-data with a boundary parameter, and parts that each open and the last that closes with it (RFC 7578)"
        : "application/x-www-form-urlencoded name=value pairs in UTF-8";
    throw new HTTPException(400, {
      message: `The form body could not be read (${echo(err.message, 120)}): expected ${what}.`,
    });
  }
}
