/**
 * The import graph of src/, checked against the design's bands (docs/architecture.md):
 *
 *   shared ground → features → presentation → HTTP → routes → app
 *
 * A module may import its own folder and any folder of a lower tier. It may not import upward,
 * nor a sibling folder of its own tier, unless that exact file-to-file import is listed in
 * EXCEPTIONS with its reason; an exception no import uses any more is itself a problem, so the
 * list never outlives what it excuses. No two folders may import each other.
 *
 * Every form of import counts: `import … from`, `import type`, side-effect `import "x";`,
 * `export … from`, `export * from`, dynamic `import("x")` (whose argument must be a string, or
 * it cannot be checked) and `import("x").Type`. Nothing outside src/ may be imported, but the
 * article schema's types (OUTSIDE_TYPES, `import type` only). Files are parsed with TypeScript, so imports in
 * comments and strings are not imports. The publish-time language tools (wink-nlp, chrono-node)
 * may not be imported from src/ at all.
 *
 * Prints every import that breaks a rule as `file:line: imports target: [rule] why`, and exits 1
 * if any. `npm run lint` runs it; test/node/check-imports.test.ts plants breaking imports.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative } from "node:path";
import ts from "typescript";

/** One tier of a band: its folders (or root files) of src/, and what they are. */
interface Tier {
  readonly band: string;
  readonly tier: string;
  readonly members: readonly string[];
  /** When set, the only bands it may import from (its own folder aside), however low it sits. */
  readonly reach?: readonly string[];
}

/** Lowest first. The comments say what each tier is; docs/architecture.md says why. */
export const TIERS: readonly Tier[] = [
  // Pure helpers, the data model and build output: everything stands on them.
  { band: "shared ground", tier: "helpers", members: ["lib", "model", "generated"] },
  // The deployment's settings, parsed from the Worker's Env with lib's helpers.
  { band: "shared ground", tier: "config", members: ["config.ts", "env.d.ts"] },
  // What features stand on: the published articles (D1) and the ways mail leaves.
  { band: "features", tier: "services", members: ["content", "mail"] },
  // Independent features: none imports another (the exceptions below aside).
  { band: "features", tier: "features", members: ["feeds", "websub", "digest", "subscriptions"] },
  // What happens once a digest is built: sending it to subscribers, telling WebSub hubs.
  { band: "features", tier: "flows", members: ["delivery"] },
  // Pages: pure functions of typed data to HTML.
  { band: "presentation", tier: "pages", members: ["site"] },
  // Middleware and HTTP helpers: agnostic of features and pages, so they reach shared ground only.
  { band: "HTTP", tier: "http", members: ["http"], reach: ["shared ground"] },
  // Handlers: parse the request, call a feature, render its result.
  { band: "routes", tier: "routes", members: ["routes"] },
  // The Hono app, then the Worker's entry points (fetch, cron, queue, email).
  { band: "app", tier: "app", members: ["app.ts"] },
  { band: "app", tier: "worker", members: ["index.ts"] },
];

/** An import the bands would refuse, allowed file to file, with its reason. */
export interface LayerException {
  /** The importing file, from the repository's root (`src/…`). */
  readonly from: string;
  /** The imported file. */
  readonly to: string;
  readonly why: string;
}

export const EXCEPTIONS: readonly LayerException[] = [
  {
    from: "src/digest/feed.ts",
    to: "src/feeds/model.ts",
    why: "the digest feed is a feed: digest/ builds a FeedDocument, the type every feed is rendered from (types only)",
  },
];

/**
 * Types src/ may read from outside it, `import type` only (erased at build, so nothing outside
 * src/ is bundled): the article's fields are declared once, by the publish-time schema that
 * validates them, and the model takes its types from there.
 */
export const OUTSIDE_TYPES: readonly LayerException[] = [
  {
    from: "src/model/article.ts",
    to: "scripts/content/article-schema.ts",
    why: "one article schema (scripts/content/article-schema.ts): the Article type is derived from it",
  },
];

/**
 * Folders with an order inside them: a sub-folder may import the ones before it, never after.
 * The digest's summary is data; its email renders a summary; digest/ builds both.
 */
const INNER_ORDER: Readonly<Record<string, readonly string[]>> = {
  digest: ["digest/summary", "digest/email", "digest"],
};

