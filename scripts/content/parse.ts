/**
 * Parses and validates content files: YAML front matter + Markdown body.
 *
 * Pure (strings in, data and errors out) so the same code runs in the build (Node) and in the
 * tests (workerd). Every error names the file and line and says what was expected, because the
 * operator reading it has only the file open in an editor.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { stripUnsafeChars } from "../../src/model/safe-text.ts";
import { type ArticleFields, articleSchema, FIELDS, fieldByKey, fieldByName } from "./article-schema.ts";
import { placeholderMessage } from "./fields.ts";
import { PLACEHOLDER_BODY } from "./new-article-template.ts";
import { checkRivalClaims } from "./rival-claims.ts";

export { stripUnsafeChars };

export interface SourceFile {
  /** Path as shown in messages, e.g. `content/foo.md`. */
  readonly path: string;
  readonly text: string;
}

export interface ContentError {
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

/** An article's front matter and Markdown body, validated but not yet rendered. */
export interface ArticleSource extends ArticleFields {
  readonly path: string;
  readonly slug: string;
  readonly idLine: number;
  /** The line of `story`, and of each claim: for errors only the whole collection can find. */
  readonly storyLine: number;
  readonly claimLines: readonly number[];
  readonly markdown: string;
  /** The file line `markdown` starts on: the analysis at publish names lines (`file:line`). */
  readonly markdownLine: number;
}

export const REQUIRED_KEYS = FIELDS.filter((f) => f.required).map((f) => f.key);
const KNOWN_KEYS: readonly string[] = FIELDS.map((f) => f.key);

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** `content/2024/foo-bar.md` → `foo-bar`. */
export function slugFromPath(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base.endsWith(".md") ? base.slice(0, -3) : base;
}

/**
 * Parses one file. Returns the article, or the errors found (all of them, not just the first,
 * so one build run shows everything to fix).
 */
export function parseArticleFile(
  file: SourceFile,
  now: Date,
): { article: ArticleSource; errors: [] } | { article: null; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const fail = (line: number, message: string) => errors.push({ path: file.path, line, message });
  const text = file.text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const slug = slugFromPath(file.path);
  if (!KEBAB.test(slug)) {
    fail(1, `file name "${slug}.md" does not make a kebab-case slug: expected lowercase letters, digits and single hyphens, e.g. north-korea-troops.md`);
  }

  const lines = text.split("\n");
  if (lines[0]?.trim() !== "---") {
    fail(1, `no front matter: expected the file to start with a line "---", then YAML fields (${REQUIRED_KEYS.join(", ")}), then "---" and the article in Markdown`);
    return { article: null, errors };
  }
  const close = lines.findIndex((line, i) => i > 0 && line.trim() === "---");
  if (close === -1) {
    fail(1, `front matter is not closed: expected a line "---" after the YAML fields`);
    return { article: null, errors };
  }
  const yamlText = lines.slice(1, close).join("\n");
  const markdown = lines.slice(close + 1).join("\n").trim();
  const bodyLine = close + 2;
  const markdownLine = bodyLine + Math.max(0, lines.slice(close + 1).findIndex((l) => l.trim() !== ""));

  // Line numbers in the file = line in the YAML + 1 (the opening "---").
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line + 1);
  const nodeLine = (node: unknown) => lineAt(isNodeWithRange(node) ? node.range[0] : undefined);
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      fail(lineAt(e.pos[0]), `front matter is not valid YAML: ${e.message.split("\n")[0]}`);
    }
    return { article: null, errors };
  }
  if (!isMap(doc.contents)) {
    fail(2, `front matter must be YAML "key: value" fields: expected ${REQUIRED_KEYS.join(", ")}`);
    return { article: null, errors };
  }

  /** Each known field's line (of its key) and value node; the schema gets plain values. */
  const entries = new Map<string, { line: number; node: unknown }>();
  const input: Record<string, unknown> = {};
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = nodeLine(pair.key);
    const field = fieldByKey(key);
    if (!field) {
      const hint = closestKey(key);
      fail(line, `unknown front-matter key "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}: expected one of ${KNOWN_KEYS.join(", ")}`);
      continue;
    }
    const valueNode = pair.value;
    entries.set(key, { line, node: valueNode });
    input[field.name] = isScalar(valueNode) ? valueNode.value : ((valueNode as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null);
  }

  // YAML tags (`!!js/function`, `!!binary`, `!custom`) ask a loader to build something other
  // than text, numbers and lists; front matter holds only those, so a tag is a mistake or an
  // attack, never meant. The yaml package leaves unknown ones as strings, with a warning no one
  // would see.
  visit(doc, {
    Node(_, node) {
      if (node.tag === undefined) return;
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
      fail(nodeLine(node), `front matter has the YAML tag ${tag}: expected plain values (text, dates, lists) without tags`);
    },
  });

  /**
   * The line of what an issue's path names: a field's key, a list item, a claim's key; the line
   * of the closing "---" for a missing field. Markup is found by its text (`needle`), since a
   * value may span lines (a folded or block scalar).
   */
  const issueLine = (issue: z.core.$ZodIssue): number => {
    const [name, ...rest] = issue.path;
    const entry = entries.get(fieldByName(String(name))?.key ?? "");
    if (!entry) return close + 1;
    let { line, node } = entry;
    for (const step of rest) {
      if (isSeq(node) && typeof step === "number" && node.items[step] !== undefined) {
        node = node.items[step];
        line = nodeLine(node);
      } else if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
        if (!pair) break;
        line = nodeLine(pair.key);
        node = pair.value;
      } else break;
    }
    const needle = (issue as { params?: { needle?: unknown } }).params?.needle;
    if (typeof needle === "string" && isNodeWithRange(node)) {
      const at = yamlText.indexOf(needle, node.range[0]);
      if (at !== -1 && at < node.range[1]) return lineAt(at);
    }
    return line;
  };

  const parsed = articleSchema(now).safeParse(input);
  for (const issue of parsed.error?.issues ?? []) {
    const field = fieldByName(String(issue.path[0]));
    if (field && !entries.has(field.key)) {
      // Only a required field can be missing: the optional ones default.
      fail(close + 1, `missing required field "${field.key}": expected ${field.expected}`);
    } else {
      fail(issueLine(issue), issue.message);
    }
  }

  // npm run new-article's placeholders are valid values, so nothing else would catch them.
  if (markdown.startsWith(PLACEHOLDER_BODY)) {
    fail(markdownLine, placeholderMessage("the article's body", "the brief in our own words, in Markdown"));
  }
  if (markdown === "") fail(bodyLine > lines.length ? close + 1 : bodyLine, `the article has no body: expected the article's text in Markdown after the closing "---"`);

  if (errors.length > 0 || !parsed.success) return { article: null, errors };
  const claims = entries.get("claims")?.node;
  return {
    article: {
      path: file.path,
      slug,
      idLine: entries.get("id")!.line,
      storyLine: entries.get("story")?.line ?? 1,
      claimLines: isSeq(claims) ? claims.items.map(nodeLine) : [],
      ...parsed.data,
      markdown: stripUnsafeChars(markdown),
      markdownLine,
    },
    errors: [],
  };
}

