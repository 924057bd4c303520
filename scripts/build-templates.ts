/**
 * Build step: templates/digest.mjml (+ templates/partials/) and templates/digest.txt →
 * src/generated/email-templates.ts, the module src/digest/email/render.ts renders the email with.
 *
 *   node scripts/build-templates.ts [--templates DIR] [--out FILE]
 *
 * MJML runs here only: it needs Node (fs, juice, cheerio) and cannot run in workerd. The module
 * holds the compiled HTML and the text template as Mustache strings, and both compiled further
 * into TypeScript functions that fill them exactly as Mustache.render would (compileRenderers),
 * which is what the Worker runs. Any MJML validation error, a Mustache tag that did not survive
 * compilation, or one the compiler does not support, stops the build with `file: message` and
 * leaves the previous generated module untouched.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import Mustache from "mustache";
import { writeGenerated } from "./lib/write-generated.ts";

const root = join(import.meta.dirname, "..");

/** The part of mjml 5's API used here (the package ships no types). https://github.com/mjmlio/mjml#inside-nodejs */
interface MjmlError {
  readonly line: number;
  readonly message: string;
  readonly tagName: string;
  /** `Line 3 of /abs/file.mjml, included at line 9 of file /abs/digest.mjml (mj-text) — …` */
  readonly formattedMessage: string;
}
type Mjml2Html = (
  mjml: string,
  options: Record<string, unknown>,
) => Promise<{ html: string; errors: MjmlError[] }>;
// mjml is CommonJS; require keeps it out of every ESM graph the Worker bundler might follow.
const mjml2html = createRequire(import.meta.url)("mjml") as Mjml2Html;

/**
 * The compiled template must leave room for content within the email's byte budget
 * (src/digest/email/render.ts): compact mode can drop every list item, but not the frame.
 */
const MAX_HTML_TEMPLATE_BYTES = 40_000;
/** The one value rendered unescaped: the per-recipient slot, a constant (src/digest/email/render.ts). */
const UNESCAPED_ALLOWED = new Set(["unsubscribeUrl"]);

/**
 * MJML's options for templates/digest.mjml in `templatesDir` (its partials are included from
 * there). Exported with compileMjml for bench/lib/digest-render.ts, which times this very compile.
 */
export function mjmlOptions(templatesDir: string): Record<string, unknown> {
  const mjmlFile = join(templatesDir, "digest.mjml");
  return {
    validationLevel: "strict",
    // No web fonts: mjml otherwise links Google Fonts for the families it knows.
    fonts: {},
    keepComments: false,
    // mjml 5 ignores mj-include unless told otherwise; includes may not leave templates/.
    ignoreIncludes: false,
    filePath: mjmlFile,
    actualPath: mjmlFile,
    includePath: templatesDir,
  };
}

/** `source` (templates/digest.mjml's text) compiled by MJML; throws on a validation error. */
export async function compileMjml(source: string, templatesDir: string): Promise<string> {
  const { html } = await mjml2html(source, mjmlOptions(templatesDir));
  return html;
}

/** Indentation is a quarter of MJML's output; it means nothing in HTML outside <pre>. */
export function compactHtml(compiled: string): string {
  return compiled
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join("\n");
}

function formatMjmlError(e: MjmlError, mainFile: string): string {
  // The validator keeps the file only inside formattedMessage.
  const file =
    /^Line \d+ of (.+?)(?:, included at .*)? \([\w-]+\) — /s.exec(e.formattedMessage)?.[1] ??
    mainFile;
  return `${relative(process.cwd(), file) || file}:${e.line}: ${e.message} (${e.tagName})`;
}

/** Every Mustache tag as `type name` (`# items`, `name url`, `& unsubscribeUrl`), nested ones too. */
function mustacheTags(template: string): Set<string> {
  const tags = new Set<string>();
  const walk = (tokens: unknown[][]) => {
    for (const t of tokens) {
      if (t[0] !== "text") tags.add(`${String(t[0])} ${String(t[1])}`);
      if (Array.isArray(t[4])) walk(t[4] as unknown[][]);
    }
  };
  walk(Mustache.parse(template) as unknown[][]);
  return tags;
}

/** Mustache reports a character offset (`Unclosed section "x" at 1604`); say file:line. */
function mustacheError(file: string, template: string, err: unknown): string {
  const message = (err as Error).message;
  const at = /^(.*) at (\d+)$/.exec(message);
  if (!at) return `${file}: ${message}`;
  const line = template.slice(0, Number(at[2])).split("\n").length;
  return `${file}:${line}: ${at[1]}`;
}

