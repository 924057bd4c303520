/**
 * Vitest global setup (runs in Node, not workerd): a loopback WebSub hub that records the
 * publish pings it gets (https://www.w3.org/TR/websub/#publishing), for test/workers/websub*.
 *
 * POST /ns/<name>/hub: a ping. Recorded with its Content-Type and raw body; answered 204, or by
 * the namespace's script: POST /ns/<name>/__script with a JSON list of statuses, one per next
 * ping (e.g. [500, 200]; 0: no answer at all). GET /ns/<name>/__pings: every ping recorded,
 * with what it was answered. Namespaces keep test files running at once apart.
 */
import { createServer } from "node:http";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    websubHubUrl: string;
  }
}

interface Ping {
  contentType: string;
  body: string;
  answered: number;
}

export default async function setup(project: TestProject) {
  const namespaces = new Map<string, { script: number[]; pings: Ping[] }>();
  const ns = (name: string) => {
    if (!namespaces.has(name)) namespaces.set(name, { script: [], pings: [] });
    return namespaces.get(name)!;
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const m = /^\/ns\/([^/]+)\/(hub|__script|__pings)$/.exec(req.url ?? "");
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      const space = ns(m[1]!);
      if (m[2] === "hub" && req.method === "POST") {
        const answered = space.script.shift() ?? 204;
        space.pings.push({ contentType: req.headers["content-type"] ?? "", body, answered });
        // 0: a hub that hangs: no answer; the connection is dropped some seconds later.
        if (answered === 0) setTimeout(() => res.destroy(), 3000).unref();
        else res.writeHead(answered).end();
      } else if (m[2] === "__script" && req.method === "POST") {
        space.script = JSON.parse(body) as number[];
        res.writeHead(204).end();
      } else if (m[2] === "__pings") {
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(space.pings));
      } else {
        res.writeHead(405).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("hub did not listen");
  project.provide("websubHubUrl", `http://127.0.0.1:${address.port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
