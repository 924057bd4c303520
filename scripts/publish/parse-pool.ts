/**
 * Parsing (and analysing) many files at once, for a full publish: worker threads, one per
 * available core (os.availableParallelism()), each with its own copy of the language model.
 * A publish that parses a handful of files never starts one (starting a worker and loading the
 * model in it costs more than parsing them here): content-index.ts decides.
 *
 * Results come back by job, so the order of the output never depends on which worker was
 * quicker.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Actor } from "../../src/model/actor.ts";
import type { ParseResult } from "./parse-one.ts";
import type { ParseJob, ParseReply } from "./parse-worker.ts";

export interface ParsePool {
  parse(path: string, text: string): Promise<ParseResult>;
  close(): Promise<void>;
}

export function parsePool(
  now: Date,
  actors: readonly Actor[],
  size = availableParallelism(),
): ParsePool {
  const pending = new Map<
    number,
    { resolve: (r: ParseResult) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  let turn = 0;
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const w = new Worker(new URL("./parse-worker.ts", import.meta.url), {
      workerData: { now: now.toISOString(), actors },
    });
    w.on("message", (reply: ParseReply) => {
      const p = pending.get(reply.id);
      if (p === undefined) return;
      pending.delete(reply.id);
      if ("error" in reply) p.reject(new Error(reply.error));
      else p.resolve(reply.result);
    });
    w.on("error", (err: Error) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
    return w;
  });
  return {
    parse(path, text) {
      const id = nextId++;
      const job: ParseJob = { id, path, text };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[turn++ % workers.length]!.postMessage(job);
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