/** Problems with the Mustache tags of a template, as `file: message` lines. */
function checkMustache(label: string, template: string, expected: Set<string> | null): string[] {
  let tags: Set<string>;
  try {
    tags = mustacheTags(template);
  } catch (err) {
    return [mustacheError(label, template, err)];
  }
  const errors: string[] = [];
  for (const tag of tags) {
    const [type, name = ""] = tag.split(" ");
    if (type === ">" || type === "=")
      errors.push(`${label}: ${tag}: partials and delimiter changes are not used by the digest`);
    if (type === "&" && !UNESCAPED_ALLOWED.has(name)) {
      errors.push(
        `${label}: {{{${name}}}} is unescaped; only ${[...UNESCAPED_ALLOWED].join(", ")} may be (article text must be escaped)`,
      );
    }
  }
  if (expected) {
    for (const tag of expected)
      if (!tags.has(tag))
        errors.push(`${label}: the tag "${tag}" in the MJML source is missing after compilation`);
    for (const tag of tags)
      if (!expected.has(tag)) errors.push(`${label}: the tag "${tag}" appeared during compilation`);
  }
  return errors;
}

/**
 * The templates as TypeScript functions, so the Worker renders them with string concatenation
 * instead of interpreting Mustache's tokens on every render (and hashing the 30 KB template text
 * to find them in Mustache's cache). The code is generated from Mustache.parse's own tokens, so
 * whitespace handling (standalone lines) is Mustache's, and it keeps Mustache 4.2's semantics for
 * what the digest uses: names looked up from the innermost context outwards (`name in view`),
 * `{{#s}}` over an array's elements, into an object, string or number, or in place for another
 * truthy value; `{{^s}}` for a falsy value or an empty array; values HTML-escaped exactly as
 * mustache.escape does (& < > " ' / ` =), numbers as they are, `{{{ }}}` as it is. Views are
 * plain data: a function in one throws (Mustache would call it; the digest's views never hold
 * one), and so does a lookup in a null or undefined context, as in Mustache.
 *
 * Besides the renderers, the HTML template gets a measure: the same walk adding up a weight per
 * piece (render.ts weighs UTF-8 bytes, with its slots at their budget length) instead of
 * building the string. It remembers the weight of each object in a list whose lookups never
 * left that object (they resolve the same wherever it is listed), so the byte-budget search
 * re-measures only what changed between its attempts: the table of contents and "N more" lines.
 */
type MustacheToken = [
  type: string,
  value: string,
  start: number,
  end: number,
  children?: MustacheToken[],
];

type CompileMode = "html" | "text" | "measure";

/** Code for one template in one mode: section bodies become functions `${prefix}${n}`. */
class TemplateCompiler {
  readonly functions: string[] = [];
  /** The number of each `{{#section}}`'s body function, by token. */
  readonly sections = new Map<MustacheToken, number>();
  private next = 0;
  private readonly mode: CompileMode;
  private readonly prefix: string;
  /** Each text token's index in the template's text table. */
  private readonly textIndex: ReadonlyMap<MustacheToken, number>;
  private readonly textTable: string;

  constructor(
    mode: CompileMode,
    prefix: string,
    textIndex: ReadonlyMap<MustacheToken, number>,
    textTable: string,
  ) {
    this.mode = mode;
    this.prefix = prefix;
    this.textIndex = textIndex;
    this.textTable = textTable;
  }

  /** The function rendering `tokens` at context depth `depth`; returns its name. */
  body(tokens: readonly MustacheToken[], depth: number): string {
    const name = `${this.prefix}${this.next++}`;
    const code = this.statements(tokens, depth);
    const lookups = /\bv = /.test(code) ? "  let v: unknown;\n" : "";
    this.functions.push(
      this.mode === "measure"
        ? `function ${name}(s: unknown[], n: number): number {\n${lookups}${code}  return n;\n}`
        : `function ${name}(s: unknown[], o: string): string {\n${lookups}${code}  return o;\n}`,
    );
    return name;
  }

  private statements(tokens: readonly MustacheToken[], depth: number): string {
    let code = "";
    for (const token of tokens) code += this.statement(token, depth);
    return code;
  }

