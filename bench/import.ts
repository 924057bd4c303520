/**
 * `npm run bench:import`: the subscriber import at scale, as the operator runs it.
 *
 *   node_modules/.bin/node bench/import.ts [--rows 100000] [--keep]
 *
 * In its own local D1 (bench/.work/import-state/, wiped at start, removed at the end unless
 * --keep; never .wrangler/state), three runs of `npm run subscribers:import`:
 *  1. the baseline: 1,000 rows (start-up, migrations and the rest that does not grow with rows),
 *     without topics; then a published version with the tags the big list's topics name;
 *  2. N rows (default 100,000), 5% of them bad (invalid addresses, repeats, bad dates), with
 *     quoted names holding commas, quotes and line breaks, CRLF line ends and a BOM, and
 *     every good row with two topics (applied and recorded as the import's);
 *  3. the same N rows again, which must add nothing and change no row.
 * Reports each run's import seconds (the CLI's own measure, without applying migrations and
 * starting local D1) and the whole command's, with ratios to the baseline; exit 1 when the big
 * import takes a minute or more, its counts are wrong, or the second run changed anything.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openLocalD1, root } from "../scripts/lib/wrangler-d1.ts";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "100000" }, keep: { type: "boolean" } },
});
const rows = Number(values.rows);
const work = join(root, "bench", ".work");
const state = join(work, "import-state");
rmSync(state, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

/** `n` rows, every 20th bad in one of three ways; addresses under `domain`. */
function listCsv(n: number, domain: string, topics: string): { text: string; good: number } {
  const lines = ["email,name,subscribed_at,topics"];
  let good = 0;
  for (let i = 0; i < n; i++) {
    const bad = i % 20 === 19;
    const kind = Math.floor(i / 20) % 3;
    if (bad && kind === 0) lines.push(`not-an-address-${i},Reader ${i},,`);
    else if (bad && kind === 1) lines.push(`reader${i - 1}@${domain},"Repeat, of ${i - 1}",,`);
    else if (bad) lines.push(`reader${i}@${domain},Reader ${i},2024-02-30,`);
    else {
      good++;
      const name = i % 7 === 0 ? `"Reader ""${i}"",\r\nsecond line"` : `"Reader, ${i}"`;
      lines.push(`reader${i}@${domain},${name},2024-01-0${(i % 9) + 1},${topics}`);
    }
  }
  return { text: `\uFEFF${lines.join("\r\n")}\r\n`, good };
}

/** The run's seconds: the import itself (the CLI's own measure) and the whole command. */
function runImport(file: string): { seconds: number; total: number; output: string } {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      join(root, "scripts/subscribers-import.ts"),
      file,
      "--persist-to",
      state,
      "--consented",
      "bench",
    ],
    { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  const total = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    console.error(result.stdout.slice(-2000), result.stderr.slice(-2000));
    throw new Error(`import of ${file} exited ${result.status}`);
  }
  const seconds = Number(/imported in ([\d.]+) s/.exec(result.stdout)?.[1]);
  return { seconds, total, output: result.stdout };
}

async function tableCounts(): Promise<string> {
  const local = await openLocalD1(state);
  try {
    const [row] = await local.exec.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM subscribers) AS subscribers, (SELECT count(*) FROM consents) AS consents,
              (SELECT count(*) FROM subscriber_import_rows) AS importRows,
              (SELECT count(*) FROM subscriber_imports) AS imports,
              (SELECT count(*) FROM preference_changes WHERE source = 'import') AS importedTopics,
              (SELECT max(updated_at) FROM subscribers) AS lastUpdate`,
    );
    return JSON.stringify(row);
  } finally {
    await local.close();
  }
}

/**
 * A published version whose tags are the big list's topics: the import accepts only the content's
 * tags and stories. Its meta alone (src/content/meta.ts), which is all the import reads.
 */
async function publishTags(tags: readonly string[]): Promise<void> {
  const local = await openLocalD1(state);
  try {
    const meta = { tags: tags.map((tag) => ({ tag, count: 1 })), stories: [] };
    await local.exec.execute([
      {
        sql: "INSERT INTO content_versions (version, token, created_at, meta) VALUES (1, 'bench', ?, ?)",
        params: [new Date().toISOString(), JSON.stringify(meta)],
      },
      { sql: "UPDATE content_state SET version = 1 WHERE id = 1", params: [] },
    ]);
  } finally {
    await local.close();
  }
}

const problems: string[] = [];
const small = listCsv(1000, "baseline.example.org", "");
const big = listCsv(rows, "big.example.org", "china;russia");
const smallFile = join(work, "import-baseline.csv");
const bigFile = join(work, "import-big.csv");
writeFileSync(smallFile, small.text);
writeFileSync(bigFile, big.text);

const baseline = runImport(smallFile);
await publishTags(["china", "russia"]);
const first = runImport(bigFile);
const afterFirst = await tableCounts();
const second = runImport(bigFile);
const afterSecond = await tableCounts();

const added = /(\d+) new subscribers? added/.exec(first.output)?.[1];
if (Number(added) !== big.good) problems.push(`first run added ${added}, expected ${big.good}`);
if (!/\b0 new subscribers added/.test(second.output))
  problems.push(`second run added someone: ${/.*new subscriber.*/.exec(second.output)?.[0]}`);
const withTopics = /Topics: (\d+) new subscribers? given/.exec(first.output)?.[1];
if (Number(withTopics) !== big.good)
  problems.push(`first run gave topics to ${withTopics}, expected ${big.good}`);
if (!afterFirst.includes(`"importedTopics":${big.good}`))
  problems.push(`first run recorded topics other than ${big.good} times: ${afterFirst}`);
if (afterFirst !== afterSecond)
  problems.push(`second run changed the tables: ${afterFirst} → ${afterSecond}`);
if (first.seconds >= 60) problems.push(`${rows} rows took ${first.seconds.toFixed(1)} s (≥ 60 s)`);

const line = (label: string, r: ReturnType<typeof runImport>) =>
  console.log(
    `  ${label.padEnd(22)} import ${r.seconds.toFixed(1).padStart(5)} s (${(r.seconds / baseline.seconds).toFixed(1)}× the baseline), whole command ${r.total.toFixed(1)} s`,
  );
console.log(`import bench (${rows} rows, 5% bad; import time without migrations and start-up):`);
line("baseline, 1,000 rows", baseline);
line(`${rows} rows`, first);
line("the same again", second);
console.log(`  tables unchanged by the second run: ${afterFirst === afterSecond}`);
if (!values.keep) rmSync(state, { recursive: true, force: true });
for (const p of problems) console.error(`FAIL: ${p}`);
process.exitCode = problems.length > 0 ? 1 : 0;
