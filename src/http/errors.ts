/**
 * One error path for the whole app: handlers throw HTTPException (via these helpers) and
 * `app.onError` renders it as a helpful page with the right status.
 */
import { HTTPException } from "hono/http-exception";
import { echo } from "./echo.ts";

export function notFound(message: string): HTTPException {
  return new HTTPException(404, { message });
}

/** 410: the resource existed and was deliberately removed (RFC 9110 §15.5.11). */
export function gone(message: string): HTTPException {
  return new HTTPException(410, { message });
}

export function badRequest(message: string): HTTPException {
  return new HTTPException(400, { message });
}

/** 400 naming the query parameter and what it should have been. */
export function badParameter(name: string, value: string, expected: string): HTTPException {
  return badRequest(`Query parameter "${name}" is "${echo(value)}": expected ${expected}.`);
}

/** 400 naming the form field and what is wrong with it. */
export function badField(name: string, problem: string): HTTPException {
  return badRequest(`Field "${name}": ${problem}`);
}
