/** Where things are. Everything the benchmarks write goes under bench/.work/ (git-ignored). */
import { dirname, join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");
export const workDir = join(repoRoot, "bench", ".work");
export const logDir = join(workDir, "logs");
export const binDir = join(repoRoot, "node_modules", ".bin");
export const wranglerBin = join(binDir, "wrangler");
export const publishScript = join(repoRoot, "scripts", "publish.ts");

/**
 * Environment for child processes: node_modules/.bin and this Node first on PATH, so
 * `#!/usr/bin/env node` scripts (wrangler) run on the project's Node, not the system's.
 */
export function childEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const path = [binDir, dirname(process.execPath), process.env.PATH ?? ""].join(":");
  return {
    ...process.env,
    PATH: path,
    WRANGLER_SEND_METRICS: "false",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...extra,
  };
}
