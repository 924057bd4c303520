/**
 * content/ as `npm run publish` reads it: every file checked exactly as the build checks it
 * (scripts/build-content.ts, the same `file:line` errors), but read in full only when it changed.
 *
 * Each valid file leaves a small entry in a local cache (index-cache.ts), keyed by its path and
 * the SHA-256 of its bytes (a file whose inode, size, mtime and ctime are those it had when it
 * was hashed, at least 2 s after its last change, is not even read again, as git does): id, slug, tags, dates, story, claims, the hash of the article as
 * stored in D1, its pasted-page warnings. A file whose bytes match its entry is not parsed,
 * rendered or analysed again; the checks across files (duplicate ids and slugs, stories, rival
 * claims) run over the entries. Publish then reads in full only the articles the database lacks
 * or has another hash of (`load`). A missing, corrupt or outdated cache costs time, never
 * correctness: every file is parsed again and the cache rewritten.
 */
import { readFile, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { availableParallelism } from "node:os";
import { relative } from "node:path";
import type { Actor } from "../../src/model/actor.ts";
import type { Story } from "../../src/model/article.ts";
import { listMarkdown, readActors, readStories, unknownStories } from "../build-content.ts";
import { type ContentError, formatError, withoutDuplicates } from "../content/parse.ts";
import { checkRivalClaims } from "../content/rival-claims.ts";
import { type CachedFile, readIndexCache, writeIndexCache } from "./index-cache.ts";
import {
  type IndexEntry,
  type LoadedArticle,
  type PastedPageLines,
  type ParseResult,
  parseOne,
  sha256,
} from "./parse-one.ts";
import { type ParsePool, parsePool } from "./parse-pool.ts";
import { PublishError } from "./publish.ts";

export type { IndexEntry, LoadedArticle } from "./parse-one.ts";

const READ_CONCURRENCY = 128;

/**
 * Files parsed in this thread before the rest go to worker threads (parse-pool.ts): a worker
 * and its language model take about a second to start, the parse of one file milliseconds, so
 * an edit of a few articles never starts one; a full publish spreads over every core.
 */
const PARSE_HERE = 64;

export interface ContentIndex {
  /** One per valid article, in path order; empty when there are errors. */
  readonly entries: readonly IndexEntry[];
  readonly stories: Story[];
  readonly actors: Actor[];
  /** `file:line: what is wrong: what is expected`, as the build prints them. */
  readonly errors: string[];
  /** Files read, parsed and rendered in this run (new, changed, or not in the cache). */
  readonly parsed: readonly string[];
  /** Files whose entry came from the cache. */
  readonly cached: number;
  /** The full articles of `slugs` (new, changed) and their Markdown bodies for the analysis. */
  load(slugs: readonly string[]): Promise<LoadedArticle[]>;
}

export interface IndexOptions {
  readonly now?: Date;
  /** The cache file; null: no cache (everything parsed, nothing written). */
  readonly cacheFile: string | null;
  /** Overrides the version of the parse and analysis code (tests). */
  readonly codeVersion?: string;
  /**
   * Called once, when the first file is to be parsed (so something changed): publish starts
   * the local D1 then, while the rest is read, rather than after.
   */
  readonly onParse?: () => void;
  /** Worker threads for a full parse (default: one per core; below 2, none). */
  readonly workers?: number;
  /** Overrides STAMP_SETTLED_MS (tests). */
  readonly settledMs?: number;
}

/** A file's inode, size, modification and change times, as one comparable string. */
function stamp(s: Stats): string {
  return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
}

/**
 * How long after its last change a file's stamp is trusted to say its bytes did not change:
 * file times have a coarse tick, so a file written twice within one tick (the second time
 * after it was hashed) could keep its stamp. Older than this, a change would move ctime, which
 * no one sets by hand (unlike mtime).
 */
const STAMP_SETTLED_MS = 2000;

function trustedStamp(stamp: string, settledMs: number): string | null {
  const ctimeMs = Number(stamp.slice(stamp.lastIndexOf(":") + 1));
  return Date.now() - ctimeMs > settledMs ? stamp : null;
}

/** Reads, checks and indexes `contentDir`, parsing only files the cache does not know as they are. */
export async function indexContent(
  contentDir: string,
  options: IndexOptions,
): Promise<ContentIndex> {
  const now = options.now ?? new Date();
  const errors: ContentError[] = [];
  const actors = await readActors(contentDir, errors);
  const stories = await readStories(contentDir, errors);
  const paths = await listMarkdown(contentDir);
  const cache = options.cacheFile
    ? await readIndexCache(options.cacheFile, actors, options.codeVersion)
    : null;

  const analysis = lazyAnalysis();
  let pool: ParsePool | null = null;
  const parseFile = async (path: string, text: string): Promise<ParseResult> => {
    if (parsed.length <= PARSE_HERE || (options.workers ?? availableParallelism()) < 2) {
      return parseOne(path, text, now, actors, await analysis());
    }
    pool ??= parsePool(now, actors, options.workers);
    return pool.parse(path, text);
  };
  const fresh = new Map<string, LoadedArticle>();
  const parsed: string[] = [];
  const files: (CachedFile | null)[] = new Array<CachedFile | null>(paths.length).fill(null);
  // Per file, in path order: which worker finished first never reorders the messages.
  const fileErrors: ContentError[][] = [];
  let cached = 0;
  let restamped = 0;
  // A bounded number of reads at a time: 100,000 files at once exhaust the open-file limit.
  try {
    for (let i = 0; i < paths.length; i += READ_CONCURRENCY) {
      await Promise.all(
        paths.slice(i, i + READ_CONCURRENCY).map(async (full, j) => {
          const path = relative(process.cwd(), full) || full;
          const known = cache?.files.get(path);
          const seen = stamp(await stat(full));
          // Not even read: its inode, size and times are those it had when it was hashed.
          if (known?.stamp !== undefined && known.stamp === seen) {
            files[i + j] = known;
            cached++;
            return;
          }
          const text = await readFile(full, "utf8");
          const fileHash = sha256(text);
          const trusted = trustedStamp(seen, options.settledMs ?? STAMP_SETTLED_MS);
          if (known !== undefined && known.fileHash === fileHash) {
            files[i + j] = { ...known, ...(trusted === null ? {} : { stamp: trusted }) };
            if (trusted !== known.stamp) restamped++;
            cached++;
            return;
          }
          if (parsed.length === 0) options.onParse?.();
          parsed.push(path);
          const result = await parseFile(path, text);
          if (!result.ok) {
            fileErrors[i + j] = result.errors;
            return;
          }
          const { entry, loaded } = result;
          fresh.set(entry.slug, loaded);
          files[i + j] = { fileHash, entry, ...(trusted === null ? {} : { stamp: trusted }) };
        }),
      );
    }
  } finally {
    // Workers keep the process alive until closed. (Set inside the callbacks above, which
    // TypeScript's narrowing does not see.)
    await (pool as ParsePool | null)?.close();
  }
  for (const e of fileErrors) if (e !== undefined) errors.push(...e);
  const valid = files.filter((f): f is CachedFile => f !== null);
  const stale = parsed.length > 0 || restamped > 0 || cache?.files.size !== valid.length;
  if (options.cacheFile !== null && stale) {
    await writeIndexCache(options.cacheFile, actors, valid, options.codeVersion);
  }
  // Sorted by path, as the build sorts them: the second of two files with one id is the one named.
  const sorted = valid
    .map((f) => f.entry)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const { articles: entries, errors: duplicates } = withoutDuplicates(sorted);
  errors.push(...duplicates, ...checkRivalClaims(entries), ...unknownStories(entries, stories));
  parsed.sort();

  const bySlug = new Map(entries.map((e) => [e.slug, e] as const));
  return {
    entries: errors.length > 0 ? [] : entries,
    stories,
    actors,
    errors: errors.map(formatError),
    parsed,
    cached,
    async load(slugs) {
      return Promise.all(
        slugs.map(async (slug) => {
          const known = fresh.get(slug);
          if (known !== undefined) return known;
          const entry = bySlug.get(slug);
          if (entry === undefined) throw new Error(`${slug}: not in the content index`);
          const result = parseOne(
            entry.path,
            await readFile(entry.path, "utf8"),
            now,
            actors,
            null,
          );
          // Never written under the hash (and checks) of another text: refused, run again.
          if (!result.ok || result.entry.hash !== entry.hash) {
            throw new PublishError([
              `${entry.path}: changed while publish ran: nothing was changed; run npm run publish again`,
            ]);
          }
          return result.loaded;
        }),
      );
    },
  };
}

/**
 * The pasted-page check, imported on first use: it loads a language model, which an unchanged
 * publish (every `npm start`) never needs.
 */
function lazyAnalysis(): () => Promise<PastedPageLines> {
  let loaded: Promise<PastedPageLines> | null = null;
  return () =>
    (loaded ??= import("../analysis/publish-analyzer.ts").then((m) => m.pastedPageLines));
}
