/**
 * The import-layer check (scripts/check-imports.ts, run by `npm run lint`) on src/ as it is and
 * with imports planted into a copy of it in memory. It used to read only `… from "x"` imports:
 * a side-effect `import "../routes/site";` planted in src/lib/ passed lint, and its ranks were
 * fitted to the imports of the day (http/ sat above site/ so the CSP could import page styles).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { checkImports, EXCEPTIONS, OUTSIDE_TYPES } from "../../scripts/check-imports.ts";

const root = join(import.meta.dirname, "../..");

function readTree(dir: string): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? readTree(join(dir, e.name))
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

/** src/ as it is on disk, with `planted` files added (or replaced). */
function srcWith(planted: Record<string, string>): Map<string, string> {
  return new Map([...readTree(join(root, "src")), ...Object.entries(planted)]);
}

const problemsOf = (planted: Record<string, string>) =>
  checkImports(srcWith(planted)).problems.filter((p) => p.rule !== "cycle");

describe("scripts/check-imports.ts", () => {
  it("passes src/ as it is", () => {
    expect(checkImports(srcWith({})).problems.map((p) => p.message)).toEqual([]);
  });

  it("fails a side-effect import planted in src/lib/, naming the file, its line and the rule", () => {
    const { problems } = checkImports(
      srcWith({ "src/lib/planted.ts": 'export const x = 1;\nimport "../routes/site";\n' }),
    );
    const [upward] = problems.filter((p) => p.file === "src/lib/planted.ts");
    expect(upward).toMatchObject({ file: "src/lib/planted.ts", line: 2, rule: "upward" });
    expect(upward!.message).toMatch(
      /^src\/lib\/planted\.ts:2: imports src\/routes\/site \(side-effect\): \[upward\] src\/routes \(routes\) is above src\/lib/,
    );
  });

  it("fails every form of upward import: from, type-only, re-export, export *, dynamic, import type", () => {
    const planted = [
      'import { renderPage } from "../site/layout.ts";',
      'import type { AppEnv } from "../http/app-env.ts";',
      'import { type RouteDeps } from "../routes/context.ts";',
      'export { createApp } from "../app.ts";',
      'export * from "../delivery/producer.ts";',
      'export type { SignUp } from "../subscriptions/service.ts";',
      'export const later = () => import("../routes/site.ts");',
      'export type Deps = import("../digest/service.ts").DigestDeps;',
    ];
    const problems = problemsOf({ "src/model/planted.ts": planted.join("\n") });
    expect(
      problems.map((p) => [p.line, p.rule, /^\S+ imports (.+?): \[/.exec(p.message)![1]]),
    ).toEqual([
      [1, "upward", "src/site/layout.ts"],
      [2, "upward", "src/http/app-env.ts (type-only)"],
      [3, "upward", "src/routes/context.ts (type-only)"],
      [4, "upward", "src/app.ts (re-export)"],
      [5, "upward", "src/delivery/producer.ts (re-export)"],
      [6, "upward", "src/subscriptions/service.ts (type-only)"],
      [7, "upward", "src/routes/site.ts (dynamic)"],
      [8, "upward", "src/digest/service.ts (type-only)"],
    ]);
  });

  it("does not take an import in a comment or a string for one", () => {
    const source = [
      '// import { createApp } from "../app.ts";',
      '/* import "../routes/site.ts"; */',
      "export const text = 'import(\"../app.ts\")';",
    ].join("\n");
    expect(problemsOf({ "src/lib/planted.ts": source })).toEqual([]);
  });

  it("fails a sibling import between features (subscriptions reading digest/, as it did)", () => {
    const [p] = problemsOf({
      "src/subscriptions/planted.ts": 'import { listDigests } from "../digest/store.ts";\n',
    });
    expect(p).toMatchObject({ file: "src/subscriptions/planted.ts", line: 1, rule: "sibling" });
  });

  it("keeps src/http/ to the shared ground: the CSP importing page styles fails", () => {
    const [p] = problemsOf({
      "src/http/planted.ts": 'import { PAGE_STYLE } from "../site/layout.ts";\n',
    });
    expect(p).toMatchObject({ file: "src/http/planted.ts", rule: "reach" });
    expect(p!.message).toContain("may import from shared ground only");
  });

  it("keeps the digest's inner order: its summary may not import its email", () => {
    const [p] = problemsOf({
      "src/digest/summary/planted.ts": 'import { digestLinks } from "../email/links.ts";\n',
    });
    expect(p).toMatchObject({ file: "src/digest/summary/planted.ts", rule: "inner-order" });
  });

  it("fails what cannot be checked or must not be bundled", () => {
    const problems = problemsOf({
      "src/routes/planted.ts": [
        "const name = '../app.ts';",
        "export const m = () => import(name);",
        'import winkNLP from "wink-nlp";',
        'import { x } from "../../scripts/publish.ts";',
      ].join("\n"),
      "src/newfolder/planted.ts": "export const y = 1;\n",
    });
    expect(problems.map((p) => [p.file, p.line, p.rule])).toEqual([
      ["src/newfolder/planted.ts", 1, "no-band"],
      ["src/routes/planted.ts", 2, "unchecked-dynamic"],
      ["src/routes/planted.ts", 3, "node-only-package"],
      ["src/routes/planted.ts", 4, "outside-src"],
    ]);
  });

  it("fails an exception that no import uses any more, so the list cannot outlive its reasons", () => {
    const { problems } = checkImports(new Map([["src/lib/only.ts", "export const a = 1;\n"]]));
    const listed = [...EXCEPTIONS, ...OUTSIDE_TYPES];
    expect(problems.map((p) => p.rule)).toEqual(listed.map(() => "stale-exception"));
    for (const [i, e] of listed.entries())
      expect(problems[i]!.message).toContain(`${e.from} → ${e.to}`);
  });

  it("lets src/ read the article schema's types from outside it, and nothing else from there", () => {
    const [allowed] = OUTSIDE_TYPES;
    const typeOnly = `import type { ArticleFields } from "../../scripts/content/article-schema.ts";\n`;
    const value = `import { ARTICLE_FIELDS } from "../../scripts/content/article-schema.ts";\n`;
    const rules = (file: string, text: string) =>
      checkImports(new Map([[file, text]])).problems.map((p) => p.rule);
    expect(rules(allowed!.from, typeOnly)).not.toContain("outside-src");
    expect(rules(allowed!.from, value)).toContain("outside-src");
    expect(rules("src/lib/x.ts", typeOnly)).toContain("outside-src");
  });

  it("fails two folders importing each other", () => {
    const { problems } = checkImports(
      new Map([
        ["src/lib/a.ts", 'import { b } from "../model/b.ts";\nexport const a = b;\n'],
        ["src/model/b.ts", 'import { a } from "../lib/a.ts";\nexport const b = a;\n'],
        ...EXCEPTIONS.flatMap((e) => [
          [e.from, `import "${relative(join(e.from, ".."), e.to)}";\n`] as [string, string],
        ]),
      ]),
    );
    expect(problems.map((p) => p.message)).toContain(
      "src/lib and src/model import each other: [cycle] one of the two must go (see the bands)",
    );
  });
});
