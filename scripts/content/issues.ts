/**
 * content/issues/{week}.md: the editor's issue of a week (src/model/editor-issue.ts). Front
 * matter `subject` (required) and `preheader` (optional); the body, the introduction, is Markdown
 * rendered and sanitised exactly as article bodies are (markdown.ts). Problems are reported as
 * `file:line: what is wrong: what is expected`, like articles'.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { type DefaultTreeAdapterMap, parseFragment } from "parse5";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { parseWeek } from "../../src/lib/time.ts";
import {
  type EditorIssue,
  type IntroBlock,
  type IntroRun,
  ISSUE_LIMITS,
} from "../../src/model/editor-issue.ts";
import { renderMarkdown } from "./markdown.ts";
import { type ContentError, formatError } from "./parse.ts";
import { findMarkup, lineProblem, markupMessage } from "./plain-text.ts";

/** The folder under content/ (articles are every other .md file). */
export const ISSUES_DIR = "issues";
const KEYS = ["subject", "preheader"] as const;

export interface LoadedIssues {
  readonly issues: EditorIssue[];
  /** week → its file, relative to the working directory. */
  readonly files: Map<string, string>;
  /** `file:line: …`, one per problem; empty when valid. */
  readonly errors: string[];
}

/** Reads and validates every content/issues/*.md; no folder is no issues. */
export async function loadIssues(contentDir: string): Promise<LoadedIssues> {
  const dir = join(contentDir, ISSUES_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  const issues: EditorIssue[] = [];
  const errors: ContentError[] = [];
  const files = new Map<string, string>();
  for (const name of names.sort()) {
    if (!name.endsWith(".md") || name.toLowerCase() === "readme.md") continue;
    const path = relative(process.cwd(), join(dir, name)) || name;
    const parsed = parseIssueFile({ path, text: await readFile(join(dir, name), "utf8") });
    errors.push(...parsed.errors);
    if (parsed.issue) {
      issues.push(parsed.issue);
      files.set(parsed.issue.week, path);
    }
  }
  return { issues, files, errors: errors.map(formatError) };
}

/** One issue file: the issue, or the problems found (every one, with its line). */
export function parseIssueFile(file: { readonly path: string; readonly text: string }): {
  issue: EditorIssue | null;
  errors: ContentError[];
} {
  const errors: ContentError[] = [];
  const fail = (line: number, message: string) => errors.push({ path: file.path, line, message });
  const base = file.path.split(/[\\/]/).pop()!;
  const week = base.replace(/\.md$/, "");
  if (!/^\d{4}-W\d{2}$/.test(week) || parseWeek(week) === null)
    fail(
      1,
      `file name "${base}" is not an ISO week: expected content/issues/YYYY-Www.md with a week that exists in that year, e.g. 2024-W43.md`,
    );
  const lines = file.text.replace(/^\uFEFF/, "").split("\n");
  if (lines[0]?.trim() !== "---") {
    fail(1, `no front matter: expected the file to start with a line "---", then subject (and preheader), then "---" and the introduction in Markdown`);
    return { issue: null, errors };
  }
  const close = lines.findIndex((line, i) => i > 0 && line.trim() === "---");
  if (close === -1) {
    fail(1, `front matter is not closed: expected a line "---" after the fields`);
    return { issue: null, errors };
  }
  const counter = new LineCounter();
  const doc = parseDocument(lines.slice(1, close).join("\n"), {
    lineCounter: counter,
    uniqueKeys: true,
    prettyErrors: false,
  });
  // File line = YAML line + 1 (the opening "---").
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? 1 : counter.linePos(offset).line + 1;
  for (const e of doc.errors)
    fail(lineAt(e.pos[0]), `front matter is not valid YAML: ${e.message.split("\n")[0]}`);
  if (doc.errors.length > 0) return { issue: null, errors };
  const fields = new Map<string, { value: unknown; line: number }>();
  if (doc.contents !== null && !isMap(doc.contents))
    fail(2, `front matter is not a list of fields: expected "subject: …" (and "preheader: …")`);
  else
    for (const pair of doc.contents?.items ?? []) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const line = lineAt(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
      if (!(KEYS as readonly string[]).includes(key)) {
        fail(line, `unknown front-matter key "${key}": expected ${KEYS.join(" or ")}`);
        continue;
      }
      fields.set(key, { value: isScalar(pair.value) ? pair.value.value : pair.value, line });
    }

  /** A one-line plain-text field, or null (with a problem recorded). */
  const text = (key: (typeof KEYS)[number], required: boolean): string | null => {
    const f = fields.get(key);
    if (f === undefined) {
      if (required) fail(1, `field "${key}" is missing: expected the email's ${key} line`);
      return null;
    }
    if (f.value !== null && typeof f.value !== "string") {
      fail(f.line, `field "${key}" must be text, got ${typeof f.value}: expected one line of plain text`);
      return null;
    }
    const value = (f.value ?? "").trim();
    if (value === "") {
      fail(
        f.line,
        `field "${key}" is empty: expected one line of plain text${required ? "" : ", or remove the line"}`,
      );
      return null;
    }
    const markup = findMarkup(value);
    const problem = markup ? markupMessage(markup) : lineProblem(value, ISSUE_LIMITS[key]);
    if (problem !== null) {
      fail(f.line, `field "${key}" ${problem}`);
      return null;
    }
    return value;
  };
  const subject = text("subject", true);
  const preheader = fields.has("preheader") ? text("preheader", false) : null;
  const markdown = lines.slice(close + 1).join("\n").trim();
  const introHtml = markdown === "" ? "" : renderMarkdown(markdown);
  const introBlocks = introBlocksOf(introHtml);
  const chars = introBlocks.reduce((n, b) => n + b.runs.reduce((m, r) => m + r.text.length, 0), 0);
  if (chars > ISSUE_LIMITS.introChars)
    fail(
      close + 2,
      `the introduction is ${chars} characters long: expected at most ${ISSUE_LIMITS.introChars} (a few paragraphs; the digest follows it)`,
    );
  if (errors.length > 0 || subject === null) return { issue: null, errors };
  return { issue: { week, subject, preheader, introHtml, introBlocks }, errors };
}

type Node = DefaultTreeAdapterMap["childNode"];
const BLOCKS = new Set(["p", "li", "h2", "h3", "h4", "pre", "figcaption", "blockquote", "tr"]);

/**
 * The sanitised introduction as paragraphs of text and links, for the email: whatever markup
 * it had, the email shows only escaped text and the links' URLs (already http(s) or mailto:).
 */
export function introBlocksOf(html: string): IntroBlock[] {
  const blocks: IntroRun[][] = [];
  let current: IntroRun[] = [];
  const flush = () => {
    const runs = tidy(current);
    if (runs.length > 0) blocks.push(runs);
    current = [];
  };
  const walk = (node: Node, url: string | null) => {
    if (node.nodeName === "#text") {
      current.push({ text: (node as DefaultTreeAdapterMap["textNode"]).value, url });
      return;
    }
    if (!("tagName" in node)) return;
    const attr = (name: string) => node.attrs.find((a) => a.name === name)?.value ?? null;
    const block = BLOCKS.has(node.tagName);
    if (block) flush();
    if (node.tagName === "li") current.push({ text: "• ", url: null });
    if (node.tagName === "br") current.push({ text: " ", url });
    if (node.tagName === "img") current.push({ text: attr("alt") ?? "", url });
    const href = node.tagName === "a" ? attr("href") : null;
    for (const child of node.childNodes) walk(child, href ?? url);
    if (block) flush();
  };
  for (const child of parseFragment(html).childNodes) walk(child, null);
  flush();
  return blocks.map((runs) => ({ runs }));
}

/** Whitespace made single spaces, neighbours with the same link merged, ends trimmed. */
function tidy(runs: readonly IntroRun[]): IntroRun[] {
  const out: IntroRun[] = [];
  for (const r of runs) {
    const text = r.text.replace(/\s+/g, " ");
    const last = out.at(-1);
    if (last && last.url === r.url) out[out.length - 1] = { text: last.text + text, url: r.url };
    else if (text !== "") out.push({ text, url: r.url });
  }
  if (out.length > 0) out[0] = { ...out[0]!, text: out[0]!.text.trimStart() };
  if (out.length > 0) out[out.length - 1] = { ...out.at(-1)!, text: out.at(-1)!.text.trimEnd() };
  return out.filter((r) => r.text !== "");
}
