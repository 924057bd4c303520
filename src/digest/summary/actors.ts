/** Finding the watch list's actors in text. */
import type { Actor } from "../../model/actor.ts";
import { withoutCommentators } from "./commentators.ts";

export type { Actor, ActorKind, ActorSide } from "../../model/actor.ts";

export interface ActorMatcher {
  /** Top-level actor ids named in `text` (a leader counts as their country). */
  find(text: string): Set<string>;
  /** Those acting in `text`: named outside a commentator's description (commentators.ts). */
  acting(text: string): Set<string>;
  readonly byId: ReadonlyMap<string, Actor>;
}

/** Curly apostrophes and quotes as ASCII, so "People’s Army" matches "People's Army". */
export function normalizeQuotes(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2010-\u2013]/g, "-");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function createActorMatcher(actors: readonly Actor[]): ActorMatcher {
  const byId = new Map(actors.map((a) => [a.id, a] as const));
  const root = (a: Actor): string =>
    a.partOf && byId.has(a.partOf) ? root(byId.get(a.partOf)!) : a.id;
  const aliasToRoot = new Map<string, string>();
  for (const a of actors)
    for (const alias of a.aliases) aliasToRoot.set(normalizeQuotes(alias), root(a));
  // Longest alias first, so "North Korean" wins over "Korean…" prefixes and "U.S." over "US".
  const aliases = [...aliasToRoot.keys()].sort((x, y) => y.length - x.length);
  const pattern =
    aliases.length === 0
      ? null
      : new RegExp(
          `(?<![\\p{L}\\p{N}])(?:${aliases.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}])`,
          "gu",
        );
  const find = (text: string): Set<string> => {
    const found = new Set<string>();
    if (pattern === null) return found;
    for (const m of normalizeQuotes(text).matchAll(pattern)) found.add(aliasToRoot.get(m[0])!);
    return found;
  };
  return { byId, find, acting: (text) => find(withoutCommentators(normalizeQuotes(text))) };
}
