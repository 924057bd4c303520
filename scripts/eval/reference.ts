/**
 * The reference facts of the digest evaluation (test/fixtures/digest-reference.yaml): for each
 * source page, by the slug of the article made from it, what its summary should tell. Each fact
 * quotes the page (`says`) and lists the phrase groups an item must hold (`match`, phrases.ts).
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { PhraseGroups } from "./phrases.ts";

export interface ReferenceFact {
  /** The article (and source page) it belongs to. */
  readonly slug: string;
  /** The page's own words. */
  readonly says: string;
  readonly match: PhraseGroups;
  /** `file:line` of the fact, for messages. */
  readonly at: string;
}

/** Slug → its facts. */
export type Reference = ReadonlyMap<string, readonly ReferenceFact[]>;

/** Bad input names the file and line and says what was expected. */
export class ReferenceError extends Error {}

/** Parses reference YAML; `path` is only for messages. */
export function parseReference(path: string, text: string): Reference {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (node: unknown) => {
    const offset = (node as { range?: [number] } | null)?.range?.[0];
    return `${path}:${offset === undefined ? 1 : lines.linePos(offset).line}`;
  };
  const fail = (node: unknown, message: string): never => {
    throw new ReferenceError(`${at(node)}: ${message}`);
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ReferenceError(
      `${path}:${lines.linePos(e.pos[0]).line}: not valid YAML: ${e.message.split("\n")[0]}`,
    );
  }
  const root = doc.contents;
  const pages = isMap(root) ? root.get("pages", true) : null;
  if (!isMap(pages)) {
    return fail(root, `expected "pages:", a mapping of article slugs to lists of facts`);
  }
  const out = new Map<string, ReferenceFact[]>();
  for (const pair of pages.items) {
    const slug = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!isSeq(pair.value)) {
      return fail(pair.key, `"${slug}" must be a list of facts, each with "says" and "match"`);
    }
    const facts = pair.value.items.map((node) => readFact(node as YamlNode, slug, at, fail));
    out.set(slug, facts);
  }
  return out;
}

function readFact(
  node: YamlNode,
  slug: string,
  at: (node: unknown) => string,
  fail: (node: unknown, message: string) => never,
): ReferenceFact {
  if (!isMap(node)) return fail(node, `a fact of "${slug}" must have "says" and "match"`);
  const says = node.get("says", true);
  if (!isScalar(says) || typeof says.value !== "string" || says.value.trim() === "") {
    return fail(node, `a fact of "${slug}" has no "says": expected the page's words, quoted`);
  }
  const match = node.get("match", true);
  if (!isSeq(match) || match.items.length === 0) {
    return fail(node, `"match" must list groups of phrases, e.g. - [Rutte, NATO]`);
  }
  const groups = match.items.map((group) => {
    if (!isSeq(group) || group.items.length === 0) {
      return fail(group, `each group of "match" must be a list of phrases, e.g. [Rutte, NATO]`);
    }
    return group.items.map((phrase) => {
      const value = isScalar(phrase) ? phrase.value : null;
      // Figures may be written bare (1500); YAML reads them as numbers.
      if ((typeof value !== "string" && typeof value !== "number") || String(value).trim() === "") {
        return fail(phrase, `a phrase must be text, e.g. "1,500" or National Intelligence Service`);
      }
      return String(value);
    });
  });
  return { slug, says: says.value, match: groups, at: at(node) };
}

export function readReference(path: string): Reference {
  return parseReference(relative(process.cwd(), path) || path, readFileSync(path, "utf8"));
}
