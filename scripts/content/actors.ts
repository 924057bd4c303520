/**
 * Parses and validates content/actors.yaml, the summary's watch list. Pure, like parse.ts:
 * errors are `file:line: what is wrong: what is expected`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Actor } from "../../src/digest/summary/actors.ts";
import type { ContentError, SourceFile } from "./parse.ts";

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KINDS = ["country", "leader", "institution", "organization"];
const SIDES = ["axis", "counterpart"];
const KEYS = new Set(["id", "name", "kind", "side", "part_of", "aliases"]);

export function parseActors(file: SourceFile): { actors: Actor[]; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const fail = (line: number, message: string) => errors.push({ path: file.path, line, message });
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: unknown) => {
    const range = (node as { range?: [number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) fail(lineCounter.linePos(e.pos[0]).line, `not valid YAML: ${e.message.split("\n")[0]}`);
    return { actors: [], errors };
  }
  const list = isMap(doc.contents) ? doc.contents.get("actors", true) : null;
  if (!isSeq(list)) {
    fail(1, 'expected a top-level "actors:" list');
    return { actors: [], errors };
  }
  const actors: Actor[] = [];
  const lines = new Map<string, number>();
  const aliasOwner = new Map<string, string>();
  for (const item of list.items) {
    const line = lineOf(item);
    if (!isMap(item)) {
      fail(line, "each actor must be a mapping with id, name, kind, side and aliases");
      continue;
    }
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!KEYS.has(key)) fail(lineOf(pair.key), `unknown key "${key}": expected one of ${[...KEYS].join(", ")}`);
    }
    const text = (key: string): string | null => {
      const v = item.get(key);
      return typeof v === "string" && v.trim() !== "" ? v.trim() : null;
    };
    const id = text("id");
    const name = text("name");
    const kind = text("kind");
    const side = text("side");
    const partOf = text("part_of");
    if (id === null || !KEBAB.test(id)) fail(line, `actor id ${id === null ? "is missing" : `"${id}" is not kebab case`}: expected e.g. north-korea`);
    else if (lines.has(id)) fail(line, `duplicate actor id "${id}", already used on line ${lines.get(id)}: expected each id once`);
    if (name === null) fail(line, `actor "${id ?? "?"}" has no name: expected the name to show, e.g. North Korea`);
    if (kind === null || !KINDS.includes(kind)) fail(line, `actor "${id ?? "?"}" has kind "${kind ?? ""}": expected one of ${KINDS.join(", ")}`);
    if (side === null || !SIDES.includes(side)) fail(line, `actor "${id ?? "?"}" has side "${side ?? ""}": expected one of ${SIDES.join(", ")}`);
    const aliasNode = item.get("aliases", true);
    const aliases: string[] = [];
    if (!isSeq(aliasNode) || aliasNode.items.length === 0) {
      fail(line, `actor "${id ?? "?"}" has no aliases: expected a list of the names articles use, e.g. [North Korea, DPRK, Pyongyang]`);
    } else {
      for (const a of aliasNode.items) {
        const value = isScalar(a) ? String(a.value ?? "").trim() : "";
        if (value === "") {
          fail(lineOf(a), `an alias of "${id ?? "?"}" is empty: expected a name`);
          continue;
        }
        const owner = aliasOwner.get(value);
        if (owner !== undefined && owner !== id) fail(lineOf(a), `alias "${value}" of "${id}" is also an alias of "${owner}": expected each alias to name one actor`);
        aliasOwner.set(value, id ?? "?");
        if (!aliases.includes(value)) aliases.push(value);
      }
    }
    if (id !== null && !lines.has(id)) lines.set(id, line);
    if (id && name && kind && side && KINDS.includes(kind) && SIDES.includes(side)) {
      actors.push({ id, name, kind: kind as Actor["kind"], side: side as Actor["side"], partOf, aliases });
    }
  }
  for (const a of actors) {
    if (a.partOf !== null && !lines.has(a.partOf)) {
      fail(lines.get(a.id) ?? 1, `actor "${a.id}" has part_of "${a.partOf}", which is not an actor id: expected the id of a country or organization in this file`);
    }
  }
  return { actors, errors };
}