  private statement(token: MustacheToken, depth: number): string {
    const [type, value] = token;
    const measure = this.mode === "measure";
    if (type === "text") {
      const i = this.textIndex.get(token)!;
      return measure ? `  n += W[${i}]!;\n` : `  o += ${this.textTable}[${i}]!;\n`;
    }
    if (type === "!") return "";
    if (type !== "name" && type !== "&" && type !== "#" && type !== "^")
      throw new Error(`{{${type}${value}}}: partials and delimiter changes are not supported`);
    if (value === "." || value.includes("."))
      throw new Error(`{{${value}}}: dotted names and {{.}} are not supported`);
    // Every object has these (`name in view`), and Mustache would call the functions among them.
    if (value in Object.prototype)
      throw new Error(`{{${value}}}: a name every object has (Object.prototype) is not supported`);
    const get = `  v = lookup(s, ${depth}, ${JSON.stringify(value)});\n`;
    if (type === "name") {
      const put = {
        html: 'o += typeof v === "number" ? String(v) : escapeHtml(v)',
        text: "o += String(v)",
        measure: "n += weigh(String(v), true)",
      }[this.mode];
      return `${get}  if (v != null) ${put};\n`;
    }
    if (type === "&") {
      return `${get}  if (v != null) ${measure ? 'n += weigh("" + (v as string), false)' : "o += v as string"};\n`;
    }
    const children = token[4] ?? [];
    if (type === "^") {
      const inner = this.statements(children, depth).replace(/^/gm, "  ");
      return `${get}  if (!v || (Array.isArray(v) && v.length === 0)) {\n${inner}  }\n`;
    }
    const id = this.next;
    this.sections.set(token, id);
    const fn = this.body(children, depth + 1);
    const inner = depth + 1;
    const each = measure
      ? `n += measureItem(s, ${inner}, v[i], ${id}, ${fn});`
      : `s[${inner}] = v[i];\n        o = ${fn}(s, o);`;
    const one = measure ? `n = ${fn}(s, n);` : `o = ${fn}(s, o);`;
    return (
      `${get}  if (v) {\n` +
      `    if (Array.isArray(v)) {\n` +
      `      for (let i = 0; i < v.length; i++) {\n        ${each}\n      }\n` +
      `    } else {\n` +
      `      s[${inner}] = typeof v === "object" || typeof v === "string" || typeof v === "number" ? v : IN_PLACE;\n` +
      `      ${one}\n` +
      `    }\n` +
      `  }\n`
    );
  }
}

/** Every text token of `tokens`, nested ones too, in order. */
function textTokens(tokens: readonly MustacheToken[], out: MustacheToken[] = []): MustacheToken[] {
  for (const t of tokens) {
    if (t[0] === "text") out.push(t);
    if (t[4]) textTokens(t[4], out);
  }
  return out;
}

/** Code for `template` rendered (`html`, `text`) or measured, its text table named `table`. */
function compileTemplate(
  template: string,
  mode: CompileMode,
  prefix: string,
  table: string,
): {
  root: string;
  functions: string[];
  texts: string[];
  topSections: Record<string, number[]>;
} {
  const tokens = Mustache.parse(template) as MustacheToken[];
  const texts = textTokens(tokens);
  // What the measure relies on (src/digest/email/render.ts, budgetWeight): no slot mark and no
  // half of a surrogate pair in the template's own text.
  for (const [, t] of texts)
    if (t.includes("\u001A") || !t.isWellFormed())
      throw new Error("template text holds U+001A (the slots' mark) or a lone surrogate");
  const compiler = new TemplateCompiler(mode, prefix, new Map(texts.map((t, i) => [t, i])), table);
  const root = compiler.body(tokens, 0);
  // Sections at the top level, outside any other (so rendered whatever the view), by name.
  const topSections: Record<string, number[]> = {};
  for (const t of tokens)
    if (t[0] === "#") (topSections[t[1]] ??= []).push(compiler.sections.get(t)!);
  return { root, functions: compiler.functions, texts: texts.map((t) => t[1]), topSections };
}

const indent = (code: string) => code.replace(/^(?=.)/gm, "  ");