/**
 * Parses every file and checks what only the whole collection can show: duplicate ids, slugs,
 * and claims that share a subject without counting the same thing.
 */
export function parseContent(files: readonly SourceFile[], now: Date): { articles: ArticleSource[]; errors: ContentError[] } {
  const parsed: ArticleSource[] = [];
  const errors: ContentError[] = [];
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const result = parseArticleFile(file, now);
    if (result.article === null) errors.push(...result.errors);
    else parsed.push(result.article);
  }
  const { articles, errors: shared } = withoutDuplicates(parsed);
  errors.push(...shared, ...checkRivalClaims(articles));
  return { articles, errors };
}

/** What the checks across files need of an article (publish keeps it per file between runs). */
export interface ArticleKeys {
  readonly path: string;
  readonly slug: string;
  readonly id: string;
  readonly idLine: number;
}

/**
 * `articles` (in path order) without those whose id or slug an earlier one has, and an error for
 * each of those: ids and slugs are unique across content/.
 */
export function withoutDuplicates<T extends ArticleKeys>(parsed: readonly T[]): { articles: T[]; errors: ContentError[] } {
  const articles: T[] = [];
  const errors: ContentError[] = [];
  const byId = new Map<string, T>();
  const bySlug = new Map<string, T>();
  for (const a of parsed) {
    const sameId = byId.get(a.id);
    const sameSlug = bySlug.get(a.slug);
    if (sameId) {
      errors.push({ path: a.path, line: a.idLine, message: `duplicate id "${a.id}", already used by ${sameId.path}:${sameId.idLine}: expected every article to have its own id (npm run new-article makes one)` });
    } else if (sameSlug) {
      errors.push({ path: a.path, line: 1, message: `duplicate slug "${a.slug}", already used by ${sameSlug.path}: expected each file name to be unique across content/` });
    } else {
      byId.set(a.id, a);
      bySlug.set(a.slug, a);
      articles.push(a);
    }
  }
  return { articles, errors };
}

export function formatError(e: ContentError): string {
  return `${e.path}:${e.line}: ${e.message}`;
}

function closestKey(key: string): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const known of KNOWN_KEYS) {
    const d = editDistance(key.toLowerCase(), known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function isNodeWithRange(node: unknown): node is YamlNode & { range: [number, number, number] } {
  return typeof node === "object" && node !== null && Array.isArray((node as { range?: unknown }).range);
}
