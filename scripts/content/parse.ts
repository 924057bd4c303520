/**
 * Parses and validates content files: YAML front matter + Markdown body.
 *
 * Pure (strings in, data and errors out) so the same code runs in the build (Node) and in the
 * tests (workerd). Every error names the file and line and says what was expected, because the
 * operator reading it has only the file open in an editor.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node as YamlNode } from "yaml";
import { stripUnsafeChars } from "../../src/model/safe-text.ts";
import { monthWithoutYear, relativeDate } from "../../src/model/standalone.ts";
import { EDITORIAL_KEYS, type EditorialFields, parseEditorial } from "./editorial.ts";
import { PLACEHOLDERS } from "./new-article-template.ts";
import { findMarkup, lineProblem, markupMessage, PLAIN_TEXT_MAX } from "./plain-text.ts";
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
export interface ArticleSource extends EditorialFields {
  readonly path: string;
  readonly slug: string;
  readonly id: string;
  readonly idLine: number;
  readonly title: string;
  readonly published: string;
  readonly updated: string | null;
  readonly dateNote: string | null;
  readonly source: string;
  readonly sourceUrl: string | null;
  readonly authors: readonly string[];
  readonly tags: readonly string[];
  readonly summary: string;
  readonly markdown: string;
  /** The file line `markdown` starts on: the analysis at publish names lines (`file:line`). */
  readonly markdownLine: number;
}

export const REQUIRED_KEYS = ["id", "title", "date", "source", "tags", "summary"] as const;
export const OPTIONAL_KEYS = [
  "updated",
  "date_note",
  "source_url",
  "authors",
  ...EDITORIAL_KEYS,
] as const;
const KNOWN_KEYS: ReadonlySet<string> = new Set([...REQUIRED_KEYS, ...OPTIONAL_KEYS]);
/**
 * Text fields shown as plain text everywhere, with their longest (the editorial ones are checked
 * in editorial.ts).
 */
const PLAIN_TEXT_KEYS: ReadonlyMap<string, number> = new Map([
  ["title", PLAIN_TEXT_MAX.title],
  ["source", PLAIN_TEXT_MAX.source],
  ["summary", PLAIN_TEXT_MAX.summary],
  ["date_note", PLAIN_TEXT_MAX.dateNote],
]);

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// RFC 3339 date-time: the offset is mandatory, so a date means one instant wherever it is built.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ZONELESS = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
/** `content/2024/foo-bar.md` → `foo-bar`. */
export function slugFromPath(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base.endsWith(".md") ? base.slice(0, -3) : base;
}

interface Fields {
  get(key: string): { value: unknown; line: number } | undefined;
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

  const entries = new Map<string, { value: unknown; line: number; node: unknown }>();
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = nodeLine(pair.key);
    if (!KNOWN_KEYS.has(key)) {
      const hint = closestKey(key);
      fail(line, `unknown front-matter key "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}: expected one of ${[...KNOWN_KEYS].join(", ")}`);
      continue;
    }
    const valueNode = pair.value;
    entries.set(key, { value: isScalar(valueNode) ? valueNode.value : (valueNode as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null, line, node: valueNode });
  }
  const fields: Fields = { get: (key) => entries.get(key) };

  /**
   * Refuses markup in a plain-text value (plain-text.ts), on the line the markup is on: a value
   * may span lines (a folded or block scalar), so the markup is looked for in the node's source.
   * Then refuses a line break or more than `max` characters, on the value's first line.
   */
  const plainText = (what: string, value: string, node: unknown, max: number) => {
    const problem = lineProblem(value, max);
    if (problem !== null) fail(nodeLine(node), `${what} ${problem}`);
    const markup = findMarkup(value);
    if (markup === null) return;
    const at = isNodeWithRange(node) ? yamlText.indexOf(markup.needle, node.range[0]) : -1;
    const line = isNodeWithRange(node) && at !== -1 && at < node.range[1] ? lineAt(at) : nodeLine(node);
    fail(line, `${what} ${markupMessage(markup)}`);
  };

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

  for (const key of REQUIRED_KEYS) {
    if (!entries.has(key)) fail(close + 1, `missing required field "${key}": expected ${describe(key)}`);
  }

