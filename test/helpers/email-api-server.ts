/**
 * Vitest global setup (runs in Node, not workerd): a real HTTP server on 127.0.0.1 speaking a
 * Resend-style batch API, for the HTTP transport's tests.
 *
 * POST /emails/batch behaves like Resend's idempotency
 * (https://resend.com/docs/dashboard/emails/idempotency-keys): a key is remembered once its
 * request was accepted; the same key with a byte-identical body answers the first response and
 * sends nothing; the same key with another body answers 409 `invalid_idempotent_request`; a key
 * whose first request is still being processed answers 409 `concurrent_idempotent_requests`.
 * Every accepted email is recorded (GET /__received), and every request with its answer
 * (GET /__requests: key, SHA-256 of the body, what was answered).
 *
 * Each test scripts what the next requests get (POST /__script, a list of steps, one per
 * request; afterwards requests are answered normally):
 *  - a status (429, 500, 503, 422 …): answered without processing anything;
 *  - "drop": processed and accepted (recorded, key remembered), then the connection is closed
 *    without an answer, as when the answer is lost on the way back;
 *  - { "hold": name, "then": step }: the key is marked in progress and the request waits until
 *    POST /__release { "name": name }; then `then` decides (200: accepted, a status: failed, and
 *    the key is free again). GET /__held?name=… answers once the request is waiting.
 *
 * Every path may be prefixed with /ns/<name> (e.g. baseUrl `${url}/ns/my-test`): each namespace
 * has its own script, records and keys, so test files running at once never see each other's.
 * POST /__reset clears a namespace.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    emailApiUrl: string;
  }
}

type Step = number | "drop" | { hold: string; then: Step };

interface Accepted {
  key: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

interface RequestRecord {
  key: string;
  bodySha256: string;
  /** HTTP status answered, or "dropped" when the connection was closed without an answer. */
  answer: number | "dropped";
  /** Resend's error name, for errors that have one. */
  error?: string;
}

interface Namespace {
  script: Step[];
  received: Accepted[];
  requests: RequestRecord[];
  /** Accepted keys: the body's hash and the response. */
  keys: Map<string, { bodySha256: string; response: unknown }>;
  inProgress: Set<string>;
  held: Map<string, () => void>;
  heldWaiters: Map<string, (() => void)[]>;
}

function newNamespace(): Namespace {
  return {
    script: [],
    received: [],
    requests: [],
    keys: new Map(),
    inProgress: new Set(),
    held: new Map(),
    heldWaiters: new Map(),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(payload));
}

/** Resend's error body: `{ statusCode, name, message }`. */
function sendError(res: ServerResponse, status: number, name: string, message: string) {
  sendJson(res, status, { statusCode: status, name, message });
}

async function batch(ns: Namespace, req: IncomingMessage, res: ServerResponse, body: string) {
  const key = String(req.headers["idempotency-key"] ?? "");
  const bodySha256 = createHash("sha256").update(body).digest("hex");
  const record = (answer: RequestRecord["answer"], error?: string) =>
    ns.requests.push({ key, bodySha256, answer, ...(error ? { error } : {}) });
  const fail = (status: number, name: string, message: string, headers = {}) => {
    record(status, name);
    if (status === 429) return sendJson(res, status, { statusCode: 429, name, message }, headers);
    return sendError(res, status, name, message);
  };
  if (req.headers.authorization !== "Bearer test-email-api-key")
    return fail(401, "validation_error", "invalid API key");
  let step: Step = ns.script.shift() ?? 200;
  if (typeof step === "number" && step === 429)
    return fail(429, "rate_limit_exceeded", "rate limited", { "Retry-After": "7" });
  if (typeof step === "number" && step !== 200)
    return fail(step, step >= 500 ? "internal_server_error" : "validation_error", "scripted");
  if (key && ns.inProgress.has(key))
    return fail(
      409,
      "concurrent_idempotent_requests",
      "Same idempotency key used while original request is still in progress.",
    );
  const previous = key ? ns.keys.get(key) : undefined;
  if (previous && previous.bodySha256 !== bodySha256)
    return fail(
      409,
      "invalid_idempotent_request",
      "Same idempotency key used with a different request payload.",
    );
  if (previous) {
    record(200);
    return sendJson(res, 200, previous.response);
  }
  const emails = JSON.parse(body) as Omit<Accepted, "key">[];
  if (!Array.isArray(emails) || emails.length === 0 || emails.length > 100)
    return fail(422, "validation_error", "expected an array of 1 to 100 emails");
  if (typeof step === "object") {
    const name = step.hold;
    if (key) ns.inProgress.add(key);
    await new Promise<void>((resolve) => {
      ns.held.set(name, resolve);
      for (const wake of ns.heldWaiters.get(name) ?? []) wake();
      ns.heldWaiters.delete(name);
    });
    ns.inProgress.delete(key);
    step = step.then;
    if (typeof step === "number" && step !== 200)
      return fail(step, step >= 500 ? "internal_server_error" : "validation_error", "scripted");
  }
  const response = { data: emails.map(() => ({ id: crypto.randomUUID() })) };
  for (const e of emails)
    ns.received.push({
      key,
      from: e.from,
      to: e.to,
      subject: e.subject,
      text: e.text,
      html: e.html,
      headers: e.headers,
    });
  if (key) ns.keys.set(key, { bodySha256, response });
  if (step === "drop") {
    record("dropped");
    return res.destroy();
  }
  record(200);
  return sendJson(res, 200, response);
}

export default async function setup(project: TestProject) {
  const namespaces = new Map<string, Namespace>();
  const namespace = (name: string) => {
    let ns = namespaces.get(name);
    if (!ns) namespaces.set(name, (ns = newNamespace()));
    return ns;
  };
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const m = /^\/ns\/([A-Za-z0-9_.-]+)(\/.*)$/.exec(url.pathname);
    const ns = namespace(m ? m[1]! : "");
    const path = m ? m[2]! : url.pathname;
    if (path === "/__reset" && req.method === "POST") {
      namespaces.set(m ? m[1]! : "", newNamespace());
      return sendJson(res, 200, { ok: true });
    }
    if (path === "/__script" && req.method === "POST") {
      ns.script = JSON.parse(body) as Step[];
      return sendJson(res, 200, { ok: true });
    }
    if (path === "/__received") return sendJson(res, 200, ns.received);
    if (path === "/__requests") return sendJson(res, 200, ns.requests);
    if (path === "/__held") {
      const name = url.searchParams.get("name") ?? "";
      if (!ns.held.has(name))
        await new Promise<void>((resolve) =>
          ns.heldWaiters.set(name, [...(ns.heldWaiters.get(name) ?? []), resolve]),
        );
      return sendJson(res, 200, { held: name });
    }
    if (path === "/__release" && req.method === "POST") {
      const name = (JSON.parse(body) as { name: string }).name;
      const release = ns.held.get(name);
      if (!release) return sendJson(res, 404, { message: `nothing held as ${name}` });
      ns.held.delete(name);
      release();
      return sendJson(res, 200, { released: name });
    }
    if (path !== "/emails/batch" || req.method !== "POST")
      return sendJson(res, 404, { message: "not found" });
    return batch(ns, req, res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("fake email API did not bind");
  project.provide("emailApiUrl", `http://127.0.0.1:${address.port}`);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
