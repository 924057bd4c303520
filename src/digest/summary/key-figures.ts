/**
 * Key figures: each with what it counts and who claims it. A brief's `claims` come as written;
 * an article without them gives the figures its chosen sentences contain, attributed to the
 * publication that reported them. Figures stand side by side as rival estimates only when they
 * count the same thing (same subject, same `counts`: the content build holds claims to that),
 * and a figure a chosen item already states is not said again.
 */
import { type Article, countKey } from "../../model/article.ts";
import { findFigures } from "./figures.ts";
import type { KeyFigure } from "./model.ts";

export const MAX_FIGURES = 6;

export function figuresOfArticle(article: Article, sentences: readonly string[]): KeyFigure[] {
  const ref = { articleSlug: article.slug, articleId: article.id };
  if (article.claims.length > 0) {
    return article.claims.map((c) => ({
      text: `${c.figure} ${c.counts}`,
      counts: c.counts,
      claimant: c.claimant,
      status: c.status,
      by: c.by,
      subject: c.subject,
      ...ref,
    }));
  }
  return sentences.flatMap((s) =>
    findFigures(s).map((f) => ({
      text: f.text,
      counts: null,
      claimant: article.source,
      status: "claimed" as const,
      by: null,
      subject: null,
      ...ref,
    })),
  );
}

/** "claimed by X"; "confirmed by Y"; "denied by Y". */
export function figureAttribution(f: Pick<KeyFigure, "claimant" | "status" | "by">): string {
  if (f.status === "claimed") return `claimed by ${f.claimant}`;
  return `claimed by ${f.claimant}, ${f.status} by ${f.by ?? "an independent party"}`;
}

/**
 * What a figure is a rival estimate of: its subject and what it counts, or null when it is
 * nobody's rival (no subject, or a figure taken from a sentence, whose `counts` nobody wrote).
 */
export function rivalKey(f: Pick<KeyFigure, "subject" | "counts">): string | null {
  if (f.subject === null || f.counts === null) return null;
  return `${f.subject}\n${countKey(f.counts)}`;
}

/** The figure's number as digits ("1,500 troops" → "1500"), to spot it in an item. */
function valueOf(text: string): string | null {
  return findFigures(text)[0]?.value ?? /\d[\d,.]*/.exec(text)?.[0].replace(/[^\d.]/g, "") ?? null;
}

/** The numbers the items state (dates are not numbers here: findFigures leaves them out). */
export function statedValues(items: readonly string[]): Set<string> {
  return new Set(items.flatMap((t) => findFigures(t).map((f) => f.value)));
}

/** Whether an item already states the figure's number (`stated`: statedValues of the items). */
export function alreadyStated(f: Pick<KeyFigure, "text">, stated: ReadonlySet<string>): boolean {
  const value = valueOf(f.text);
  return value !== null && stated.has(value);
}

/**
 * At most MAX_FIGURES, without repeats (same figure, same subject, same claimant) and without
 * the figures an item already states (`stated`: statedValues of the chosen items); rival
 * estimates of one quantity together where the first of them stood.
 */
export function pickFigures(
  found: readonly KeyFigure[],
  stated: ReadonlySet<string> = new Set(),
): KeyFigure[] {
  const seen = new Set<string>();
  const unique = found.filter((f) => {
    if (alreadyStated(f, stated)) return false;
    const value = valueOf(f.text);
    const key = `${value ?? f.text}\n${rivalKey(f) ?? f.text}\n${f.claimant}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const groups = new Map<string, KeyFigure[]>();
  unique.forEach((f, i) => {
    const key = rivalKey(f) ?? `#${i}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  });
  return [...groups.values()].flat().slice(0, MAX_FIGURES);
}

/**
 * Which figures open a group of rival estimates: the first of two or more figures with the
 * same rivalKey from different claimants. Figures from one claimant, or of different counts,
 * are not "different parties giving different figures".
 */
export function rivalGroupStarts(figures: readonly KeyFigure[]): boolean[] {
  const claimants = new Map<string, Set<string>>();
  for (const f of figures) {
    const key = rivalKey(f);
    if (key === null) continue;
    const set = claimants.get(key) ?? new Set<string>();
    set.add(f.claimant);
    claimants.set(key, set);
  }
  const opened = new Set<string>();
  return figures.map((f) => {
    const key = rivalKey(f);
    if (key === null || (claimants.get(key)?.size ?? 0) < 2 || opened.has(key)) return false;
    opened.add(key);
    return true;
  });
}
