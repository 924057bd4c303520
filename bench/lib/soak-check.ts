/**
 * What the soak (bench/soak.ts) checks in every answer: the status, that the ETag is the hash
 * of exactly these bytes (src/http/representation.ts: the first 128 bits of SHA-256, quoted),
 * that the body shows one content version only, and that no path goes back to an older
 * version after it has shown a newer one. The changing article carries its revision as
 * "soak revision N" in its title, summary and body, so a body rendered from two versions shows
 * two numbers.
 */
import { createHash } from "node:crypto";
import type { Exchange } from "./closed-loop.ts";

export const REVISION = /soak revision (\d+)/gi;

export interface SoakProblem {
  readonly kind: "status" | "etag" | "mixed" | "older" | "error";
  readonly path: string;
  readonly detail: string;
}

export interface PathTally {
  requests: number;
  statuses: Record<string, number>;
  /** Highest revision an answer has shown, and when that answer was complete. */
  newest: { revision: number; doneAt: number } | null;
}

export interface SoakTally {
  readonly byPath: Map<string, PathTally>;
  readonly problems: SoakProblem[];
  /** Problems by kind (all of them; `problems` keeps only the first few for the report). */
  readonly counts: Record<SoakProblem["kind"], number>;
  /** When each path first showed each revision (performance.now()), for the publish lag. */
  readonly firstSeen: Map<string, Map<number, number>>;
}

const KEEP_PROBLEMS = 20;

export function newTally(): SoakTally {
  return {
    byPath: new Map(),
    problems: [],
    counts: { status: 0, etag: 0, mixed: 0, older: 0, error: 0 },
    firstSeen: new Map(),
  };
}

export function addProblem(tally: SoakTally, problem: SoakProblem): void {
  tally.counts[problem.kind]++;
  if (tally.problems.length < KEEP_PROBLEMS) tally.problems.push(problem);
}

function pathTally(tally: SoakTally, path: string): PathTally {
  let t = tally.byPath.get(path);
  if (!t) tally.byPath.set(path, (t = { requests: 0, statuses: {}, newest: null }));
  return t;
}

function header(exchange: Exchange, name: string): string | null {
  const value = exchange.headers[name];
  return Array.isArray(value) ? value.join(", ") : (value ?? null);
}

/** The revisions a body shows, distinct, ascending. */
export function revisionsIn(body: string): number[] {
  return [...new Set([...body.matchAll(REVISION)].map((m) => Number(m[1])))].sort((a, b) => a - b);
}

export function checkExchange(tally: SoakTally, exchange: Exchange): void {
  const { path } = exchange;
  const t = pathTally(tally, path);
  t.requests++;
  t.statuses[exchange.status] = (t.statuses[exchange.status] ?? 0) + 1;
  const etag = header(exchange, "etag");
  if (exchange.status === 304) {
    // The 304 names the representation the client has (RFC 9110 §15.4.5).
    const sent = exchange.requestHeaders["If-None-Match"];
    if (etag !== sent)
      addProblem(tally, { kind: "etag", path, detail: `304 with ETag ${etag}, asked ${sent}` });
    return;
  }
  if (exchange.status !== 200) {
    const excerpt = exchange.body.toString("utf8").replace(/\s+/g, " ").slice(0, 160);
    addProblem(tally, { kind: "status", path, detail: `${exchange.status}: ${excerpt}` });
    return;
  }
  const hash = createHash("sha256").update(exchange.body).digest("hex").slice(0, 32);
  if (etag !== `"${hash}"`) {
    addProblem(tally, {
      kind: "etag",
      path,
      detail: `ETag ${etag} on a body whose hash is "${hash}" (${exchange.body.byteLength} bytes)`,
    });
  }
  const revisions = revisionsIn(exchange.body.toString("utf8"));
  if (revisions.length > 1) {
    addProblem(tally, { kind: "mixed", path, detail: `revisions ${revisions.join(" and ")}` });
    return;
  }
  if (revisions.length === 0) return;
  const revision = revisions[0]!;
  let seen = tally.firstSeen.get(path);
  if (!seen) tally.firstSeen.set(path, (seen = new Map()));
  if (!seen.has(revision)) seen.set(revision, exchange.doneAt);
  // Older than an answer that was complete before this request was sent: gone back in time.
  if (t.newest && revision < t.newest.revision && exchange.sentAt > t.newest.doneAt) {
    addProblem(tally, {
      kind: "older",
      path,
      detail: `revision ${revision} after revision ${t.newest.revision} had been served`,
    });
  }
  if (!t.newest || revision > t.newest.revision) t.newest = { revision, doneAt: exchange.doneAt };
}