/** The generated module's renderers and the HTML measure, as TypeScript. */
export function compileRenderers(html: string, text: string): string {
  const htmlRender = compileTemplate(html, "html", "h", "HTML_TEXT");
  const textRender = compileTemplate(text, "text", "t", "TEXT_TEXT");
  const measure = compileTemplate(html, "measure", "m", "W");
  return `
// ---- The templates compiled to functions (scripts/build-templates.ts, compileRenderers) ----

/** The HTML template's text between tags, in order. */
const HTML_TEXT: readonly string[] = ${JSON.stringify(htmlRender.texts)};
/** The plain-text template's text between tags, in order. */
const TEXT_TEXT: readonly string[] = ${JSON.stringify(textRender.texts)};

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "/": "&#x2F;",
  "\`": "&#x60;",
  "=": "&#x3D;",
};
const ESCAPED = /[&<>"'\`=/]/;
const ESCAPED_ALL = /[&<>"'\`=/]/g;
const entity = (c: string) => ENTITIES[c]!;

/** mustache.escape, to the byte. */
function escapeHtml(value: unknown): string {
  const s = String(value);
  return ESCAPED.test(s) ? s.replace(ESCAPED_ALL, entity) : s;
}

/** The context of a section rendered in place (a truthy value that is not pushed): has no names. */
const IN_PLACE: object = Object.freeze(Object.create(null) as object);

/** The shallowest context depth a lookup resolved at, since the measure last reset it; -1 for a miss. */
let shallowest = 0;

/** Mustache's Context.lookup for a plain name: the innermost of the contexts s[depth] … s[0] that has it. */
function lookup(s: unknown[], depth: number, name: string): unknown {
  for (let j = depth; j >= 0; j--) {
    const view = s[j];
    if (view == null)
      throw new TypeError(\`digest templates: {{\${name}}} looked up in a \${String(view)} context\`);
    if (typeof view === "object" && name in view) {
      if (j < shallowest) shallowest = j;
      const value = (view as Record<string, unknown>)[name];
      if (typeof value === "function")
        throw new TypeError(\`digest templates: {{\${name}}} is a function; views are plain data\`);
      return value;
    }
  }
  shallowest = -1;
  return undefined;
}

${htmlRender.functions.join("\n\n")}

/** DIGEST_HTML_TEMPLATE filled with \`view\`: Mustache.render(DIGEST_HTML_TEMPLATE, view), to the byte. */
export function renderDigestHtml(view: unknown): string {
  return ${htmlRender.root}([view], "");
}

${textRender.functions.join("\n\n")}

/**
 * DIGEST_TEXT_TEMPLATE filled with \`view\` without escaping: Mustache.render(DIGEST_TEXT_TEMPLATE,
 * view, undefined, { escape: String }), to the byte.
 */
export function renderDigestText(view: unknown): string {
  return ${textRender.root}([view], "");
}

/** Remembered weights of list items, by section; one per search (an item's weight lasts as long as it). */
export type MeasureMemo = (WeakMap<object, number> | undefined)[];

/**
 * The HTML template's top-level sections (outside any other), by name: the index each one's
 * items are remembered under in a MeasureMemo. Such a section is measured whatever the view, so
 * an object in the list it iterates adds at least its remembered weight there to any measure.
 */
export const DIGEST_HTML_SECTIONS: Readonly<Record<string, readonly number[]>> = ${JSON.stringify(measure.topSections)};

/**
 * The sum of \`weigh\` over the pieces renderDigestHtml(view) is made of: template text
 * (escape false), escaped values (the raw value, escape true) and the unescaped one (escape
 * false). With a weigh that is additive over concatenation, that is weigh of the whole HTML.
 */
export function createDigestHtmlMeasure(
  weigh: (text: string, escape: boolean) => number,
): (view: unknown, memo: MeasureMemo) => number {
  const W = HTML_TEXT.map((t) => weigh(t, false));
  let memo: MeasureMemo = [];

  /** One element of a list: its weight remembered when no lookup in it went past it. */
  function measureItem(
    s: unknown[],
    depth: number,
    element: unknown,
    section: number,
    body: (s: unknown[], n: number) => number,
  ): number {
    s[depth] = element;
    if (element === null || typeof element !== "object") return body(s, 0);
    const known = (memo[section] ??= new WeakMap()).get(element);
    if (known !== undefined) return known;
    const outer = shallowest;
    shallowest = depth;
    const weight = body(s, 0);
    const reached = shallowest;
    shallowest = Math.min(outer, reached);
    if (reached >= depth) memo[section]!.set(element, weight);
    return weight;
  }

${indent(measure.functions.join("\n\n"))}

  return (view, m) => {
    memo = m;
    return ${measure.root}([view], 0);
  };
}
`;
}

/**
 * Every .mjml file under `dir`, comments blanked (keeping line numbers): they never reach the
 * output (keepComments: false), so their text is not compared.
 */
