/**
 * A preload (`node --import ./bench/lib/limit-open-files.ts scripts/publish.ts …`) that bounds
 * how many fs/promises readFile calls run at once. Used by lib/publish.ts only when publish
 * failed with EMFILE (too many open files) without it: scripts/build-content.ts' loadContent
 * reads every Markdown file at once (Promise.all over all of them), so it needs about one file
 * descriptor per article, and fails once the corpus is larger than the hard open-files limit
 * (`ulimit -Hn`, to which Node raises its soft limit): 100,000 articles against 20,000 on the
 * dev box. The benchmark then still measures the rest of the publish, and reports the failure
 * as a product problem (a FAIL line), not as a number.
 *
 * readFile is replaced on the node:fs/promises module and syncBuiltinESMExports() updates the
 * named ESM exports, which scripts/build-content.ts imports after this module ran.
 */
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";

const LIMIT = 256;
const original = fsp.readFile;
let active = 0;
const waiting: (() => void)[] = [];

async function limitedReadFile(...args: Parameters<typeof original>) {
  // A finished read hands its slot straight to the next waiting one.
  if (active >= LIMIT) await new Promise<void>((resolve) => waiting.push(resolve));
  else active++;
  try {
    return await original(...args);
  } finally {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }
}

(fsp as { readFile: unknown }).readFile = limitedReadFile;
syncBuiltinESMExports();
