/**
 * A worker thread of parse-pool.ts: parses, renders, checks for page chrome and analyses the
 * files it is sent, each message one file. The language model loads once per worker.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Actor } from "../../src/model/actor.ts";
import { analyzeLoaded, pastedPageLines } from "../analysis/publish-analyzer.ts";
import { type ParseResult, parseOne } from "./parse-one.ts";

export interface ParseJob {
  readonly id: number;
  readonly path: string;
  readonly text: string;
}

export type ParseReply =
  | { readonly id: number; readonly result: ParseResult }
  | { readonly id: number; readonly error: string };

const { now, actors } = workerData as { now: string; actors: Actor[] };
const at = new Date(now);

parentPort!.on("message", (job: ParseJob) => {
  try {
    const result = parseOne(job.path, job.text, at, actors, pastedPageLines);
    const reply: ParseReply = {
      id: job.id,
      result: result.ok
        ? {
            ...result,
            loaded: {
              ...result.loaded,
              analysis: analyzeLoaded(result.loaded.article, result.loaded.body, actors),
            },
          }
        : result,
    };
    parentPort!.postMessage(reply);
  } catch (err) {
    parentPort!.postMessage({
      id: job.id,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  }
});
