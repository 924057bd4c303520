/**
 * The import graph of src/, checked: imports run one way, down the layers below, and no two
 * folders import each other. `npm run lint` runs it.
 *
 *   routes → features → lib
 *
 * The language tools of the publish-time analysis (wink-nlp, chrono-node) may not be imported
 * from src/ at all. Nothing outside src/ may be imported, except the article schema's types
 * (`import type` only).
 *
 * Prints every import that breaks a rule as `file: imports target: why`, and exits 1 if any.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = join(import.meta.dirname, "..");
const src = join(root, "src");
const ARTICLE_SCHEMA = join(root, "scripts/content/article-schema.ts");

/**
 * Each module's layer, by folder (or root file); lower numbers sit lower. A module may import
 * from its own folder, and from folders of a lower layer only. Features share a band: within
 * it, the order says which may use which (the digest builds on content and feeds; delivery
 * sends digests to subscriptions; site renders all of them).
 */
const LAYERS: readonly (readonly [string, number])[] = [
  ["lib", 0],
  ["model", 0],
  ["generated", 1],
  ["config.ts", 2],
  ["env.d.ts", 2],
  ["content", 3],
  ["feeds", 4],
  ["mail", 4],
  ["websub", 4],
  ["digest/summary", 5],
  ["digest/email", 6],
  ["digest", 7],
  ["subscriptions", 8],
  ["delivery", 9],
  ["site", 10],
  ["http", 11],
  ["routes", 12],
  ["app.ts", 13],
  ["index.ts", 14],
];

function moduleGroup(file: string): string {
  const rel = relative(src, file).split("\\").join("/");
  const parts = rel.split("/");
  if (parts.length === 1) return rel;
  if (parts[0] === "digest" && parts.length > 2) return `digest/${parts[1]}`;
  return parts[0]!;
}

function layerOf(group: string): number {
  const layer = LAYERS.find(([name]) => name === group);
  if (!layer)
    throw new Error(`scripts/check-imports.ts: src/${group} has no layer: add it to LAYERS`);
  return layer[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)/g;

/**
 * Language tools run at publish time in Node (scripts/analysis/); the Worker reads what they
 * stored. Bundled, they would grow the Worker past its budget and spend its CPU.
 */
const NODE_ONLY_PACKAGES =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*"((?:wink-[^"]*|chrono-node)(?:\/[^"]*)?)"/g;

const problems: string[] = [];
const edges = new Map<string, Set<string>>();
for (const file of sourceFiles(src)) {
  const from = moduleGroup(file);
  for (const m of readFileSync(file, "utf8").matchAll(NODE_ONLY_PACKAGES)) {
    problems.push(
      `${relative(root, file)}: imports ${m[1]}: a publish-time language tool, Node only (scripts/analysis/); the Worker reads the stored analysis`,
    );
  }
  for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
    const target = resolve(dirname(file), m[1] ?? m[2]!);
    const to = moduleGroup(target);
    const where = relative(root, file);
    if (!target.startsWith(src)) {
      // The article schema's types are the model's (src/model/article.ts); a type-only import
      // is erased at build, so zod and the validator never reach the Worker's bundle.
      if (target === ARTICLE_SCHEMA && /^\s*import type\s/.test(m[0])) continue;
      problems.push(
        `${where}: imports ${relative(root, target)}: src/ must not import outside src/`,
      );
      continue;
    }
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
    if (layerOf(to) >= layerOf(from)) {
      problems.push(
        `${where}: imports src/${relative(src, target)}: ${to} (layer ${layerOf(to)}) is not below ${from} (layer ${layerOf(from)})`,
      );
    }
  }
}
for (const [a, targets] of edges) {
  for (const b of targets) {
    if (a < b && edges.get(b)?.has(a)) problems.push(`src/${a} and src/${b} import each other`);
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`import check: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
  process.exit(1);
}
const arrows = [...edges.values()].reduce((n, s) => n + s.size, 0);
console.log(
  `import check: ${edges.size} folders, ${arrows} folder-to-folder arrows, all pointing down`,
);
