/**
 * Parses and validates content/actors.yaml, the summary's watch list. Pure, like parse.ts:
 * errors are `file:line: what is wrong: what is expected`.
 */
import { isScalar, isSeq } from "yaml";
import type { Actor } from "../../src/model/actor.ts";
import type { ContentError, SourceFile } from "./parse.ts";
import { findMarkup, markupMessage } from "./plain-text.ts";
import { readYamlList } from "./yaml-list.ts";

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KINDS = ["country", "leader", "institution", "organization"];
const SIDES = ["axis", "counterpart"];
const KEYS = new Set(["id", "name", "kind", "side", "part_of", "aliases"]);

export function parseActors(file: SourceFile): { actors: Actor[]; errors: ContentError[] } {
  const { items, errors, fail, lineOf } = readYamlList(file, {
    list: "actors",
    keys: KEYS,
    itemHint: "actor must be a mapping with id, name, kind, side and aliases",
  });
  const actors: Actor[] = [];
  const lines = new Map<string, number>();
  const aliasOwner = new Map<string, string>();
  for (const { node: item, line } of items) {
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
    const markup = name === null ? null : findMarkup(name);
    if (markup !== null) fail(lineOf(item.get("name", true)), `actor "${id ?? "?"}" name ${markupMessage(markup)}`);
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
