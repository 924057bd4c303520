/**
 * `npm run publish` with its content index (scripts/publish/content-index.ts): a file is parsed
 * again only when its bytes changed, while the diff against D1 (new, changed, deleted) and the
 * checks across files (duplicate ids) stay exactly right. Each test makes its content folder,
 * local state and cache fresh in a temporary directory.
 *
 * What broke before: every publish re-read, re-checked and re-rendered every file (34 s for one
 * changed article at 100,000), so the report could not say "1 file parsed, 2 from the cache".
 */
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { indexContent } from "../../scripts/publish/content-index.ts";
import { indexCacheFile } from "../../scripts/publish/index-cache.ts";
import { openLocalD1 } from "../../scripts/lib/wrangler-d1.ts";

const ROOT = join(import.meta.dirname, "../..");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ID = (n: number) => `urn:uuid:0a000000-0000-4000-8000-00000000000${n}`;

function article(n: number, body = `Russia sent ${n},500 troops to North Korea.`): string {
  return [
    "---",
    `id: "${ID(n)}"`,
    `title: "Troops, part ${n}"`,
    `date: "2024-10-2${n}T09:30:00+09:00"`,
    'source: "Test Wire"',
    "tags: [russia]",
    `summary: "Russia sent troops, part ${n}."`,
    "---",
    "",
    body,
    "",
  ].join("\n");
}

/** A content folder with articles a, b and c, its local state and cache folders. */
function site(): { content: string; state: string; cache: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "publish-cache-"));
  dirs.push(dir);
  const content = join(dir, "content");
  mkdirSync(content);
  writeFileSync(
    join(content, "actors.yaml"),
    "actors:\n  - id: russia\n    name: Russia\n    kind: country\n    side: axis\n    aliases: [Russia]\n",
  );
  ["a", "b", "c"].forEach((slug, i) => writeFileSync(join(content, `${slug}.md`), article(i + 1)));
  return { content, state: join(dir, "state"), cache: join(dir, "cache"), dir };
}

