/**
 * A closed-loop HTTP load that keeps every response: `connections` keep-alive connections, each
 * sending its next request as soon as the previous answer has arrived (full speed), cycling
 * through the paths. Unlike autocannon (lib/load.ts), which decodes each body chunk to a string
 * on its own (a UTF-8 character split between two chunks comes out mangled), the body arrives
 * here as the exact bytes, so a check can hash it against its ETag.
 */
import { Agent, request } from "node:http";

export interface Exchange {
  readonly path: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** performance.now() when the request was sent and when its answer was complete. */
  readonly sentAt: number;
  readonly doneAt: number;
}

export interface ClosedLoopOptions {
  readonly origin: string;
  readonly paths: readonly string[];
  readonly connections: number;
  /** performance.now() after which no new request is sent. */
  readonly until: number;
  /** Extra headers per request, e.g. If-None-Match from what the path last answered. */
  readonly headersFor?: (path: string) => Record<string, string>;
  readonly onExchange: (exchange: Exchange) => void;
  /** A request that failed without an HTTP answer (reset, timeout). */
  readonly onError: (path: string, error: Error) => void;
}

const TIMEOUT_MS = 30_000;

function send(agent: Agent, origin: string, path: string, headers: Record<string, string>) {
  return new Promise<Omit<Exchange, "path" | "requestHeaders">>((resolve, reject) => {
    const sentAt = performance.now();
    const req = request(`${origin}${path}`, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          sentAt,
          doneAt: performance.now(),
        }),
      );
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end();
  });
}

/** Runs until `until`; resolves when every connection's last request has been answered. */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const loop = async (start: number) => {
    for (let i = start; performance.now() < options.until; i++) {
      const path = options.paths[i % options.paths.length]!;
      const headers = options.headersFor?.(path) ?? {};
      try {
        const answer = await send(agent, options.origin, path, headers);
        options.onExchange({ path, requestHeaders: headers, ...answer });
      } catch (err) {
        options.onError(path, err as Error);
      }
    }
  };
  try {
    // Each connection starts at another path, so all paths are in flight at once.
    await Promise.all(Array.from({ length: options.connections }, (_, c) => loop(c)));
  } finally {
    agent.destroy();
  }
}
