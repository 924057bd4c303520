/**
 * A full publish parses and analyses in worker threads (scripts/publish/parse-pool.ts): the
 * content index it makes must be the one a single thread makes, byte for byte, with the errors
 * in path order whichever worker finished first, and each article's analysis the one
 * publish would have made itself. Fixtures are made fresh in a temporary directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { analyzeLoaded } from "../../scripts/analysis/publish-analyzer.ts";
import { indexContent } from "../../scripts/publish/content-index.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** More files than are parsed before workers start (PARSE_HERE, 64). */
const FILES = 90;
/** Files with an error: past the first 64, so a worker reports them. */
const BROKEN = new Set([70, 71, 80, 89]);

function article(n: number): string {
  const id = `urn:uuid:0b000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return [
    "---",
    `id: "${id}"`,
    // A broken file has no title: an error naming the file.
    ...(BROKEN.has(n) ? [] : [`title: "Troops, part ${n}"`]),
    `date: "2024-10-${String((n % 28) + 1).padStart(2, "0")}T09:30:00+09:00"`,
    'source: "Test Wire"',
    "tags: [russia]",
    `summary: "Russia sent troops, part ${n}."`,
    "---",
    "",
    `Russia sent ${n},500 troops to North Korea on Tuesday. Moscow said the move was routine.`,
    "",
  ].join("\n");
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "publish-parallel-"));
  dirs.push(dir);
  const content = join(dir, "content");
  mkdirSync(content);
  writeFileSync(
    join(content, "actors.yaml"),
    "actors:\n  - id: russia\n    name: Russia\n    kind: country\n    side: axis\n    aliases: [Russia]\n",
  );
  for (let n = 0; n < FILES; n++)
    writeFileSync(join(content, `a-${String(n).padStart(3, "0")}.md`), article(n));
  return content;
}

it("indexes in worker threads exactly as in one thread: errors in path order", async () => {
  const content = folder();
  const now = new Date("2025-01-01T00:00:00Z");
  const one = await indexContent(content, { cacheFile: null, now, workers: 1 });
  const two = await indexContent(content, { cacheFile: null, now, workers: 2 });
  expect(one.errors).toHaveLength(BROKEN.size);
  // Each error names its file; sorted by file, as one thread reports them.
  const files = one.errors.map((e) => /a-(\d{3})\.md/.exec(e)?.[1]);
  expect(files).toEqual([...BROKEN].map((n) => String(n).padStart(3, "0")));
  expect(two.errors).toEqual(one.errors);
  expect(two.parsed).toEqual(one.parsed);
});

it("keeps each worker's analysis, the one this thread would have made", async () => {
  const content = folder();
  for (const n of BROKEN) rmSync(join(content, `a-${String(n).padStart(3, "0")}.md`));
  const now = new Date("2025-01-01T00:00:00Z");
  const one = await indexContent(content, { cacheFile: null, now, workers: 1 });
  const two = await indexContent(content, { cacheFile: null, now, workers: 2 });
  expect(two.errors).toEqual([]);
  expect(JSON.stringify(two.entries)).toBe(JSON.stringify(one.entries));
  const slugs = two.entries.map((e) => e.slug);
  const fromWorkers = await two.load(slugs);
  const here = await one.load(slugs);
  // Past the first files, the workers analysed: publish stores their analysis as it is.
  const analysed = fromWorkers.filter((l) => l.analysis !== undefined);
  expect(analysed.length).toBeGreaterThan(0);
  for (const l of analysed) {
    const mine = here.find((h) => h.article.slug === l.article.slug)!;
    expect(JSON.stringify(l.article)).toBe(JSON.stringify(mine.article));
    expect(l.analysis).toEqual(analyzeLoaded(mine.article, mine.body, one.actors));
  }
});
