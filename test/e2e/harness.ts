/**
 * The e2e run's reporting: one `ok - …` / `not ok - …: reason` line per check, a tally for the
 * closing `e2e: N passed, M failed` line, and the paths every module shares.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const ARTIFACTS = join(ROOT, "e2e-artifacts");

export class CheckFailure extends Error {}

/** Ends the current check as `not ok` with this reason. */
export function fail(reason: string): never {
  throw new CheckFailure(reason);
}

export const tally = { passed: 0, failed: 0 };

/** Runs one check and prints its line; an unexpected exception fails it rather than the run. */
export async function check(name: string, body: () => unknown): Promise<void> {
  try {
    await body();
    tally.passed++;
    console.log(`ok - ${name}`);
  } catch (error) {
    tally.failed++;
    const reason =
      error instanceof CheckFailure
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    // Continuation lines (a log tail, a stack) as comments, so each check stays one result line.
    console.log(`not ok - ${name}: ${reason.replace(/\n/g, "\n#   ")}`);
  }
}

/** Fails with every problem at once (the first `shown`), so one run shows everything wrong. */
export function failIfAny(problems: readonly string[], shown = 8): void {
  if (problems.length === 0) return;
  const first = problems.slice(0, shown).join("; ");
  fail(problems.length > shown ? `${first}; … and ${problems.length - shown} more` : first);
}

/** A `# …` line: information that is neither a pass nor a failure. */
export function note(text: string): void {
  console.log(`# ${text.replace(/\n/g, "\n# ")}`);
}

/** A `[vars]` value from wrangler.toml (what `npm start` and the digest backfill run with). */
export function wranglerVar(name: string): string | null {
  const match = new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, "m").exec(
    readFileSync(join(ROOT, "wrangler.toml"), "utf8"),
  );
  return match ? match[1]! : null;
}

/** FEED_ITEM_LIMIT from wrangler.toml: the feeds carry at most that many of the newest items. */
export function feedItemLimit(): number {
  const value = wranglerVar("FEED_ITEM_LIMIT");
  return value && /^\d+$/.test(value) ? Number(value) : 50;
}

/** DIGEST_TIME_ZONE from wrangler.toml: the zone the digest's ISO weeks are cut in. */
export function digestTimeZone(): string {
  return wranglerVar("DIGEST_TIME_ZONE") || "UTC";
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

/** HTML character references → text (named ones the site's escaping produces, and numeric ones). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return ENTITIES[ref.toLowerCase()] ?? whole;
    const code =
      ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Whitespace runs as one space, trimmed: how text compares across HTML, text email and feeds. */
export const squash = (text: string) => text.replace(/\s+/g, " ").trim();
