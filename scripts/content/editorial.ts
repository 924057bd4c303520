/**
 * The values of the editorial front-matter fields that are more than text: key points and
 * claims. Checked here so a summary built from them can be trusted: every key point must stand
 * alone (docs/content.md). The fields themselves are declared in article-schema.ts.
 */
import { stripUnsafeChars } from "../../src/model/safe-text.ts";
import {
  danglingOpening,
  hasYear,
  monthWithoutYear,
  relativeDate,
  wordCount,
} from "../../src/model/standalone.ts";
import { checkPlainText, type Report } from "./fields.ts";
import { PLAIN_TEXT_MAX } from "./plain-text.ts";

export const KEY_POINTS_MIN = 2;
export const KEY_POINTS_MAX = 6;
export const KEY_POINT_MAX_WORDS = 35;

export type ClaimStatus = "claimed" | "confirmed" | "denied";

/** A figure as a claim: what it counts, who says so, and whether anyone independent agrees. */
export interface Claim {
  /** The number as written, e.g. "1,500". */
  readonly figure: string;
  /** What it counts, e.g. "North Korean special forces sent to Russia's Far East". */
  readonly counts: string;
  /** Who claims it, e.g. "South Korea's National Intelligence Service". */
  readonly claimant: string;
  readonly status: ClaimStatus;
  /** What is being counted, shared by claims about the same thing (kebab case), or null. */
  readonly subject: string | null;
  /** Who confirmed or denied it, when status is not "claimed". */
  readonly by: string | null;
}

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const STATUSES: readonly ClaimStatus[] = ["claimed", "confirmed", "denied"];
export const CLAIM_KEYS = ["figure", "counts", "claimant", "status", "subject", "by"] as const;
/** The claim's words readers see (status and subject are checked against their own forms). */
const PLAIN_CLAIM_MAX: Partial<Record<(typeof CLAIM_KEYS)[number], number>> = {
  figure: PLAIN_TEXT_MAX.claimFigure,
  counts: PLAIN_TEXT_MAX.claimCounts,
  claimant: PLAIN_TEXT_MAX.claimant,
  by: PLAIN_TEXT_MAX.claimBy,
};

const EXAMPLE =
  "e.g. \"South Korea's National Intelligence Service said on 18 October 2024 that 1,500 North Korean special forces had reached Russia.\"";

/** Why a key point cannot stand alone, or null when it can. */
export function keyPointProblem(text: string): string | null {
  const opening = danglingOpening(text);
  if (opening !== null) {
    return `opens with "${opening}", which refers to something outside it: expected a sentence that names who did what, ${EXAMPLE}`;
  }
  const relative = relativeDate(text);
  if (relative !== null) {
    return `has the relative date "${relative}": expected an absolute date with its year, e.g. "on 18 October 2024"`;
  }
  const month = monthWithoutYear(text);
  if (month !== null) {
    return `names "${month}" without its year: expected an absolute date with its year, e.g. "on 18 October 2024"`;
  }
  if (!hasYear(text)) {
    return `has no date: expected when it happened, with the year, e.g. "on 18 October 2024" or "in early 2015"`;
  }
  const words = wordCount(text);
  if (words > KEY_POINT_MAX_WORDS) {
    return `has ${words} words: expected at most ${KEY_POINT_MAX_WORDS}; split it or cut it`;
  }
  return null;
}

/** The key points: 2 to 6 standalone sentences, each reported on its own line. */
export function parseKeyPoints(raw: unknown, report: Report): string[] | null {
  if (!Array.isArray(raw)) {
    report(`field "key_points" must be a YAML list: expected ${KEY_POINTS_MIN} to ${KEY_POINTS_MAX} sentences`);
    return null;
  }
  const n = raw.length;
  if (n < KEY_POINTS_MIN || n > KEY_POINTS_MAX) {
    report(`field "key_points" has ${n} item${n === 1 ? "" : "s"}: expected ${KEY_POINTS_MIN} to ${KEY_POINTS_MAX} standalone sentences`);
  }
  const keyPoints: string[] = [];
  raw.forEach((value: unknown, i) => {
    const path = [i];
    if (typeof value !== "string" || value.trim() === "") {
      report(`key point ${i + 1} is not text: expected one standalone sentence`, { path });
      return;
    }
    const clean = stripUnsafeChars(value.trim().replace(/\s+/g, " "));
    checkPlainText(report, `key point ${i + 1}`, clean, PLAIN_TEXT_MAX.keyPoint, path);
    const problem = keyPointProblem(clean);
    if (problem !== null) report(`key point ${i + 1} ${problem}`, { path });
    else keyPoints.push(clean);
  });
  return keyPoints;
}

