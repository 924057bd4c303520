/**
 * What a start step read, as one hash: every file under the given paths (relative path and
 * bytes, in sorted order), and the names of paths that do not exist. Any edit, addition,
 * removal or rename of an input changes it; nothing else does (no timestamps: a checkout or a
 * copy that leaves the bytes alone does not redo a step).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Hash of `inputs` (paths relative to `root`), leaving out paths for which `skip` is true. */
export function fingerprint(
  root: string,
  inputs: readonly string[],
  skip: (relativePath: string) => boolean = () => false,
): string {
  const hash = createHash("sha256");
  const files: string[] = [];
  for (const input of [...inputs].sort()) {
    const path = join(root, input);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      hash.update(`missing ${input}\n`);
      continue;
    }
    if (isDirectory) files.push(...walk(path));
    else files.push(path);
  }
  for (const file of [...new Set(files)].sort()) {
    const rel = relative(root, file).split(sep).join("/");
    if (skip(rel)) continue;
    const bytes = readFileSync(file);
    hash.update(`${rel}\n${bytes.length}\n`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
