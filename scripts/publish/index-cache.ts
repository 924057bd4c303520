/**
 * The local cache of content-index.ts: one JSON file per content folder, in a git-ignored place
 * (node_modules/.cache/axis-dispatch/ by default), holding an entry per valid file keyed by its
 * path and the SHA-256 of its bytes.
 *
 * The whole file is valid only for one version of the code that parses, renders and analyses
 * (CODE_FILES, hashed, with the locked package versions) and one watch list (actors.yaml's
 * countries, which the analysis reads): a change to either makes every file parse again. A file
 * that cannot be read or parsed, or an entry of the wrong shape, is ignored: a cache only ever
 * saves time.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Actor } from "../../src/model/actor.ts";
import type { IndexEntry } from "./content-index.ts";

const root = join(import.meta.dirname, "..", "..");

/** The default folder of the cache files. */
export const DEFAULT_CACHE_DIR = join(root, "node_modules", ".cache", "axis-dispatch");

/** The cache file of `contentDir` in `cacheDir`: one per content folder. */
export function indexCacheFile(cacheDir: string, contentDir: string): string {
  const key = createHash("sha256").update(resolve(contentDir)).digest("hex").slice(0, 16);
  return join(cacheDir, `publish-index-${key}.json`);
}

/**
 * What an entry is computed by: the parse (scripts/content/), the rendering and the analysis
 * (scripts/analysis/), the model types (src/model/), this folder, and the packages they use
 * (package-lock.json: marked, sanitize-html, yaml, wink-nlp…).
 */
const CODE_FILES = [
  "scripts/content",
  "scripts/analysis",
  "scripts/publish",
  "scripts/build-content.ts",
  "src/model",
  "package-lock.json",
];

let codeVersionMemo: string | null = null;

/** A hash of every file in CODE_FILES: any edit there invalidates the cache. */
export function codeVersion(): string {
  if (codeVersionMemo !== null) return codeVersionMemo;
  const hash = createHash("sha256");
  const add = (rel: string) => {
    const full = join(root, rel);
    let entries: string[];
    try {
      entries = readdirSync(full, { recursive: true, encoding: "utf8" }).sort();
    } catch {
      hash.update(`${rel}\0`).update(readFileSync(full));
      return;
    }
    for (const e of entries) {
      if (!/\.(ts|json)$/.test(e)) continue;
      hash.update(`${rel}/${e}\0`).update(readFileSync(join(full, e)));
    }
  };
  for (const rel of CODE_FILES) add(rel);
  return (codeVersionMemo = hash.digest("hex"));
}

export interface CachedFile {
  /** SHA-256 of the file's bytes when `entry` was made. */
  readonly fileHash: string;
  /** The file's inode, size, mtime and ctime when it had `fileHash` (content-index.ts). */
  readonly stamp?: string;
  readonly entry: IndexEntry;
}

/** The file format's own version: bump it when IndexEntry changes shape. */
const FORMAT = 2;

function header(actors: readonly Actor[], version: string) {
  const countries = actors.filter((a) => a.kind === "country").map((a) => [a.name, a.aliases]);
  return { format: FORMAT, code: version, countries: JSON.stringify(countries) };
}

/** The cached files by path, or null when there is no usable cache. */
export async function readIndexCache(
  file: string,
  actors: readonly Actor[],
  version = codeVersion(),
): Promise<{ files: Map<string, CachedFile> } | null> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch {
    return null;
  }
  const want = header(actors, version);
  const d = data as { header?: Record<string, unknown>; files?: unknown };
  if (
    typeof d !== "object" ||
    d === null ||
    d.header?.format !== want.format ||
    d.header.code !== want.code ||
    d.header.countries !== want.countries ||
    !Array.isArray(d.files)
  ) {
    return null;
  }
  const files = new Map<string, CachedFile>();
  for (const f of d.files as unknown[]) {
    if (wellFormed(f)) files.set(f.entry.path, f);
  }
  return { files };
}

/** Writes the cache whole, to a temporary file renamed over the old one: never half written. */
export async function writeIndexCache(
  file: string,
  actors: readonly Actor[],
  files: readonly CachedFile[],
  version = codeVersion(),
): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, JSON.stringify({ header: header(actors, version), files }));
    await rename(tmp, file);
  } catch {
    // A cache that cannot be written costs the next run time, nothing else.
    await rm(tmp, { force: true });
  }
}

const isString = (v: unknown): v is string => typeof v === "string";
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function wellFormed(f: unknown): f is CachedFile {
  const c = f as { fileHash?: unknown; stamp?: unknown; entry?: Record<string, unknown> } | null;
  const e = c?.entry;
  return (
    typeof c === "object" &&
    c !== null &&
    isString(c.fileHash) &&
    (c.stamp === undefined || isString(c.stamp)) &&
    typeof e === "object" &&
    e !== null &&
    [e.path, e.slug, e.id, e.hash, e.published].every(isString) &&
    [e.idLine, e.storyLine, e.bytes].every(isNumber) &&
    (e.updated === null || isString(e.updated)) &&
    (e.story === null || isString(e.story)) &&
    Array.isArray(e.tags) &&
    e.tags.every(isString) &&
    Array.isArray(e.claims) &&
    Array.isArray(e.claimLines) &&
    Array.isArray(e.warnings) &&
    e.warnings.every(isString)
  );
}
