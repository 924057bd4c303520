/**
 * Parses content/stories.yaml: the developing stories briefs can belong to (front matter
 * `story`), each with the title readers see on /stories/{id} and in the digest. Pure, like
 * parse.ts: errors are `file:line: what is wrong: what is expected`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Story } from "../../src/model/article.ts";
import type { ContentError, SourceFile } from "./parse.ts";

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KEYS = new Set(["id", "title"]);

export function parseStories(file: SourceFile): { stories: Story[]; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const fail = (line: number, message: string) => errors.push({ path: file.path, line, message });
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: unknown) => {
    const range = (node as { range?: [number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      fail(lineCounter.linePos(e.pos[0]).line, `not valid YAML: ${e.message.split("\n")[0]}`);
    }
    return { stories: [], errors };
  }
  const list = isMap(doc.contents) ? doc.contents.get("stories", true) : null;
  if (!isSeq(list)) {
    fail(1, 'expected a top-level "stories:" list of items with id and title');
    return { stories: [], errors };
  }
  const stories: Story[] = [];
  const seen = new Map<string, number>();
  for (const item of list.items) {
    const line = lineOf(item);
    if (!isMap(item)) {
      fail(line, "each story must be a mapping with id and title");
      continue;
    }
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!KEYS.has(key)) fail(lineOf(pair.key), `unknown key "${key}": expected id and title`);
    }
    const id = item.get("id");
    const title = item.get("title");
    if (typeof id !== "string" || !KEBAB.test(id)) {
      fail(line, `story id ${typeof id === "string" ? `"${id}" is not kebab case` : "is missing"}: expected e.g. north-korean-troops-for-russia`);
      continue;
    }
    if (seen.has(id)) {
      fail(line, `duplicate story id "${id}", already on line ${seen.get(id)}: expected each id once`);
      continue;
    }
    seen.set(id, line);
    if (typeof title !== "string" || title.trim() === "") {
      fail(line, `story "${id}" has no title: expected the title readers see, e.g. "North Korean troops for Russia's war"`);
      continue;
    }
    stories.push({ id, title: title.trim() });
  }
  return { stories, errors };
}