/** The claims: figures with what they count, who claims them and how far they are confirmed. */
export function parseClaims(raw: unknown, report: Report): Claim[] | null {
  if (!Array.isArray(raw)) {
    report(`field "claims" must be a YAML list of mappings: expected items with ${CLAIM_KEYS.slice(0, 4).join(", ")}`);
    return null;
  }
  const claims: Claim[] = [];
  raw.forEach((item: unknown, i) => {
    const claim = parseClaim(item, i, report);
    if (claim) claims.push(claim);
  });
  return claims;
}

function parseClaim(item: unknown, i: number, report: Report): Claim | null {
  const n = i + 1;
  const at = { path: [i] };
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    report(`claim ${n} must be a mapping: expected figure, counts, claimant and status`, at);
    return null;
  }
  const fields = item as Record<string, unknown>;
  let ok = true;
  const fail = (message: string) => {
    report(message, at);
    ok = false;
  };
  for (const key of Object.keys(fields)) {
    if (!(CLAIM_KEYS as readonly string[]).includes(key)) {
      report(`claim ${n} has unknown key "${key}": expected ${CLAIM_KEYS.join(", ")}`, { path: [i, key] });
      ok = false;
    }
  }
  const get = (key: (typeof CLAIM_KEYS)[number], required: boolean): string | null => {
    const v = fields[key];
    if (v === undefined || v === null) {
      if (required) fail(`claim ${n} has no "${key}": expected ${describeClaimKey(key)}`);
      return null;
    }
    const s = typeof v === "number" ? String(v) : v;
    if (typeof s !== "string" || s.trim() === "") {
      fail(`claim ${n} "${key}" must be text: expected ${describeClaimKey(key)}`);
      return null;
    }
    const clean = stripUnsafeChars(s.trim());
    const max = PLAIN_CLAIM_MAX[key];
    if (max !== undefined) checkPlainText(report, `claim ${n} "${key}"`, clean, max, [i, key]);
    return clean;
  };
  const figure = get("figure", true);
  const counts = get("counts", true);
  const claimant = get("claimant", true);
  const status = get("status", true);
  const subject = get("subject", false);
  const by = get("by", false);
  if (figure !== null && !/\d/.test(figure)) {
    fail(`claim ${n} figure "${figure}" has no number: expected the figure as written, e.g. "1,500"`);
  }
  if (status !== null && !(STATUSES as readonly string[]).includes(status)) {
    fail(`claim ${n} status "${status}": expected one of ${STATUSES.join(", ")}`);
  }
  if (subject !== null && !KEBAB.test(subject)) {
    fail(`claim ${n} subject "${subject}" is not kebab case: expected e.g. north-korean-troops-for-russia`);
  }
  if ((status === "confirmed" || status === "denied") && by === null) {
    fail(`claim ${n} is "${status}" but does not say by whom: expected "by:" naming who ${status} it`);
  }
  if (!ok || figure === null || counts === null || claimant === null || status === null) return null;
  return { figure, counts, claimant, status: status as ClaimStatus, subject, by };
}

function describeClaimKey(key: string): string {
  switch (key) {
    case "figure":
      return 'the number as written, e.g. "1,500"';
    case "counts":
      return 'what it counts, e.g. "North Korean special forces sent to Russia\'s Far East"';
    case "claimant":
      return "who makes the claim, e.g. South Korea's National Intelligence Service";
    case "status":
      return STATUSES.join(", ");
    default:
      return "text";
  }
}
