/**
 * The email templates build (scripts/build-templates.ts) as the Worker and the operator see it:
 * templates/ compiles to the HTML the Worker fills, with every Mustache tag intact; a broken
 * template stops the build with `file:line: message` and leaves the previous module in place;
 * the module is the same bytes for the same templates, and its hash moves when they change.
 * Broken templates are small fixtures written into a temporary folder per test.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import Mustache from "mustache";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { random } from "../helpers/random.ts";
import { buildTemplates, compileRenderers } from "../../scripts/build-templates.ts";
import type { EmailView } from "../../src/digest/email/view.ts";

const root = join(import.meta.dirname, "../..");
const TEMPLATES = join(root, "templates");
const SCRIPT = join(root, "scripts", "build-templates.ts");

/** The fields of the Worker's view (src/digest/email/view.ts), plus the per-recipient slot. */
const VIEW_FIELDS = {
  siteTitle: true,
  siteUrl: true,
  logoUrl: true,
  webUrl: true,
  archiveUrl: true,
  contactLine: true,
  weekLabel: true,
  weekRange: true,
  preheader: true,
  intro: true,
  compact: true,
  toc: true,
  developments: true,
  pairs: true,
  figures: true,
  articles: true,
  moreArticles: true,
} as const satisfies Record<keyof EmailView, true>;
const TEMPLATE_NAMES = [...Object.keys(VIEW_FIELDS), "unsubscribeUrl"];

type Token = [string, string, number, number, Token[]?];

/** `type name` of the template's outermost tags (names inside sections may be the items'). */
function topLevelTags(template: string): string[] {
  return (Mustache.parse(template) as Token[])
    .filter((t) => t[0] !== "text")
    .map((t) => `${t[0]} ${t[1]}`);
}

/** Every tag name, nested ones too. */
function allNames(template: string): Set<string> {
  const names = new Set<string>();
  const walk = (tokens: Token[]) => {
    for (const t of tokens) {
      if (t[0] !== "text") names.add(t[1]);
      if (Array.isArray(t[4])) walk(t[4]);
    }
  };
  walk(Mustache.parse(template) as Token[]);
  return names;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "templates-test-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("templates build: the real templates/", () => {
  it("compiles to a whole HTML document that uses the Worker's view, and keeps the text part as written", async () => {
    const out = join(dir, "email-templates.ts");
    const { errors, html = "", text } = await buildTemplates(TEMPLATES, out);
    expect(errors).toEqual([]);
    expect(html).toMatch(/^<!doctype html>\n<html[^>]*>/i);
    expect(html).not.toMatch(/<\/?mj-/);
    // No web fonts, no indentation, no blank lines.
    expect(html).not.toContain("fonts.googleapis.com");
    expect(html.split("\n").filter((line) => line !== line.trim() || line === "")).toEqual([]);
    for (const tag of topLevelTags(html))
      expect(TEMPLATE_NAMES, `unknown top-level tag {{${tag}}}`).toContain(tag.split(" ")[1]);
    const names = allNames(html);
    for (const field of TEMPLATE_NAMES)
      expect(names, `the HTML never uses ${field}`).toContain(field);
    expect(text).toBe(readFileSync(join(TEMPLATES, "digest.txt"), "utf8"));
  });

  it("fills with every value escaped, except the unsubscribe slot, which is the link", async () => {
    const { html = "" } = await buildTemplates(TEMPLATES, join(dir, "email-templates.ts"));
    const item = {
      text: "Troops <b>moved</b>",
      url: "https://news.example/a?x=1&y=2",
      source: "Agency & Co",
      story: false as const,
      reportedIn: false as const,
    };
    const view = {
      siteTitle: "Axis <Dispatch>",
      siteUrl: "https://dispatch.example/",
      logoUrl: "https://dispatch.example/icon.png",
      webUrl: "https://dispatch.example/digests/2024-W43",
      archiveUrl: "https://dispatch.example/digests/",
      contactLine: "Publisher, 1 Street",
      weekLabel: "Week 43, 2024",
      weekRange: "21–27 October 2024",
      preheader: "The week in brief",
      compact: false,
      intro: false,
      toc: "",
      developments: { items: [item], more: false },
      pairs: false,
      figures: false,
      articles: [
        {
          title: "A title",
          url: "https://news.example/b",
          source: "Agency",
          date: "Tue, 22 Oct 2024",
          summary: "Summary.",
          editorNote: false,
          original: false,
        },
      ],
      moreArticles: false,
      unsubscribeUrl: "https://dispatch.example/unsubscribe/abc_DEF-123",
    } satisfies EmailView & { unsubscribeUrl: string };
    const filled = Mustache.render(html, view);
    expect(filled).toContain("<title>Axis &lt;Dispatch&gt;: Week 43, 2024</title>");
    expect(filled).not.toContain("<Dispatch>");
    expect(filled).toContain("Troops &lt;b&gt;moved&lt;&#x2F;b&gt;");
    expect(filled).toContain('href="https:&#x2F;&#x2F;news.example&#x2F;a?x&#x3D;1&amp;y&#x3D;2"');
    expect(filled).toContain('href="https://dispatch.example/unsubscribe/abc_DEF-123"');
    expect(filled).not.toMatch(/\{\{|\}\}/);
  });

  it("writes a module exporting exactly what it built", async () => {
    const out = join(dir, "email-templates.ts");
    const built = await buildTemplates(TEMPLATES, out);
    const module = Object.fromEntries(Object.entries(await import(pathToFileURL(out).href)));
    expect(module).toEqual({
      DIGEST_HTML_TEMPLATE: built.html,
      DIGEST_TEXT_TEMPLATE: built.text,
      EMAIL_TEMPLATES_HASH: built.hash,
      // The templates compiled to functions (compileRenderers; tested below).
      renderDigestHtml: expect.any(Function),
      renderDigestText: expect.any(Function),
      createDigestHtmlMeasure: expect.any(Function),
      DIGEST_HTML_SECTIONS: {
        compact: [expect.any(Number)],
        intro: [expect.any(Number)],
        developments: [expect.any(Number)],
        pairs: [expect.any(Number)],
        figures: [expect.any(Number)],
        articles: [expect.any(Number)],
        moreArticles: [expect.any(Number)],
      },
    });
    expect(built.hash).toMatch(/^[0-9a-f]{16}$/);
  });
});

