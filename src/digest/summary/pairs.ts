/**
 * "Who was active": watch-list actors acting together, counted per sentence or key point (two
 * actors merely named somewhere in the same article are not a pair), and how a pair reads.
 */
import type { Actor } from "../../model/actor.ts";
import type { ActorMatcher } from "./actors.ts";
import type { ActorPair } from "./model.ts";

/** How a pair reads in the summary ("Russia – North Korea: 2 mentions"); its words count toward the limit. */
export function pairLine(p: ActorPair): string {
  return `${pairNames(p.names)}: ${pairCount(p.mentions)}`;
}

export function pairNames(names: readonly [string, string]): string {
  return `${names[0]} – ${names[1]}`;
}

export function pairCount(mentions: number): string {
  return `together in ${mentions} item${mentions === 1 ? "" : "s"}`;
}

/** Counts of pairs and of single actors over the week's sentences. */
export interface ActorTally {
  readonly pairs: Map<string, number>;
  readonly actors: Map<string, number>;
}

export function newTally(): ActorTally {
  return { pairs: new Map(), actors: new Map() };
}

/** Adds one sentence's actors: each actor once, each pair with an axis actor once. */
export function tallySentence(
  tally: ActorTally,
  named: ReadonlySet<string>,
  matcher: ActorMatcher,
): void {
  const ids = [...named].sort();
  for (const id of ids) tally.actors.set(id, (tally.actors.get(id) ?? 0) + 1);
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = matcher.byId.get(ids[i]!)!;
      const b = matcher.byId.get(ids[j]!)!;
      // The summary follows the axis: a pair needs at least one axis actor.
      if (a.side !== "axis" && b.side !== "axis") continue;
      const key = `${a.id}\n${b.id}`;
      tally.pairs.set(key, (tally.pairs.get(key) ?? 0) + 1);
    }
  }
}

/**
 * Pairs by how often they act together, then by how prominent the two are in the week (how
 * many sentences name either), then axis pairs first; the names break remaining ties.
 */
export function rankPairs(tally: ActorTally, matcher: ActorMatcher): ActorPair[] {
  const prominence = (id: string) => tally.actors.get(id) ?? 0;
  return [...tally.pairs]
    .map(([key, n]) => {
      let [a, b] = key.split("\n").map((id) => matcher.byId.get(id)!) as [Actor, Actor];
      // Axis actor first, so pairs read "Russia – Ukraine", not "Ukraine – Russia"; then the
      // more prominent one.
      if (
        (a.side !== "axis" && b.side === "axis") ||
        (a.side === b.side && prominence(b.id) > prominence(a.id))
      ) {
        [a, b] = [b, a];
      }
      return {
        pair: { names: [a.name, b.name] as const, ids: [a.id, b.id] as const, mentions: n },
        weight: prominence(a.id) + prominence(b.id),
        both: a.side === "axis" && b.side === "axis",
      };
    })
    .sort(
      (x, y) =>
        y.pair.mentions - x.pair.mentions ||
        y.weight - x.weight ||
        Number(y.both) - Number(x.both) ||
        pairLine(x.pair).localeCompare(pairLine(y.pair)),
    )
    .map((x) => x.pair);
}

/** The actors of a one-article week, most named first (names break ties). */
export function rankActors(tally: ActorTally, matcher: ActorMatcher): string[] {
  return [...tally.actors]
    .sort(
      ([a, x], [b, y]) =>
        y - x || matcher.byId.get(a)!.name.localeCompare(matcher.byId.get(b)!.name),
    )
    .map(([id]) => matcher.byId.get(id)!.name);
}
