/**
 * Readers with topics (issue 18): half the subscribers (the odd ids) get one of N distinct topic
 * sets, made of the week's own topics so that every set meets the week and every active reader
 * still gets exactly one message (the verification stays "one per active subscriber"). What the
 * run then shows: queue messages against the no-topics baseline measured on the same recipients
 * (one message per 100), and how many variants the consumers rendered.
 */
import { weekTopicsJson } from "../../src/delivery/variants.ts";
import { getDigest } from "../../src/digest/store.ts";

export interface TopicAssignment {
  /** The distinct topic sets given out, each a stored topics value. */
  readonly sets: readonly string[];
  readonly subscribersWithTopics: number;
}

/** Up to `n` distinct non-empty sets of the week's topics, smallest first. */
function topicSets(week: readonly string[], n: number): string[] {
  const k = Math.min(week.length, 16);
  const masks = Array.from({ length: 2 ** k - 1 }, (_, i) => i + 1);
  const size = (m: number) => m.toString(2).replace(/0/g, "").length;
  masks.sort((a, b) => size(a) - size(b) || a - b);
  return masks
    .slice(0, n)
    .map((m) => JSON.stringify(week.filter((_, i) => i < k && m & (1 << i)).sort()));
}

export async function assignTopics(
  D1: D1Database,
  week: string,
  n: number,
): Promise<TopicAssignment> {
  if (n === 0) return { sets: [], subscribersWithTopics: 0 };
  const digest = await getDigest(D1, week);
  if (digest === null) throw new Error(`assignTopics: no digest for ${week}`);
  const topics = JSON.parse(await weekTopicsJson(D1, digest)) as string[];
  const sets = topicSets(topics, n);
  if (sets.length < n)
    console.warn(
      `topics: the week has ${topics.length} topics, enough for ${sets.length} distinct sets, not ${n}`,
    );
  // One statement: odd ids get set (id / 2) mod N.
  const r = await D1.prepare(
    `UPDATE subscribers SET topics = ?1 ->> ('$[' || ((id / 2) % CAST(?2 AS INTEGER)) || ']') WHERE id % 2 = 1`,
  )
    .bind(JSON.stringify(sets), sets.length)
    .run();
  console.log(
    `topics: ${r.meta.changes} subscribers given one of ${sets.length} topic sets (from the week's ${topics.length} topics); the rest get everything`,
  );
  return { sets, subscribersWithTopics: r.meta.changes };
}
