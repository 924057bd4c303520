/**
 * Builds content into src/generated/content.ts (what the Worker imports) with the project's own
 * build script, and puts the real content back afterwards.
 */
import { spawn, spawnSync } from "node:child_process";
import { stat } from "node:fs/promises";
import { relative } from "node:path";
import { onCleanup } from "./cleanup.ts";
import { buildContentScript, childEnv, generatedContent, repoRoot } from "./paths.ts";

export interface BuildResult {
  readonly ms: number;
  readonly moduleBytes: number;
}

function buildArgs(contentDir?: string, outFile = generatedContent): string[] {
  return contentDir === undefined
    ? [buildContentScript]
    : [
        buildContentScript,
        "--content",
        relative(repoRoot, contentDir),
        "--out",
        relative(repoRoot, outFile),
      ];
}

/**
 * `node scripts/build-content.ts --content DIR --out FILE`; FILE is src/generated/content.ts
 * (what the Worker imports) unless given, e.g. a module under bench/.work/ for in-process use.
 */
export async function buildContent(
  contentDir: string,
  outFile = generatedContent,
): Promise<BuildResult> {
  const started = performance.now();
  const args = buildArgs(contentDir, outFile);
  const { code, output } = await new Promise<{ code: number | null; output: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: repoRoot,
        env: childEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d));
      child.stderr.on("data", (d: Buffer) => (output += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, output }));
    },
  );
  if (code !== 0) {
    throw new Error(
      `content build failed (node ${args.map((a) => relative(repoRoot, a) || a).join(" ")}):\n${output.split("\n").slice(0, 20).join("\n")}`,
    );
  }
  return { ms: performance.now() - started, moduleBytes: (await stat(outFile)).size };
}

/** `node scripts/build-content.ts`: the real content/ back into src/generated/content.ts. */
export function restoreRealContent(): void {
  const result = spawnSync(process.execPath, buildArgs(), {
    cwd: repoRoot,
    env: childEnv(),
    encoding: "utf8",
  });
  if (result.status === 0) console.log(`restored real content: ${result.stdout.trim()}`);
  else
    console.error(
      `could not restore the real content (run \`npm run build:content\`):\n${result.stderr || result.stdout || result.error?.message}`,
    );
}

/** Registers the restore to run however the benchmark ends (finally, Ctrl-C, exit). */
export function restoreRealContentOnExit(): void {
  onCleanup({ name: "restore real content", sync: restoreRealContent });
}
