/**
 * `npm run publish` as the operator runs it, timed: `node scripts/publish.ts --content DIR
 * --persist-to DIR --quiet` as a child process (load and validate the Markdown, apply the D1
 * migrations, write the new version through wrangler's getPlatformProxy), and its one-line
 * report parsed and checked.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFile, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { onCleanup } from "./cleanup.ts";
import { childEnv, publishScript, repoRoot } from "./paths.ts";

const OPEN_FILES_PRELOAD = join(import.meta.dirname, "limit-open-files.ts");

/** What publish printed: `published version V to local D1: A new, C changed, D deleted (…)`. */
export interface PublishReport {
  readonly version: number;
  readonly added: number;
  readonly changed: number;
  readonly deleted: number;
  readonly restored: number;
  readonly articles: number;
  readonly statements: number;
  readonly roundTrips: number;
  /** publish's own figure (from its start, Node's start-up excluded). */
  readonly seconds: number;
}

export interface PublishRun {
  readonly command: string;
  /** Wall time of the child process, spawn to exit. */
  readonly ms: number;
  readonly report: PublishReport;
  readonly line: string;
  /**
   * Set when publish failed with EMFILE (too many open files) and was measured again with
   * lib/limit-open-files.ts preloaded: the first attempt's error line.
   */
  readonly openFilesProblem: string | null;
}

export class PublishFailedError extends Error {
  override readonly name = "PublishFailedError";
}

const REPORT =
  /published version (\d+) to local D1: (\d+) new, (\d+) changed, (\d+) deleted(?:, (\d+) restored)? \((\d+) articles(?:, [^;]*)?; (\d+) statements in (\d+) round trips; ([\d.]+) s\)/;

function run(
  args: readonly string[],
): Promise<{ code: number | null; output: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: childEnv(),
      // Own process group, with the workerd that getPlatformProxy starts: stopped as one if the
      // benchmark is interrupted mid-publish.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const unregister = onCleanup({
      name: "stop publish",
      sync: () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", (err) => {
      unregister();
      reject(err);
    });
    child.on("close", (code) => {
      unregister();
      resolve({ code, output, ms: performance.now() - started });
    });
  });
}

/**
 * The hard limit on open files (`ulimit -Hn`), for the report; null if unknown. The one that
 * matters: Node raises its soft limit to the hard limit when it starts.
 */
export function openFilesLimit(): string | null {
  const result = spawnSync("sh", ["-c", "ulimit -Hn"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : null;
}

const UNCHANGED =
  /nothing to publish: local D1 already has this content \(version (\d+), (\d+) articles[^)]*\)/;

/** `npm run publish`'s script with its arguments, and the command line as reports show it. */
function publishCommand(
  contentDir: string,
  persistTo: string,
): { args: string[]; command: string } {
  const args = [
    publishScript,
    "--content",
    relative(repoRoot, contentDir),
    "--persist-to",
    relative(repoRoot, persistTo),
    "--quiet",
  ];
  return { args, command: `node ${args.map((a) => relative(repoRoot, a) || a).join(" ")}` };
}

/**
 * Publishes `contentDir` again when nothing changed (what every `npm start` does): throws unless
 * it said "nothing to publish", or if it printed any line twice.
 */
export async function publishUnchanged(
  contentDir: string,
  persistTo: string,
): Promise<{ command: string; ms: number; line: string; version: number; articles: number }> {
  const { args, command } = publishCommand(contentDir, persistTo);
  const result = await run(args);
  const tail = () => result.output.trim().split("\n").slice(-20).join("\n");
  if (result.code !== 0)
    throw new PublishFailedError(`${command} exited ${result.code}:\n${tail()}`);
  const m = UNCHANGED.exec(result.output);
  if (!m) throw new PublishFailedError(`${command}: no "nothing to publish" line:\n${tail()}`);
  const lines = result.output.split("\n").filter((l) => l.trim() !== "");
  const twice = lines.find((l, i) => lines.indexOf(l) !== i);
  if (twice !== undefined)
    throw new PublishFailedError(`${command} printed a line twice: ${twice}`);
  return { command, ms: result.ms, line: m[0], version: Number(m[1]), articles: Number(m[2]) };
}

/** Publishes `contentDir` to the local D1 in `persistTo`; throws unless it published. */
export async function publish(contentDir: string, persistTo: string): Promise<PublishRun> {
  const { args, command: plain } = publishCommand(contentDir, persistTo);
  let command = plain;
  let result = await run(args);
  let openFilesProblem: string | null = null;
  if (result.code !== 0 && /\bEMFILE\b/.test(result.output)) {
    openFilesProblem =
      /^.*\bEMFILE\b.*$/m.exec(result.output)?.[0]?.trim() ?? "EMFILE: too many open files";
    command = `node --import ./${relative(repoRoot, OPEN_FILES_PRELOAD)} ${command.slice("node ".length)}`;
    result = await run(["--import", OPEN_FILES_PRELOAD, ...args]);
  }
  if (result.code !== 0) {
    throw new PublishFailedError(
      `${command} exited ${result.code}:\n${result.output.trim().split("\n").slice(-20).join("\n")}`,
    );
  }
  const m = REPORT.exec(result.output);
  if (!m) {
    throw new PublishFailedError(
      `${command}: no "published version …" line in its output:\n${result.output.trim().split("\n").slice(-20).join("\n")}`,
    );
  }
  const num = (i: number) => Number(m[i] ?? 0);
  return {
    command,
    ms: result.ms,
    line: m[0],
    openFilesProblem,
    report: {
      version: num(1),
      added: num(2),
      changed: num(3),
      deleted: num(4),
      restored: num(5),
      articles: num(6),
      statements: num(7),
      roundTrips: num(8),
      seconds: num(9),
    },
  };
}

/** Throws unless the publish wrote what was expected (e.g. version 2, 0 new, 1 changed, 0 deleted). */
export function expectPublished(
  run: PublishRun,
  expected: Partial<Pick<PublishReport, "version" | "added" | "changed" | "deleted" | "articles">>,
): void {
  const wrong = Object.entries(expected).filter(
    ([key, value]) => run.report[key as keyof PublishReport] !== value,
  );
  if (wrong.length > 0) {
    throw new PublishFailedError(
      `${run.command}: expected ${wrong.map(([k, v]) => `${k} ${v}`).join(", ")}; it printed: ${run.line}`,
    );
  }
}

/**
 * One article changed the way an editor would: a sentence added to the end of its body.
 * Returns what was added.
 */
export async function editArticle(file: string): Promise<string> {
  const text = await readFile(file, "utf8");
  if (!text.startsWith("---\n")) throw new Error(`${file}: no front matter`);
  const added = "\nCorrection: an earlier version of this article misstated a date.\n";
  await appendFile(file, added);
  return added;
}
