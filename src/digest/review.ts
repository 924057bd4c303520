/**
 * The review gate. House rule: nothing a program extracted reaches a reader's inbox unless a
 * person approved it, or the operator chose otherwise (DIGEST_SEND=always). An approval is for
 * one version of the digest, its content hash (summary + HTML + text): a rebuild that changes
 * the digest asks again. Pure: the store (review-store.ts) and the senders apply it.
 */
import type { DigestSendMode } from "../config.ts";
import type { DigestSummary, Development } from "./summary/model.ts";

export type GateDecision =
  | {
      readonly open: true;
      /** always: DIGEST_SEND=always; key-points: auto, and every item is an editor's; approved:
       * a person approved this version. */
      readonly why: "always" | "key-points" | "approved";
    }
  | {
      readonly open: false;
      /** extracted: auto, and an item is extracted; review: DIGEST_SEND=review. */
      readonly why: "extracted" | "review";
      /** How many of the digest's items a program extracted. */
      readonly extracted: number;
    };

/** The items a program took from an article's body, in digest order. */
export function extractedItems(summary: Pick<DigestSummary, "developments">): Development[] {
  return summary.developments.filter((d) => d.provenance.kind === "extracted");
}

/**
 * Whether this version of a digest may be mailed. `approvedHash`: the content hash a person
 * approved, or null.
 */
export function reviewGate(
  mode: DigestSendMode,
  digest: { readonly summary: Pick<DigestSummary, "developments">; readonly contentHash: string },
  approvedHash: string | null,
): GateDecision {
  if (mode === "always") return { open: true, why: "always" };
  if (approvedHash !== null && approvedHash === digest.contentHash)
    return { open: true, why: "approved" };
  const extracted = extractedItems(digest.summary).length;
  if (mode === "review") return { open: false, why: "review", extracted };
  return extracted === 0
    ? { open: true, why: "key-points" }
    : { open: false, why: "extracted", extracted };
}

/** One line saying why a closed gate holds a digest, for logs, notices and the admin. */
export function holdReason(decision: GateDecision & { open: false }): string {
  const items = `${decision.extracted} extracted ${decision.extracted === 1 ? "item" : "items"}`;
  return decision.why === "review"
    ? `DIGEST_SEND=review: every digest waits for approval (${items})`
    : `${items}: DIGEST_SEND=auto sends only digests of editors' key points unless approved`;
}