async function readSources(dir: string): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith(".mjml"))
    .map((e) => join(e.parentPath, e.name));
  return Promise.all(
    files.sort().map(async (f) => ({
      file: relative(process.cwd(), f) || f,
      text: (await readFile(f, "utf8")).replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, "")),
    })),
  );
}

export interface TemplatesBuild {
  readonly errors: string[];
  readonly html?: string;
  readonly text?: string;
  readonly hash?: string;
}

export async function buildTemplates(
  templatesDir: string,
  outFile: string,
): Promise<TemplatesBuild> {
  const mjmlFile = join(templatesDir, "digest.mjml");
  const textFile = join(templatesDir, "digest.txt");
  const label = relative(process.cwd(), mjmlFile) || mjmlFile;
  const [source, text, sources] = await Promise.all([
    readFile(mjmlFile, "utf8"),
    readFile(textFile, "utf8"),
    readSources(templatesDir),
  ]);

  let compiled: string;
  try {
    compiled = await compileMjml(source, templatesDir);
  } catch (err) {
    const errors = (err as { errors?: MjmlError[] }).errors;
    if (Array.isArray(errors) && errors.length > 0)
      return { errors: errors.map((e) => formatMjmlError(e, mjmlFile)) };
    return { errors: [`${label}: ${(err as Error).message}`] };
  }
  // A denied or unreadable include becomes a comment, not a validation error.
  const include = /<!-- (mj-include (?:denied|fails)[^>]*?) -->/.exec(compiled);
  if (include)
    return {
      errors: [
        `${label}: ${include[1]} (a missing file, or a path outside ${relative(process.cwd(), templatesDir) || templatesDir})`,
      ],
    };

  const html = compactHtml(compiled);

  // The tags of every source file must come out of MJML unchanged, none lost, none added.
  const expected = new Set<string>();
  for (const { file, text: src } of sources) {
    try {
      for (const tag of mustacheTags(src)) expected.add(tag);
    } catch (err) {
      return { errors: [mustacheError(file, src, err)] };
    }
  }
  const errors = [
    ...checkMustache(`${label} (compiled)`, html, expected),
    ...checkMustache(relative(process.cwd(), textFile) || textFile, text, null),
  ];
  const htmlBytes = Buffer.byteLength(html);
  if (htmlBytes > MAX_HTML_TEMPLATE_BYTES) {
    errors.push(
      `${label}: compiles to ${htmlBytes} bytes; at most ${MAX_HTML_TEMPLATE_BYTES} leave room for the week's content under Gmail's 102 KB clipping limit`,
    );
  }
  if (errors.length > 0) return { errors };

  let renderers: string;
  try {
    renderers = compileRenderers(html, text);
  } catch (err) {
    return { errors: [`${label}: ${(err as Error).message}`] };
  }

  const hash = createHash("sha256")
    .update(html)
    .update("\0")
    .update(text)
    .digest("hex")
    .slice(0, 16);
  const module = [
    "// Generated by scripts/build-templates.ts from templates/. Do not edit: edit templates/ and rebuild.",
    "",
    "/** The digest email as HTML: MJML compiled at build time, Mustache tags left to fill. */",
    `export const DIGEST_HTML_TEMPLATE: string = ${JSON.stringify(html)};`,
    "",
    "/** The digest email as plain text (Mustache; rendered without HTML escaping). */",
    `export const DIGEST_TEXT_TEMPLATE: string = ${JSON.stringify(text)};`,
    "",
    "/** Changes whenever either template does: for telling emails rendered by other versions apart. */",
    `export const EMAIL_TEMPLATES_HASH = ${JSON.stringify(hash)};`,
    renderers,
  ].join("\n");
  await writeGenerated(outFile, module);
  return { errors: [], html, text, hash };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      templates: { type: "string", default: join(root, "templates") },
      out: { type: "string", default: join(root, "src/generated/email-templates.ts") },
    },
  });
  const {
    errors,
    html = "",
    text = "",
    hash,
  } = await buildTemplates(values.templates!, values.out!);
  if (errors.length > 0) {
    for (const e of errors) console.error(e);
    console.error(
      `\ntemplates build failed: ${errors.length} problem${errors.length === 1 ? "" : "s"}; nothing was generated.`,
    );
    process.exit(1);
  }
  const kb = (s: string) => `${(Buffer.byteLength(s) / 1000).toFixed(1)} kB`;
  console.log(
    `templates: digest HTML ${kb(html)}, text ${kb(text)} (${hash}) → ${relative(process.cwd(), values.out!)}`,
  );
}