/** What a module of compileRenderers exports. */
interface Renderers {
  renderDigestHtml(view: unknown): string;
  renderDigestText(view: unknown): string;
  createDigestHtmlMeasure(
    weigh: (text: string, escape: boolean) => number,
  ): (view: unknown, memo: (WeakMap<object, number> | undefined)[]) => number;
  DIGEST_HTML_SECTIONS: Record<string, number[]>;
}

/** compileRenderers(html, text) written to a module in the temporary folder, and imported. */
async function renderersFor(html: string, text: string, name = "renderers.ts"): Promise<Renderers> {
  const file = join(dir, name);
  writeFileSync(file, compileRenderers(html, text));
  return (await import(pathToFileURL(file).href)) as Renderers;
}

const utf8 = (s: string) => Buffer.byteLength(s);
/** The weigher the measure is checked with: plain UTF-8 bytes, escaped as Mustache escapes. */
const bytesOf = (text: string, escape: boolean) => utf8(escape ? Mustache.escape(text) : text);
const PLAIN = { escape: (value: unknown) => String(value) };

/** Text with every character Mustache escapes, multi-byte ones, a surrogate pair and a slot-like control. */
const NASTY = [
  "&",
  "<",
  ">",
  '"',
  "'",
  "/",
  "`",
  "=",
  " ",
  "é",
  "–",
  "東",
  "🛰",
  "\u001A",
  "x",
  "\n",
];

/**
 * A random view over `names`: any value Mustache treats differently (missing, null, false, true,
 * 0, numbers, "", strings, objects with some of the names, arrays of anything), nested up to
 * `depth`. `holes` allows null and undefined list elements (Mustache throws on a lookup in one).
 */