  const str = (key: string, required: boolean): string | null => {
    const f = fields.get(key);
    if (!f) return null;
    if (f.value === null || f.value === undefined || (typeof f.value === "string" && f.value.trim() === "")) {
      if (required) fail(f.line, `field "${key}" is empty: expected ${describe(key)}`);
      else fail(f.line, `field "${key}" is empty: expected ${describe(key)}, or remove the line`);
      return null;
    }
    if (typeof f.value !== "string") {
      fail(f.line, `field "${key}" must be text, got ${typeName(f.value)}: expected ${describe(key)}`);
      return null;
    }
    const clean = stripUnsafeChars(f.value.trim());
    const max = PLAIN_TEXT_KEYS.get(key);
    if (max !== undefined) plainText(`field "${key}"`, clean, entries.get(key)!.node, max);
    return clean;
  };

  const id = str("id", true);
  if (id !== null && !UUID_URN.test(id)) {
    fail(fields.get("id")!.line, `field "id" is "${id}": expected "urn:uuid:" and a lowercase UUID, e.g. urn:uuid:${"0b9e4b1c-6f1e-4c55-9d53-3f0c2a9f5e21"} (npm run new-article makes one)`);
  }
  const title = str("title", true);
  const source = str("source", true);
  const summary = str("summary", true);
  if (summary !== null) {
    // The summary is shown on its own (lists, feeds, the digest's articles): dates absolute.
    const relative = relativeDate(summary) ?? monthWithoutYear(summary);
    if (relative !== null) {
      fail(fields.get("summary")!.line, `field "summary" has the date "${relative}" without its year or relative to the article: expected an absolute date with its year, e.g. "on 18 October 2024"`);
    }
  }
  const dateNote = str("date_note", false);

  const date = (key: "date" | "updated", required: boolean): string | null => {
    const value = str(key, required);
    if (value === null) return null;
    const line = fields.get(key)!.line;
    const m = RFC3339.exec(value);
    if (!m) {
      if (ZONELESS.test(value)) {
        fail(line, `field "${key}" is "${value}", which has no UTC offset: expected an ISO 8601 date-time with an offset, e.g. ${suggestDate(value)}`);
      } else {
        fail(line, `field "${key}" is "${value}", which is not a date-time: expected ISO 8601 with a UTC offset, e.g. 2024-10-22T09:30:00+09:00`);
      }
      return null;
    }
    const [, y, mo, d, h, mi, s, , zone] = m;
    const time = Date.parse(value);
    const probe = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
    if (Number.isNaN(time) || probe.getUTCDate() !== +d! || probe.getUTCMonth() !== +mo! - 1 || +h! > 23 || +mi! > 59 || +s! > 59 || !validZone(zone!)) {
      fail(line, `field "${key}" is "${value}", which is not a real date and time: expected ISO 8601 with a UTC offset, e.g. 2024-10-22T09:30:00+09:00`);
      return null;
    }
    if (time > now.getTime()) {
      fail(line, `field "${key}" is ${value}, which is in the future (the build ran at ${now.toISOString()}): expected the time the article was published`);
      return null;
    }
    return value;
  };
  const published = date("date", true);
  const updated = date("updated", false);
  if (published !== null && updated !== null && Date.parse(updated) < Date.parse(published)) {
    fail(fields.get("updated")!.line, `field "updated" (${updated}) is before "date" (${published}): expected the time of a change made after publication`);
  }

  let sourceUrl: string | null = null;
  const rawUrl = str("source_url", false);
  if (rawUrl !== null) {
    if (/^https?:\/\/[^\s/]+\.[^\s/]+(\/\S*)?$/.test(rawUrl) && URL.canParse(rawUrl)) sourceUrl = rawUrl;
    else fail(fields.get("source_url")!.line, `field "source_url" is "${rawUrl}": expected an absolute http(s) URL, e.g. https://asiatimes.com/2024/10/…`);
  }

  const list = (key: "tags" | "authors", required: boolean, check?: (item: string, line: number, node: unknown) => boolean): string[] => {
    const f = entries.get(key);
    if (!f) return [];
    if (!isSeq(f.node)) {
      fail(f.line, `field "${key}" must be a YAML list, got ${typeName(f.value)}: expected ${describe(key)}`);
      return [];
    }
    if (f.node.items.length === 0) {
      if (required) fail(f.line, `field "${key}" is empty: expected ${describe(key)}`);
      return [];
    }
    const out: string[] = [];
    for (const item of f.node.items) {
      const line = nodeLine(item);
      const value = isScalar(item) ? item.value : null;
      if (typeof value !== "string" || value.trim() === "") {
        fail(line, `an item of "${key}" is ${typeof value === "string" ? "empty" : typeName(value)}: expected ${describe(key)}`);
        continue;
      }
      const clean = stripUnsafeChars(value.trim());
      if (check && !check(clean, line, item)) continue;
      if (out.includes(clean)) {
        fail(line, `"${clean}" is listed twice in "${key}": expected each once`);
        continue;
      }
      out.push(clean);
    }
    return out;
  };
  const tags = list("tags", true, (tag, line) => {
    if (!KEBAB.test(tag)) {
      fail(line, `tag "${tag}" is not kebab case: expected lowercase words joined by single hyphens, e.g. ${toKebab(tag) || "north-korea"}`);
      return false;
    }
    if (tag.length > PLAIN_TEXT_MAX.tag) {
      fail(line, `tag "${tag}" is ${tag.length} characters long: expected at most ${PLAIN_TEXT_MAX.tag}`);
      return false;
    }
    return true;
  });
  const authors = list("authors", false, (author, _line, node) => {
    plainText(`an item of "authors"`, author, node, PLAIN_TEXT_MAX.author);
    return true;
  });
  const editorial = parseEditorial(entries, fail, nodeLine, plainText);

