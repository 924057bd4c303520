/** The content build's error path, as an operator sees it on a bad content folder. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check, fail, ROOT } from "./harness.ts";

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

export async function checkContentBuildErrors(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "e2e-build-"));
  const out = join(tmp, "content.ts");
  try {
    // Relative paths and cwd = repo root, as an operator runs it: messages name paths from there.
    const run = spawnSync(
      join(ROOT, "node_modules/.bin/node"),
      ["scripts/build-content.ts", "--content", BAD_CONTENT_DIR, "--out", out],
      {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    await check("content build rejects bad content with exit code 1", () => {
      if (run.error) fail(`could not run the build: ${run.error.message}`);
      if (run.status !== 1)
        fail(
          `exit code ${run.status} (signal ${run.signal}), expected 1; stderr: ${run.stderr.trim() || "(empty)"}`,
        );
    });
    for (const { file, key } of BAD_FIXTURES) {
      const line = lineOfKey(file, key);
      const prefix = `${BAD_CONTENT_DIR}/${file}:${line}: `;
      await check(`content build reports ${prefix}… naming "${key}"`, () => {
        const hit = run.stderr.split("\n").find((l) => l.startsWith(prefix));
        if (!hit)
          fail(`no stderr line starts with "${prefix}"; stderr was: ${JSON.stringify(run.stderr)}`);
        if (!hit.includes(`"${key}"`)) fail(`the line does not name "${key}": ${hit}`);
      });
    }
    await check("content build writes no output when it fails", () => {
      for (const path of [out, `${out}.tmp`]) if (existsSync(path)) fail(`${path} was created`);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
