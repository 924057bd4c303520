/**
 * Vitest global setup (runs in Node, not workerd): a real HTTP server on 127.0.0.1 speaking a
 * Resend-style batch API, for the HTTP transport's tests. POST /emails/batch answers with what
 * the test scripted (POST /__script with a list of statuses), dedupes by Idempotency-Key like
 * the real provider, and records every accepted email (GET /__received); POST /__reset clears.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    emailApiUrl: string;
  }
}

interface Accepted {
  key: string;
  to: string[];
  subject: string;
  headers: Record<string, string>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export default async function setup(project: TestProject) {
  let script: number[] = [];
  let received: Accepted[] = [];
  const seenKeys = new Map<string, string>();
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(payload));
    };
    if (req.url === "/__reset" && req.method === "POST") {
      script = [];
      received = [];
      seenKeys.clear();
      return send(200, { ok: true });
    }
    if (req.url === "/__script" && req.method === "POST") {
      script = JSON.parse(body) as number[];
      return send(200, { ok: true });
    }
    if (req.url === "/__received") return send(200, received);
    if (req.url !== "/emails/batch" || req.method !== "POST")
      return send(404, { message: "not found" });
    if (req.headers.authorization !== "Bearer test-email-api-key")
      return send(401, { message: "invalid API key" });
    const status = script.shift() ?? 200;
    if (status === 429) return send(429, { message: "rate limited" }, { "Retry-After": "7" });
    if (status >= 500) return send(status, { message: "provider error" });
    const key = String(req.headers["idempotency-key"] ?? "");
    const previous = seenKeys.get(key);
    if (key && previous !== undefined) return send(200, JSON.parse(previous));
    const emails = JSON.parse(body) as {
      to: string[];
      subject: string;
      headers: Record<string, string>;
    }[];
    if (!Array.isArray(emails) || emails.length > 100)
      return send(422, { message: "expected an array of at most 100 emails" });
    const result = { data: emails.map(() => ({ id: crypto.randomUUID() })) };
    for (const e of emails)
      received.push({ key, to: e.to, subject: e.subject, headers: e.headers });
    if (key) seenKeys.set(key, JSON.stringify(result));
    return send(200, result);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("fake email API did not bind");
  project.provide("emailApiUrl", `http://127.0.0.1:${address.port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