  // npm run new-article's placeholders are valid values, so nothing else would catch them.
  const placeholder = (what: string, line: number, key: string) =>
    fail(line, `${what} is still npm run new-article's placeholder: expected ${describe(key)}`);
  for (const key of ["title", "source", "summary"] as const) {
    const f = entries.get(key);
    if (typeof f?.value === "string" && f.value.trim() === PLACEHOLDERS[key]) placeholder(`field "${key}"`, f.line, key);
  }
  const keyPoints = entries.get("key_points")?.node;
  if (isSeq(keyPoints)) {
    for (const item of keyPoints.items) {
      const value = isScalar(item) ? item.value : null;
      if (typeof value === "string" && (PLACEHOLDERS.key_points as readonly string[]).includes(value.trim())) placeholder(`an item of "key_points"`, nodeLine(item), "key_points");
    }
  }
  if (markdown.startsWith(PLACEHOLDERS.body)) placeholder("the article's body", bodyLine + Math.max(0, lines.slice(close + 1).findIndex((l) => l.trim() !== "")), "body");

  if (markdown === "") fail(bodyLine > lines.length ? close + 1 : bodyLine, `the article has no body: expected the article's text in Markdown after the closing "---"`);

  if (errors.length > 0 || id === null || title === null || published === null || source === null || summary === null) {
    return { article: null, errors };
  }
  return {
    article: {
      path: file.path,
      slug,
      id,
      idLine: fields.get("id")!.line,
      title,
      published,
      updated,
      dateNote,
      source,
      sourceUrl,
      authors,
      tags,
      summary,
      markdown: stripUnsafeChars(markdown),
      markdownLine: bodyLine + Math.max(0, lines.slice(close + 1).findIndex((l) => l.trim() !== "")),
      ...editorial,
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

function describe(key: string): string {
  switch (key) {
    case "id": return 'a permanent id, "urn:uuid:" and a UUID';
    case "title": return "the headline as text";
    case "date": return "the publication time, ISO 8601 with a UTC offset, e.g. 2024-10-22T09:30:00+09:00";
    case "updated": return "the time of the last change, ISO 8601 with a UTC offset";
    case "date_note": return "a sentence saying how an approximate date was established";
    case "source": return "the publication's name, e.g. Asia Times";
    case "source_url": return "the original article's absolute http(s) URL";
    case "authors": return "a YAML list of author names";
    case "tags": return "a YAML list of kebab-case tags, e.g. [russia, north-korea]";
    case "summary": return "one or two sentences of plain text";
    case "key_points": return "a YAML list of 2 to 6 standalone sentences";
    case "body": return "the brief in our own words, in Markdown";
    case "claims": return "a YAML list of figures with figure, counts, claimant and status";
    case "story": return "a kebab-case story id from content/stories.yaml";
    case "editor_note": return "a correction of the source, as a sentence or two";
    case "date_approximate": return "true when the date is an estimate";
    case "source_author": return "the original's author";
    default: return "a value";
  }
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return "text";
  return `a ${typeof value} (${String(value)})`;
}

function validZone(zone: string): boolean {
  if (zone === "Z") return true;
  const [h, m] = zone.slice(1).split(":").map(Number);
  return h! <= 23 && m! <= 59;
}

function suggestDate(value: string): string {
  const [day, time = "00:00:00"] = value.split(/[T ]/);
  const full = time.length === 5 ? `${time}:00` : time;
  return `${day}T${full}Z (UTC) or ${day}T${full}+09:00`;
}

function toKebab(text: string): string {
  return text.normalize("NFKD").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
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
