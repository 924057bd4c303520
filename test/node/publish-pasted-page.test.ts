/**
 * `npm run publish` on an article that is a pasted web page: each chrome line named with
 * `file:line`, and `--strict` refusing it before anything is written. The content folder and the
 * state folder are made fresh in a temporary directory.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A content folder with one article whose body (from line 10) is a pasted page. */
function pastedContent(): { content: string; state: string } {
  const dir = mkdtempSync(join(tmpdir(), "pasted-page-"));
  dirs.push(dir);
  const content = join(dir, "content");
  const state = join(dir, "state");
  mkdirSync(content);
  writeFileSync(
    join(content, "actors.yaml"),
    "actors:\n  - id: russia\n    name: Russia\n    kind: country\n    side: axis\n    aliases: [Russia]\n",
  );
  writeFileSync(
    join(content, "pasted.md"),
    [
      "---",
      'id: "urn:uuid:0a000000-0000-4000-8000-000000000001"',
      'title: "Russia sends troops"',
      'date: "2024-10-22T09:30:00+09:00"',
      'source: "Test Wire"',
      "tags: [russia]",
      'summary: "Russia sent troops."',
      "---",
      "",
      "Russia sent 1,500 troops to North Korea on 3 October 2024.",
      "",
      "Advertisement",
      "",
      "Share on Facebook Twitter WhatsApp Email",
      "",
    ].join("\n"),
  );
  return { content, state };
}

function publish(args: readonly string[]) {
  return spawnSync(process.execPath, ["scripts/publish.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
}

describe("npm run publish on a pasted page", () => {
  // A child process that loads wrangler and the language model: seconds, not milliseconds.
  it(
    "--strict refuses it, naming each chrome line as file:line, and writes nothing",
    { timeout: 60_000 },
    () => {
      const { content, state } = pastedContent();
      const result = publish(["--content", content, "--persist-to", state, "--strict", "--quiet"]);
      expect(result.status).toBe(1);
      const file = join(content, "pasted.md");
      const lines = result.stderr.split("\n").filter((l) => l.includes("looks like page chrome"));
      // Publish names files relative to where it runs when that is shorter: resolve them.
      const located = lines.map((l) => {
        const where = l.slice(0, l.indexOf(": "));
        const colon = where.lastIndexOf(":");
        return `${resolve(ROOT, where.slice(0, colon))}${where.slice(colon)}`;
      });
      expect(located).toEqual([`${file}:12`, `${file}:14`]);
      expect(lines[0]).toContain("an advertisement");
      expect(result.stderr).toContain("nothing was written");
      // Refused before the database was opened: no local state was made.
      expect(existsSync(state)).toBe(false);
    },
  );
});
