/** "Who was active": pairs of watch-list actors named together, and how a pair reads. */
import type { Actor } from "../../model/actor.ts";
import type { ActorMatcher } from "./actors.ts";
import type { ActorPair } from "./model.ts";

/** How a pair reads in the summary ("Russia – North Korea: 2 articles"); its words count toward the limit. */
export function pairLine(p: ActorPair): string {
  return `${pairNames(p.names)}: ${pairCount(p.articles)}`;
}

export function pairNames(names: readonly [string, string]): string {
  return `${names[0]} – ${names[1]}`;
}

export function pairCount(articles: number): string {
  return `${articles} article${articles === 1 ? "" : "s"}`;
}

export function addPairs(
  counts: Map<string, number>,
  named: Set<string>,
  matcher: ActorMatcher,
): void {
  const ids = [...named].sort();
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = matcher.byId.get(ids[i]!)!;
      const b = matcher.byId.get(ids[j]!)!;
      // The summary follows the axis: a pair needs at least one axis actor.
      if (a.side !== "axis" && b.side !== "axis") continue;
      const key = `${a.id}\n${b.id}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
}

export function rankPairs(counts: Map<string, number>, matcher: ActorMatcher): ActorPair[] {
  return [...counts]
    .map(([key, n]) => {
      let [a, b] = key.split("\n").map((id) => matcher.byId.get(id)!) as [Actor, Actor];
      // Axis actor first, so pairs read "Russia – Ukraine", not "Ukraine – Russia".
      if (a.side !== "axis" && b.side === "axis") [a, b] = [b, a];
      return {
        names: [a.name, b.name] as const,
        ids: [a.id, b.id] as const,
        articles: n,
        both: a.side === "axis" && b.side === "axis",
      };
    })
    .sort(
      (x, y) =>
        y.articles - x.articles ||
        Number(y.both) - Number(x.both) ||
        pairLine(x).localeCompare(pairLine(y)),
    )
    .map(({ both: _both, ...pair }) => pair);
}
