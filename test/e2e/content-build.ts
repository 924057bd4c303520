/**
 * The content check's and publish's error path, as an operator sees it on a bad content folder:
 * every problem as `file:line: …`, exit status 1, and nothing written.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check, fail, ROOT } from "./harness.ts";
import { WRANGLER_ENV } from "./server.ts";

interface BadFixture {
  readonly file: string;
  /** The front-matter key the build must name, on the line where it appears. */
  readonly key: string;
}

const BAD_CONTENT_DIR = "test/e2e/fixtures/bad-content";
const BAD_FIXTURES: readonly BadFixture[] = [
  { file: "zoneless-date.md", key: "date" },
  { file: "unknown-key.md", key: "titel" },
];

/** 1-based line of `key:` in the fixture, so the check follows edits to the fixture. */
function lineOfKey(file: string, key: string): number {
  const lines = readFileSync(join(ROOT, BAD_CONTENT_DIR, file), "utf8").split("\n");
  return lines.findIndex((line) => line.startsWith(`${key}:`)) + 1;
}

/** A script of scripts/ with this Node, from the repo root as an operator runs it. */
function runScript(args: readonly string[]): SpawnSyncReturns<string> {
  // Relative paths and cwd = repo root, as an operator runs it: messages name paths from there.
  return spawnSync(join(ROOT, "node_modules/.bin/node"), args, {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, ...WRANGLER_ENV },
  });
}

/**
 * Exit status 1, a `file:line:` line per bad fixture naming its key, then `summary` as the last
 * line, whose first group is the number of problems: as many as there are `file:line:` lines.
 */
async function checkErrorOutput(
  what: string,
  run: SpawnSyncReturns<string>,
  summary: { readonly text: string; readonly pattern: RegExp },
): Promise<void> {
  await check(`${what} rejects bad content with exit code 1`, () => {
    if (run.error) fail(`could not run it: ${run.error.message}`);
    if (run.status !== 1)
      fail(
        `exit code ${run.status} (signal ${run.signal}), expected 1; stderr: ${run.stderr.trim() || "(empty)"}`,
      );
  });
  for (const { file, key } of BAD_FIXTURES) {
    const line = lineOfKey(file, key);
    const prefix = `${BAD_CONTENT_DIR}/${file}:${line}: `;
    await check(`${what} reports ${prefix}… naming "${key}"`, () => {
      const hit = run.stderr.split("\n").find((l) => l.startsWith(prefix));
      if (!hit)
        fail(`no stderr line starts with "${prefix}"; stderr was: ${JSON.stringify(run.stderr)}`);
      if (!hit.includes(`"${key}"`)) fail(`the line does not name "${key}": ${hit}`);
    });
  }
  await check(`${what} ends with "${summary.text}", N = the file:line lines`, () => {
    const lines = run.stderr.trimEnd().split("\n");
    const last = lines.at(-1) ?? "";
    const match = summary.pattern.exec(last);
    if (!match) fail(`its last stderr line is ${JSON.stringify(last)}`);
    const reported = lines.filter((l) => /^[^\s:]+:\d+: /.test(l)).length;
    if (Number(match[1]) !== reported)
      fail(`it counts ${match[1]} problems, but stderr has ${reported} file:line lines`);
  });
}

export async function checkContentBuildErrors(): Promise<void> {
  await checkErrorOutput(
    "content check (scripts/build-content.ts)",
    runScript(["scripts/build-content.ts", "--content", BAD_CONTENT_DIR]),
    {
      text: "content check failed: N problems; nothing was published.",
      pattern: /^content check failed: (\d+) problems?; nothing was published\.$/,
    },
  );

  // publish validates before it touches the database: on bad content it must not even apply the
  // migrations, so the state directory it was pointed at stays empty.
  const state = mkdtempSync(join(tmpdir(), "e2e-publish-state-"));
  try {
    await checkErrorOutput(
      "publish (scripts/publish.ts --persist-to TMP)",
      runScript(["scripts/publish.ts", "--content", BAD_CONTENT_DIR, "--persist-to", state]),
      {
        text: `publish stopped: N problems in ${BAD_CONTENT_DIR}; nothing was written.`,
        pattern: new RegExp(
          `^publish stopped: (\\d+) problems? in ${BAD_CONTENT_DIR}; nothing was written\\.$`,
        ),
      },
    );
    await check("publish writes nothing to D1 when the content is bad", () => {
      const created = readdirSync(state, { recursive: true });
      if (created.length > 0)
        fail(`${state} now holds ${created.slice(0, 5).join(", ")}: expected no database at all`);
    });
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}
