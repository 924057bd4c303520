/**
 * Claims that share a `subject` are shown side by side as rival estimates of one quantity
 * ("Different parties give different figures"). That is only true when they count the same
 * thing: a first shipment of 1,500 troops, 10,000 troops preparing and a planned total of
 * 12,000 are three quantities, not three estimates of one. So claims that share a subject must
 * say they count the same thing, with the same `counts`; anything else is a `file:line` error
 * naming the claim it disagrees with.
 */
import type { ContentError } from "./parse.ts";
import { type Claim, countKey } from "../../src/model/article.ts";

/** What the rival check needs of a parsed brief. */
export interface ClaimsOfBrief {
  readonly path: string;
  readonly claims: readonly Claim[];
  readonly claimLines: readonly number[];
}

export function checkRivalClaims(briefs: readonly ClaimsOfBrief[]): ContentError[] {
  const errors: ContentError[] = [];
  /** subject → the first claim with it, where it is. */
  const first = new Map<string, { claim: Claim; path: string; line: number; n: number }>();
  for (const brief of briefs) {
    brief.claims.forEach((claim, i) => {
      if (claim.subject === null) return;
      const line = brief.claimLines[i] ?? 1;
      const seen = first.get(claim.subject);
      if (!seen) {
        first.set(claim.subject, { claim, path: brief.path, line, n: i + 1 });
        return;
      }
      if (countKey(seen.claim.counts) === countKey(claim.counts)) return;
      errors.push({
        path: brief.path,
        line,
        message: `claim ${i + 1} has subject "${claim.subject}" but counts "${claim.counts}", while claim ${seen.n} at ${seen.path}:${seen.line} with that subject counts "${seen.claim.counts}": claims share a subject only when they are rival figures for the same thing; expected the same "counts", or a subject of its own (or none)`,
      });
    });
  }
  return errors;
}
