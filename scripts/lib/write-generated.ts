import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Writes a generated module: to a temporary file, then renamed into place, so a reader
 * (wrangler's file watcher, a concurrent build) never sees half a module.
 */
export async function writeGenerated(outFile: string, text: string): Promise<void> {
  await mkdir(dirname(outFile), { recursive: true });
  const tmp = `${outFile}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, outFile);
}