function randomView(rnd: () => number, names: readonly string[], depth: number, holes: boolean) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const text = () =>
    Array.from({ length: Math.floor(rnd() * 6) }, () => pick(NASTY)).join("") || pick(["", "a"]);
  const value = (d: number): unknown => {
    const kind = Math.floor(rnd() * (d > 0 ? 12 : 8));
    switch (kind) {
      case 0:
        return null;
      case 1:
        return false;
      case 2:
        return true;
      case 3:
        return pick([0, 1, -2.5, 1e21]);
      case 4:
        return "";
      case 5:
      case 6:
        return text();
      case 7:
        return 7n;
      case 8:
      case 9:
        return object(d - 1);
      default:
        return Array.from({ length: Math.floor(rnd() * 4) }, () =>
          holes && rnd() < 0.05
            ? pick([null, undefined])
            : rnd() < 0.8
              ? object(d - 1)
              : value(d - 1),
        );
    }
  };
  // Most names at the top, a few in nested objects: enough to reach every section.
  const object = (d: number): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    const keep = d === depth ? 0.6 : Math.min(0.45, 3 / names.length);
    for (const n of names) if (rnd() < keep) o[n] = value(d);
    return o;
  };
  return object(depth);
}

/** Mustache's result, or the fact that it threw. */
function attempt(f: () => string): string | { threw: true } {
  try {
    return f();
  } catch {
    return { threw: true };
  }
}