/**
 * Language tools run at publish time in Node (scripts/analysis/); the Worker reads what they
 * stored. Bundled, they would grow the Worker past its budget and spend its CPU.
 */
const NODE_ONLY_PACKAGE = /^(?:wink-[^/]*|chrono-node)(?:\/.*)?$/;

export type ImportKind = "import" | "type-only" | "side-effect" | "re-export" | "dynamic";

export type Rule =
  | "upward"
  | "sibling"
  | "reach"
  | "inner-order"
  | "cycle"
  | "outside-src"
  | "node-only-package"
  | "unchecked-dynamic"
  | "no-band"
  | "stale-exception";

export interface ImportProblem {
  /** `src/…`, or scripts/check-imports.ts for a stale exception. */
  readonly file: string;
  readonly line: number;
  readonly rule: Rule;
  /** The whole line printed: `file:line: imports target: [rule] why`. */
  readonly message: string;
}

interface FoundImport {
  readonly specifier: string | null;
  readonly kind: ImportKind;
  readonly line: number;
}

/** Every import of `source`, each with its kind and 1-based line. */
export function importsOf(fileName: string, source: string): FoundImport[] {
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  const found: FoundImport[] = [];
  const lineOf = (node: ts.Node) =>
    file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const text = (node: ts.Node | undefined) =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
      ? node.text
      : null;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          // `import { type A, type B }`: nothing of it is left at run time, but it still couples.
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      found.push({
        specifier: text(node.moduleSpecifier),
        kind: clause === undefined ? "side-effect" : typeOnly ? "type-only" : "import",
        line: lineOf(node),
      });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      found.push({
        specifier: text(node.moduleSpecifier),
        kind: node.isTypeOnly ? "type-only" : "re-export",
        line: lineOf(node),
      });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      found.push({
        specifier: text(node.moduleReference.expression),
        kind: node.isTypeOnly ? "type-only" : "import",
        line: lineOf(node),
      });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      found.push({ specifier: text(node.arguments[0]), kind: "dynamic", line: lineOf(node) });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      found.push({ specifier: text(node.argument.literal), kind: "type-only", line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** `src/digest/email/x.ts` → `digest/email`; `src/lib/x.ts` → `lib`; `src/app.ts` → `app.ts`. */
function groupOf(file: string): string {
  const parts = file.split("/").slice(1);
  if (parts.length === 1) return parts[0]!;
  if (INNER_ORDER[parts[0]!] && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

/** The top folder (or root file) of a group: what the tiers list. */
const topOf = (group: string) => group.split("/")[0]!;

function tierOf(group: string): number {
  return TIERS.findIndex((t) => t.members.includes(topOf(group)));
}

function tierName(index: number): string {
  const t = TIERS[index]!;
  return t.band.toLowerCase() === t.tier.toLowerCase() ? t.band : `${t.band} (${t.tier})`;
}

/**
 * Checks every import of `files` (path from the repository's root, `src/…`, to its text).
 * Pure: the command line below reads src/; tests pass a map with planted imports.
 */
export function checkImports(files: ReadonlyMap<string, string>): {
  problems: ImportProblem[];
  edges: Map<string, Set<string>>;
} {
  const problems: ImportProblem[] = [];
  const edges = new Map<string, Set<string>>();
  const used = new Set<LayerException>();
  const report = (file: string, line: number, target: string, rule: Rule, why: string) =>
    problems.push({
      file,
      line,
      rule,
      message: `${file}:${line}: imports ${target}: [${rule}] ${why}`,
    });

  for (const [file, source] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const from = groupOf(file);
    const fromTier = tierOf(from);
    if (fromTier < 0) {
      report(
        file,
        1,
        "-",
        "no-band",
        `src/${topOf(from)} is in no tier: add it to TIERS in scripts/check-imports.ts (and to docs/architecture.md)`,
      );
      continue;
    }
    for (const { specifier, kind, line } of importsOf(file, source)) {
      const how = kind === "import" ? "" : ` (${kind})`;
      if (specifier === null) {
        report(
          file,
          line,
          "an expression",
          "unchecked-dynamic",
          `import() of a computed name cannot be checked: expected a string literal`,
        );
        continue;
      }
      if (NODE_ONLY_PACKAGE.test(specifier)) {
        report(
          file,
          line,
          specifier + how,
          "node-only-package",
          "a publish-time language tool, Node only (scripts/analysis/); the Worker reads the stored analysis",
        );
        continue;
      }
      if (!specifier.startsWith(".")) continue; // a package or a runtime module (hono, cloudflare:email)
      const target = posix.normalize(posix.join(posix.dirname(file), specifier));
      if (!target.startsWith("src/")) {
        const typesOnly = OUTSIDE_TYPES.find((e) => e.from === file && e.to === target);
        if (typesOnly && kind === "type-only") {
          used.add(typesOnly);
          continue;
        }
        report(
          file,
          line,
          target + how,
          "outside-src",
          "src/ must not import outside src/ (the Worker bundles src/ only)",
        );
        continue;
      }
      const to = groupOf(target);
      if (to === from) continue;
      const exception = EXCEPTIONS.find((e) => e.from === file && e.to === target);
      if (exception) {
        used.add(exception);
        continue;
      }
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
      const toTier = tierOf(to);
      if (toTier < 0) {
        report(
          file,
          line,
          target + how,
          "no-band",
          `src/${topOf(to)} is in no tier: add it to TIERS in scripts/check-imports.ts`,
        );
      } else if (topOf(to) === topOf(from)) {
        const order = INNER_ORDER[topOf(from)]!;
        if (order.indexOf(to) > order.indexOf(from))
          report(
            file,
            line,
            target + how,
            "inner-order",
            `inside src/${topOf(from)}, ${order.join(" → ")}: src/${to} is not before src/${from}`,
          );
      } else if (toTier > fromTier) {
        report(
          file,
          line,
          target + how,
          "upward",
          `src/${topOf(to)} (${tierName(toTier)}) is above src/${topOf(from)} (${tierName(fromTier)}): imports go down the bands only`,
        );
      } else if (TIERS[fromTier]!.reach && !TIERS[fromTier]!.reach!.includes(TIERS[toTier]!.band)) {
        report(
          file,
          line,
          target + how,
          "reach",
          `src/${topOf(from)} (${tierName(fromTier)}) may import from ${TIERS[fromTier]!.reach!.join(", ")} only, and src/${topOf(to)} is in ${tierName(toTier)}`,
        );
      } else if (toTier === fromTier) {
        report(
          file,
          line,
          target + how,
          "sibling",
          `src/${topOf(to)} and src/${topOf(from)} are siblings in ${tierName(fromTier)}, which do not import each other: move the shared part down a tier, pass it in from above, or list the import in EXCEPTIONS with its reason`,
        );
      }
    }
  }
  for (const [a, targets] of edges) {
    for (const b of targets) {
      if (a < b && edges.get(b)?.has(a))
        problems.push({
          file: `src/${a}`,
          line: 0,
          rule: "cycle",
          message: `src/${a} and src/${b} import each other: [cycle] one of the two must go (see the bands)`,
        });
    }
  }
  for (const e of [...EXCEPTIONS, ...OUTSIDE_TYPES]) {
    if (!used.has(e))
      report(
        "scripts/check-imports.ts",
        0,
        e.to,
        "stale-exception",
        `the exception for ${e.from} → ${e.to} is used by no import any more: remove it from EXCEPTIONS (and docs/architecture.md)`,
      );
  }
  return { problems, edges };
}

function sourceFiles(root: string, dir: string): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(root, join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [
            [
              relative(root, join(dir, e.name)).split("\\").join("/"),
              readFileSync(join(dir, e.name), "utf8"),
            ] as [string, string],
          ]
        : [],
  );
}

if (import.meta.main) {
  const root = join(import.meta.dirname, "..");
  const { problems, edges } = checkImports(new Map(sourceFiles(root, join(root, "src"))));
  if (problems.length > 0) {
    for (const p of problems) console.error(p.message);
    console.error(`import check: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
    process.exit(1);
  }
  const arrows = [...edges.values()].reduce((n, s) => n + s.size, 0);
  console.log(
    `import check: ${edges.size} folders, ${arrows} folder-to-folder arrows, all down the bands; ${EXCEPTIONS.length} listed exceptions`,
  );
}
