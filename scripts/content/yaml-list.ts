/**
 * The shape shared by content/actors.yaml and content/stories.yaml: a top-level list of
 * mappings with known keys. Reads it, reporting `file:line` errors for invalid YAML, a missing
 * list, items that are not mappings, unknown keys and YAML tags (as in articles' front matter,
 * parse.ts), and hands each valid item to the caller.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type YAMLMap } from "yaml";
import type { ContentError, SourceFile } from "./parse.ts";

export interface YamlListItem {
  readonly node: YAMLMap;
  readonly line: number;
}

export function readYamlList(
  file: SourceFile,
  spec: { readonly list: string; readonly keys: ReadonlySet<string>; readonly itemHint: string },
): {
  items: YamlListItem[];
  errors: ContentError[];
  fail: (line: number, message: string) => void;
  lineOf: (node: unknown) => number;
} {
  const errors: ContentError[] = [];
  const fail = (line: number, message: string) => errors.push({ path: file.path, line, message });
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: unknown) => {
    const range = (node as { range?: [number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  const items: YamlListItem[] = [];
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      fail(lineCounter.linePos(e.pos[0]).line, `not valid YAML: ${e.message.split("\n")[0]}`);
    }
    return { items, errors, fail, lineOf };
  }
  visit(doc, {
    Node(_, node) {
      if (node.tag === undefined) return;
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
      fail(lineOf(node), `has the YAML tag ${tag}: expected plain values (text, lists) without tags`);
    },
  });
  const list = isMap(doc.contents) ? doc.contents.get(spec.list, true) : null;
  if (!isSeq(list)) {
    fail(1, `expected a top-level "${spec.list}:" list`);
    return { items, errors, fail, lineOf };
  }
  for (const item of list.items) {
    const line = lineOf(item);
    if (!isMap(item)) {
      fail(line, `each ${spec.itemHint}`);
      continue;
    }
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!spec.keys.has(key)) {
        fail(lineOf(pair.key), `unknown key "${key}": expected one of ${[...spec.keys].join(", ")}`);
      }
    }
    items.push({ node: item, line });
  }
  return { items, errors, fail, lineOf };
}