describe("templates build: the compiled renderers fill like Mustache, to the byte", () => {
  it("the real templates, over thousands of random views: same HTML, same text, and the measure adds up to the HTML's bytes", async () => {
    const out = join(dir, "email-templates.ts");
    const { html = "", text = "" } = await buildTemplates(TEMPLATES, out);
    const r = (await import(pathToFileURL(out).href)) as Renderers;
    const measure = r.createDigestHtmlMeasure(bytesOf);
    const names = [...new Set([...allNames(html), ...allNames(text)])];
    const rnd = random(43);
    // The deepest parts of the template, each reached by enough of the views.
    const parts = [
      "shortened",
      "Developing story:",
      "Earlier: ",
      "Read the original at ",
      "No articles",
    ];
    const reached = new Map(parts.map((p) => [p, 0]));
    let rendered = 0;
    for (let i = 0; i < 3000; i++) {
      const view = randomView(rnd, names, 4, i % 3 === 0);
      const expected = attempt(() => Mustache.render(html, view));
      const got = attempt(() => r.renderDigestHtml(view));
      expect(got).toEqual(expected);
      expect(attempt(() => r.renderDigestText(view))).toEqual(
        attempt(() => Mustache.render(text, view, undefined, PLAIN)),
      );
      if (typeof expected === "string") {
        expect(measure(view, [])).toBe(utf8(expected));
        rendered++;
        for (const p of parts) if (expected.includes(p)) reached.set(p, reached.get(p)! + 1);
      }
    }
    expect(rendered).toBeGreaterThan(1500);
    for (const [p, n] of reached) expect(n, p).toBeGreaterThan(20);
  });

  const FIXTURE = [
    "{{a}}|{{{a}}}|{{#list}}[{{x}}{{#inner}}({{x}}{{y}}){{/inner}}{{^inner}}none{{/inner}}]{{/list}}",
    "{{^list}}empty{{/list}}|{{#obj}}{{x}}-{{z}}{{#list}}<{{y}}>{{/list}}{{/obj}}|{{#a}}{{a}}{{x}}{{/a}}",
    "{{! a comment }}",
    "  {{#list}}",
    "standalone {{x}} & {{{y}}}",
    "  {{/list}}",
    "  {{^z}}",
    "no z {{y}}",
    "  {{/z}}",
    "",
  ].join("\n");
  const FIXTURE_NAMES = ["a", "x", "y", "z", "list", "inner", "obj"];

  it("a fixture of every construct: sections over arrays, objects, strings, numbers and other truthy values, inverted sections, names found in outer contexts, comments and standalone lines", async () => {
    const r = await renderersFor(FIXTURE, FIXTURE);
    const measure = r.createDigestHtmlMeasure(bytesOf);
    const rnd = random(7);
    for (let i = 0; i < 5000; i++) {
      const view = randomView(rnd, FIXTURE_NAMES, 4, true);
      const expected = attempt(() => Mustache.render(FIXTURE, view));
      expect(attempt(() => r.renderDigestHtml(view))).toEqual(expected);
      expect(attempt(() => r.renderDigestText(view))).toEqual(
        attempt(() => Mustache.render(FIXTURE, view, undefined, PLAIN)),
      );
      if (typeof expected === "string") expect(measure(view, [])).toBe(utf8(expected));
      else expect(() => measure(view, [])).toThrow();
    }
  });

  it("remembers a list item's weight only when nothing outside the item was looked up", async () => {
    const r = await renderersFor(FIXTURE, FIXTURE);
    const measure = r.createDigestHtmlMeasure(bytesOf);
    // The same items in views that differ outside them: `y` is the item's own in one, found in
    // the view around it in the other, where it changes from view to view.
    const own = { x: "own", y: "mine", inner: [{ y: "é" }] };
    const borrowing = { x: "borrows", inner: true };
    const memo: (WeakMap<object, number> | undefined)[] = [];
    const rnd = random(11);
    for (let i = 0; i < 200; i++) {
      const view = {
        a: "&".repeat(i % 7),
        y: "🛰".repeat(Math.floor(rnd() * 5)),
        list: i % 2 ? [own, borrowing, own] : [borrowing],
      };
      expect(measure(view, memo)).toBe(utf8(Mustache.render(FIXTURE, view)));
      expect(measure(view, memo)).toBe(measure(view, []));
    }
  });

  it("throws on a function in the view, which Mustache would call (the digest's views hold none)", async () => {
    const r = await renderersFor(FIXTURE, FIXTURE);
    expect(() => r.renderDigestHtml({ a: () => "called" })).toThrow(/\{\{a\}\} is a function/);
    expect(() => r.renderDigestText({ list: [{ x: () => 1 }] })).toThrow(TypeError);
  });

  it("stops the build on what it does not support: dotted names, {{.}}, names every object has", async () => {
    for (const [tag, message] of [
      ["{{a.b}}", "{{a.b}}: dotted names and {{.}} are not supported"],
      ["{{#list}}{{.}}{{/list}}", "{{.}}: dotted names and {{.}} are not supported"],
      [
        "{{constructor}}",
        "{{constructor}}: a name every object has (Object.prototype) is not supported",
      ],
    ] as const) {
      const templates = join(dir, `templates-${tag.length}`);
      const out = join(dir, `out-${tag.length}.ts`);
      writeTemplates(templates, { text: `${tag}\nUnsubscribe: {{{unsubscribeUrl}}}\n` });
      const { errors } = await buildTemplates(templates, out);
      expect(errors).toEqual([
        `${relative(process.cwd(), join(templates, "digest.mjml"))}: ${message}`,
      ]);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("lists the top-level sections, by name, with the memo index of their items", async () => {
    const r = await renderersFor(
      "{{#a}}{{#list}}x{{/list}}{{/a}}{{#list}}{{x}}{{/list}}{{^z}}{{#obj}}{{/obj}}{{/z}}{{#list}}{{/list}}",
      "",
    );
    // `list` twice at the top level; the one in `a` and `obj` (in an inverted section) are not.
    expect(Object.keys(r.DIGEST_HTML_SECTIONS)).toEqual(["a", "list"]);
    expect(r.DIGEST_HTML_SECTIONS.list).toHaveLength(2);
    const measure = r.createDigestHtmlMeasure(bytesOf);
    const item = { x: "12345" };
    const memo: (WeakMap<object, number> | undefined)[] = [];
    measure({ list: [item] }, memo);
    for (const k of r.DIGEST_HTML_SECTIONS.list!) expect(memo[k]?.get(item)).toBeDefined();
    expect(memo[r.DIGEST_HTML_SECTIONS.list![0]!]!.get(item)).toBe(5);
    expect(memo[r.DIGEST_HTML_SECTIONS.list![1]!]!.get(item)).toBe(0);
  });
});

/** A small template set: digest.mjml including partials/body.mjml, and digest.txt. */
const MAIN = `<mjml>
  <mj-body>
    <mj-include path="./partials/body.mjml" />
  </mj-body>
</mjml>
`;
const BODY = `<!-- The one section. -->
<mj-section>
  <mj-column>
    <mj-text>
      <p>{{siteTitle}}</p>
      <p><a href="{{{unsubscribeUrl}}}">Unsubscribe</a></p>
    </mj-text>
  </mj-column>
</mj-section>
`;
const TEXT = "{{siteTitle}}\nUnsubscribe: {{{unsubscribeUrl}}}\n";

function writeTemplates(
  templates: string,
  files: { main?: string; body?: string; text?: string } = {},
): void {
  mkdirSync(join(templates, "partials"), { recursive: true });
  writeFileSync(join(templates, "digest.mjml"), files.main ?? MAIN);
  writeFileSync(join(templates, "partials", "body.mjml"), files.body ?? BODY);
  writeFileSync(join(templates, "digest.txt"), files.text ?? TEXT);
}

/** `text` with `find` replaced, which must be there. */
function edit(text: string, find: string, replacement: string): string {
  expect(text).toContain(find);
  return text.replace(find, replacement);
}

describe("templates build: a broken template stops it with file:line and generates nothing", () => {
  let templates: string;
  let out: string;
  /** A path as the build prints it (relative to where it runs). */
  const shown = (...parts: string[]) => relative(process.cwd(), join(templates, ...parts));
  beforeEach(() => {
    templates = join(dir, "templates");
    out = join(dir, "email-templates.ts");
    writeFileSync(out, "// the previous build\n");
  });
  /** Builds `files` (the rest as in the fixture); the previous module must be left as it was. */
  async function errorsFor(files: {
    main?: string;
    body?: string;
    text?: string;
  }): Promise<string[]> {
    writeTemplates(templates, files);
    const { errors, html } = await buildTemplates(templates, out);
    expect(html).toBeUndefined();
    expect(readFileSync(out, "utf8")).toBe("// the previous build\n");
    return errors;
  }

  it("the fixture itself builds", async () => {
    writeTemplates(templates);
    expect((await buildTemplates(templates, out)).errors).toEqual([]);
    expect(readFileSync(out, "utf8")).toContain("export const DIGEST_HTML_TEMPLATE");
  });

  it("MJML's strict validation: an attribute MJML does not know, in a partial", async () => {
    const body = edit(BODY, "<mj-text>", '<mj-text colour="red">');
    expect(await errorsFor({ body })).toEqual([
      `${shown("partials", "body.mjml")}:4: Attribute colour is illegal (mj-text)`,
    ]);
  });

  it("MJML's strict validation: an element MJML does not know", async () => {
    const main = edit(MAIN, "  </mj-body>", "    <mj-textbox>x</mj-textbox>\n  </mj-body>");
    expect(await errorsFor({ main })).toEqual([
      `${shown("digest.mjml")}:4: Element mj-textbox doesn't exist or is not registered (mj-textbox)`,
    ]);
  });

  it("a value rendered unescaped (only the unsubscribe slot may be)", async () => {
    const body = edit(BODY, "{{siteTitle}}", "{{{siteTitle}}}");
    expect(await errorsFor({ body })).toEqual([
      `${shown("digest.mjml")} (compiled): {{{siteTitle}}} is unescaped; only unsubscribeUrl may be (article text must be escaped)`,
    ]);
  });

  it("a section closed but never opened, at its line in the partial", async () => {
    const body = edit(BODY, "<p>{{siteTitle}}</p>", "<p>{{siteTitle}}{{/articles}}</p>");
    expect(await errorsFor({ body })).toEqual([
      `${shown("partials", "body.mjml")}:5: Unopened section "articles"`,
    ]);
  });

  it("a tag MJML drops (text where MJML keeps none)", async () => {
    const body = edit(BODY, "  <mj-column>", "  {{issue}}<mj-column>");
    expect(await errorsFor({ body })).toEqual([
      `${shown("digest.mjml")} (compiled): the tag "name issue" in the MJML source is missing after compilation`,
    ]);
  });

  it("an include that does not exist", async () => {
    const main = edit(MAIN, "./partials/body.mjml", "./partials/bdy.mjml");
    expect(await errorsFor({ main })).toEqual([
      `${shown("digest.mjml")}: mj-include denied (a missing file, or a path outside ${shown()})`,
    ]);
  });

  it("an HTML template too large to leave room for the week's content", async () => {
    const body = edit(
      BODY,
      "<p>{{siteTitle}}</p>",
      `<p>{{siteTitle}}</p>${"<p>Lorem ipsum dolor sit amet.</p>\n".repeat(1500)}`,
    );
    const errors = await errorsFor({ body });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^${shown("digest.mjml")}: compiles to \\d+ bytes; at most 40000 leave room for the week's content under Gmail's 102 KB clipping limit$`,
      ),
    );
  });

  it("a section left open in the plain-text template (Mustache finds it where the file ends)", async () => {
    const text = edit(TEXT, "Unsubscribe:", "{{#compact}}\nUnsubscribe:");
    expect(await errorsFor({ text })).toEqual([
      `${shown("digest.txt")}:4: Unclosed section "compact"`,
    ]);
  });
});

describe("templates build: the module is deterministic, and its hash follows the templates", () => {
  async function build(files: { main?: string; body?: string; text?: string } = {}) {
    const templates = join(dir, "templates");
    const out = join(dir, "email-templates.ts");
    writeTemplates(templates, files);
    const result = await buildTemplates(templates, out);
    expect(result.errors).toEqual([]);
    return { ...result, module: readFileSync(out, "utf8") };
  }

  it("the same templates give the same bytes", async () => {
    const first = await build();
    const second = await build();
    expect(second.module).toBe(first.module);
    expect(first.module).toContain(`export const EMAIL_TEMPLATES_HASH = "${first.hash}";`);
  });

  it("an MJML comment changes nothing: comments never reach the email", async () => {
    const before = await build();
    const after = await build({
      body: edit(
        BODY,
        "<!-- The one section. -->",
        "<!-- The only section,\n     now with a longer comment. -->",
      ),
    });
    expect(after.module).toBe(before.module);
  });

  it("a change to a partial changes the HTML and the hash", async () => {
    const before = await build();
    const after = await build({ body: edit(BODY, ">Unsubscribe<", ">Unsubscribe here<") });
    expect(after.html).toContain("Unsubscribe here");
    expect(after.hash).not.toBe(before.hash);
  });

  it("a change to digest.txt alone changes the hash", async () => {
    const before = await build();
    const after = await build({ text: edit(TEXT, "Unsubscribe:", "To unsubscribe:") });
    expect(after.html).toBe(before.html);
    expect(after.hash).not.toBe(before.hash);
  });
});

describe("templates build: the command", () => {
  /** `node scripts/build-templates.ts args…` run from the temporary folder. */
  function run(...args: string[]) {
    return spawnSync(process.execPath, [SCRIPT, ...args], { cwd: dir, encoding: "utf8" });
  }

  it("says what it wrote", () => {
    writeTemplates(join(dir, "templates"));
    const result = run("--templates", "templates", "--out", "out/email-templates.ts");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^templates: digest HTML \d+\.\d kB, text 0\.0 kB \([0-9a-f]{16}\) → out\/email-templates\.ts\n$/,
    );
    expect(existsSync(join(dir, "out", "email-templates.ts"))).toBe(true);
  });

  it("exits 1 with every problem and that nothing was generated", () => {
    writeTemplates(join(dir, "templates"), {
      body: edit(BODY, "<mj-text>", '<mj-text colour="red">'),
    });
    const result = run("--templates", "templates", "--out", "email-templates.ts");
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "templates/partials/body.mjml:4: Attribute colour is illegal (mj-text)\n\ntemplates build failed: 1 problem; nothing was generated.\n",
    );
    expect(existsSync(join(dir, "email-templates.ts"))).toBe(false);
  });

  it("does nothing when imported (the bench imports its MJML options)", () => {
    const result = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(SCRIPT).href)});`],
      { cwd: dir, encoding: "utf8" },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });
});
