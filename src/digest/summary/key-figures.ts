/**
 * Key figures: each with what it counts and who claims it. A brief's `claims` come as written;
 * an article without them gives the figures its chosen sentences contain, attributed to the
 * publication that reported them. Claims about the same subject stay together, so the digest
 * shows different parties' figures side by side.
 */
import type { Article } from "../../model/article.ts";
import { findFigures } from "./figures.ts";
import type { KeyFigure } from "./model.ts";

export const MAX_FIGURES = 6;

export function figuresOfArticle(article: Article, sentences: readonly string[]): KeyFigure[] {
  const ref = { articleSlug: article.slug, articleId: article.id };
  if (article.claims.length > 0) {
    return article.claims.map((c) => ({
      text: `${c.figure} ${c.counts}`,
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
 * At most MAX_FIGURES, without repeats (same figure, same subject, same claimant), each
 * subject's claims together where its first claim stood.
 */
export function pickFigures(found: readonly KeyFigure[]): KeyFigure[] {
  const seen = new Set<string>();
  const unique = found.filter((f) => {
    const key = `${f.text.replace(/[^\d.]/g, "")}\n${f.subject ?? f.text}\n${f.claimant}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const groups = new Map<string, KeyFigure[]>();
  unique.forEach((f, i) => {
    const key = f.subject ?? `#${i}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  });
  return [...groups.values()].flat().slice(0, MAX_FIGURES);
}
