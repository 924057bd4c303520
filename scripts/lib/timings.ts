/**
 * `PUBLISH_TIMINGS=1 npm run publish`: how long each step of a publish took, on stderr, one
 * line each (`timing: index 812 ms`). Off by default: the operator's output stays one line.
 * It exists to find where the seconds of a one-article change go (issue 17's 3 s target).
 */
const enabled = process.env.PUBLISH_TIMINGS === "1";
let last = performance.now();

/** Prints the time since the previous mark (or since this module loaded) under `step`. */
export function timing(step: string): void {
  if (!enabled) return;
  const now = performance.now();
  console.error(`timing: ${step} ${Math.round(now - last)} ms`);
  last = now;
}
