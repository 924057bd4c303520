/**
 * Skip stamps: after a start step succeeds, what it was run for (its inputs' fingerprint, and
 * whatever else decides whether it must run again) is written to `<dir>/<step>.json`; the next
 * `npm start` skips the step when the same record is still there. A missing or unreadable stamp
 * only means the step runs again.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export class StampStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Whether `step` last succeeded for exactly `key`. */
  isCurrent(step: string, key: string): boolean {
    try {
      return (JSON.parse(readFileSync(this.file(step), "utf8")) as { key?: unknown }).key === key;
    } catch {
      return false;
    }
  }

  /** Records that `step` succeeded for `key`. */
  record(step: string, key: string): void {
    mkdirSync(this.dir, { recursive: true });
    // Written whole and renamed into place would be safer against a crash mid-write, but a torn
    // stamp fails to parse, which only re-runs the step.
    writeFileSync(this.file(step), `${JSON.stringify({ key })}\n`);
  }

  /** Forgets `step`, so that the next start runs it (its inputs did not say it is done). */
  forget(step: string): void {
    rmSync(this.file(step), { force: true });
  }

  private file(step: string): string {
    return join(this.dir, `${step}.json`);
  }
}
