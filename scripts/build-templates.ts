/**
 * Build step: templates/digest.mjml (+ templates/partials/) and templates/digest.txt →
 * src/generated/email-templates.ts, the module src/digest/email/render.ts fills with Mustache.
 *
 *   node scripts/build-templates.ts [--templates DIR] [--out FILE]
 *
 * MJML runs here only: it needs Node (fs, juice, cheerio) and cannot run in workerd, so the
 * Worker ships the compiled HTML as a string. Any MJML validation error, or a Mustache tag that
 * did not survive compilation, stops the build with `file:line: message` and leaves the
 * previous generated module untouched.
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
    "",
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