function publish(s: { content: string; state: string; cache: string }, ...extra: string[]) {
  const result = spawnSync(
    process.execPath,
    [
      "scripts/publish.ts",
      "--content",
      s.content,
      "--persist-to",
      s.state,
      "--cache-dir",
      s.cache,
      "--quiet",
      ...extra,
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
  );
  const lines = `${result.stdout}${result.stderr}`.split("\n").filter((l) => l.trim() !== "");
  return { ...result, lines };
}

/** The slugs readers see, and their HTML, through the D1 binding publish wrote with. */
async function liveArticles(state: string): Promise<Map<string, string>> {
  const d1 = await openLocalD1(state);
  try {
    const rows = await d1.exec.query<{ slug: string; html: string }>(
      "SELECT a.slug AS slug, a.html AS html FROM articles a, content_state s WHERE a.from_version <= s.version AND (a.to_version IS NULL OR a.to_version > s.version) ORDER BY a.slug",
    );
    return new Map(rows.map((r) => [r.slug, r.html]));
  } finally {
    await d1.close();
  }
}

describe("npm run publish with its content index", () => {
  // Child processes that load wrangler and workerd: seconds each, more on a busy machine.
  it(
    "parses only the changed file, and still publishes the change and the deletion exactly",
    { timeout: 600_000 },
    async () => {
      const s = site();
      const first = publish(s);
      expect(first.status, first.lines.join("\n")).toBe(0);
      expect(first.stdout).toContain(
        "3 new, 0 changed, 0 deleted (3 articles, 3 files parsed, 0 from the cache;",
      );

      writeFileSync(join(s.content, "b.md"), article(2, "Russia sent 2,500 troops, then more."));
      const edited = publish(s);
      expect(edited.status, edited.lines.join("\n")).toBe(0);
      // b parsed again; a and c known from the cache, and not written (the diff says 1 changed).
      expect(edited.stdout).toContain(
        "0 new, 1 changed, 0 deleted (3 articles, 1 file parsed, 2 from the cache;",
      );

      rmSync(join(s.content, "c.md"));
      const deleted = publish(s, "--allow-delete");
      expect(deleted.status, deleted.lines.join("\n")).toBe(0);
      expect(deleted.stdout).toContain(
        "0 new, 0 changed, 1 deleted (2 articles, 0 files parsed, 2 from the cache;",
      );

      const again = publish(s);
      expect(again.status, again.lines.join("\n")).toBe(0);
      expect(again.lines).toEqual([
        "nothing to publish: local D1 already has this content (version 3, 2 articles; 0 files parsed, 2 from the cache)",
      ]);

      const live = await liveArticles(s.state);
      expect([...live.keys()]).toEqual(["a", "b"]);
      expect(live.get("b")).toContain("then more");
    },
  );

  it(
    "parses everything again when the cache is corrupt, and publishes nothing new",
    { timeout: 600_000 },
    () => {
      const s = site();
      expect(publish(s).status).toBe(0);
      for (const f of readdirSync(s.cache)) writeFileSync(join(s.cache, f), '{"header": {"form');
      const again = publish(s);
      expect(again.status, again.lines.join("\n")).toBe(0);
      expect(again.lines).toEqual([
        "nothing to publish: local D1 already has this content (version 1, 3 articles; 3 files parsed, 0 from the cache)",
      ]);
    },
  );

  it(
    "refuses an id that a changed file shares with a cached one, naming both as file:line",
    { timeout: 600_000 },
    () => {
      const s = site();
      expect(publish(s).status).toBe(0);
      // c takes a's id; a comes from the cache, c is parsed again.
      writeFileSync(join(s.content, "c.md"), article(3).replace(ID(3), ID(1)));
      const refused = publish(s);
      expect(refused.status).toBe(1);
      const a = join(s.content, "a.md");
      const c = join(s.content, "c.md");
      const problem = refused.lines.find((l) => l.includes("duplicate id"));
      expect(problem).toBeDefined();
      // Paths as publish prints them (relative to where it runs): compare what they resolve to.
      const where = problem!.slice(0, problem!.indexOf(": "));
      const other = /already used by (\S+):/.exec(problem!)?.[1];
      expect(join(ROOT, where)).toBe(`${c}:2`);
      expect(other && join(ROOT, other)).toBe(`${a}:2`);
      expect(refused.stderr).toContain("nothing was written");
    },
  );
});

describe("the content index", () => {
  it("parses every file again when the code that parses them changes", async () => {
    const s = site();
    const cacheFile = indexCacheFile(s.cache, s.content);
    const first = await indexContent(s.content, { cacheFile, codeVersion: "parse v1" });
    expect([first.parsed.length, first.cached]).toEqual([3, 0]);
    const same = await indexContent(s.content, { cacheFile, codeVersion: "parse v1" });
    expect([same.parsed.length, same.cached]).toEqual([0, 3]);
    const newer = await indexContent(s.content, { cacheFile, codeVersion: "parse v2" });
    expect([newer.parsed.length, newer.cached]).toEqual([3, 0]);
    // What the index holds is what a full parse makes: the same entries either way.
    expect(same.entries).toEqual(first.entries);
    expect(newer.entries).toEqual(first.entries);
  });

  it("notices an edit that keeps the file's size and puts its mtime back", async () => {
    const s = site();
    const cacheFile = indexCacheFile(s.cache, s.content);
    // Stamps trusted at once (not 2 s after the last change), so the next run may skip reading.
    const options = { cacheFile, settledMs: -1 };
    // A whole second, which utimes can put back exactly.
    const b = join(s.content, "b.md");
    const mtime = new Date("2024-11-01T00:00:00Z");
    utimesSync(b, mtime, mtime);
    await indexContent(s.content, options);
    const unread = await indexContent(s.content, options);
    expect([unread.parsed.length, unread.cached]).toEqual([0, 3]);

    const edited = article(2).replace("2,500 troops", "9,500 troops");
    expect(edited.length).toBe(article(2).length);
    writeFileSync(b, edited);
    utimesSync(b, mtime, mtime);
    expect(statSync(b).mtimeMs).toBe(mtime.getTime());
    const again = await indexContent(s.content, options);
    expect(again.parsed).toEqual([expect.stringMatching(/b\.md$/)]);
    const [loaded] = await again.load(["b"]);
    expect(loaded!.article.html).toContain("9,500 troops");
  });
});
