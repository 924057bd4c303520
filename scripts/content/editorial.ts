/**
 * The editorial front-matter fields of a brief: key points, claims, story, editor's note,
 * approximate date, the original's author. Validated here so a summary built from them can be
 * trusted: every key point must stand alone (docs/editorial.md).
 */
import { isMap, isScalar, isSeq, type Node as YamlNode } from "yaml";
import type { Claim, ClaimStatus } from "../../src/model/article.ts";
import { stripUnsafeChars } from "../../src/model/safe-text.ts";
import {
  danglingOpening,
  hasYear,
  monthWithoutYear,
  relativeDate,
  wordCount,
} from "../../src/model/standalone.ts";
import { PLAIN_TEXT_MAX } from "./plain-text.ts";

export const EDITORIAL_KEYS = [
  "key_points",
  "claims",
  "story",
  "editor_note",
  "date_approximate",
  "source_author",
] as const;

export const KEY_POINTS_MIN = 2;
export const KEY_POINTS_MAX = 6;
export const KEY_POINT_MAX_WORDS = 35;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const STATUSES: readonly ClaimStatus[] = ["claimed", "confirmed", "denied"];
const CLAIM_KEYS = ["figure", "counts", "claimant", "status", "subject", "by"] as const;
/** The claim's words readers see (status and subject are checked against their own forms). */
const PLAIN_CLAIM_MAX: Partial<Record<(typeof CLAIM_KEYS)[number], number>> = {
  figure: PLAIN_TEXT_MAX.claimFigure,
  counts: PLAIN_TEXT_MAX.claimCounts,
  claimant: PLAIN_TEXT_MAX.claimant,
  by: PLAIN_TEXT_MAX.claimBy,
};

export interface EditorialFields {
  readonly keyPoints: string[];
  readonly claims: Claim[];
  /** The line of each claim in `claims`, for errors only the whole collection can find. */
  readonly claimLines: number[];
  readonly story: string | null;
  readonly storyLine: number;
  readonly editorNote: string | null;
  readonly dateApproximate: boolean;
  readonly sourceAuthor: string | null;
}

export interface Entry {
  readonly value: unknown;
  readonly line: number;
  readonly node: unknown;
}

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

/**
 * Reports markup, a line break or more than `max` characters in a plain-text value (`what`
 * names it in the message), on its line.
 */
export type PlainTextCheck = (what: string, value: string, node: unknown, max: number) => void;

/**
 * Parses the editorial fields from the front matter's entries; every problem goes to `fail`
 * with its line.
 */
export function parseEditorial(
  entries: ReadonlyMap<string, Entry>,
  fail: (line: number, message: string) => void,
  nodeLine: (node: unknown) => number,
  plainText: PlainTextCheck,
): EditorialFields {
  const text = (key: string, what: string, max: number | null): string | null => {
    const e = entries.get(key);
    if (!e) return null;
    if (typeof e.value !== "string" || e.value.trim() === "") {
      fail(e.line, `field "${key}" must be non-empty text: expected ${what}, or remove the line`);
      return null;
    }
    const clean = stripUnsafeChars(e.value.trim());
    if (max !== null) plainText(`field "${key}"`, clean, e.node, max);
    return clean;
  };

  const keyPoints: string[] = [];
  const kp = entries.get("key_points");
  if (kp) {
    if (!isSeq(kp.node)) {
      fail(kp.line, `field "key_points" must be a YAML list: expected ${KEY_POINTS_MIN} to ${KEY_POINTS_MAX} sentences`);
    } else {
      const n = kp.node.items.length;
      if (n < KEY_POINTS_MIN || n > KEY_POINTS_MAX) {
        fail(kp.line, `field "key_points" has ${n} item${n === 1 ? "" : "s"}: expected ${KEY_POINTS_MIN} to ${KEY_POINTS_MAX} standalone sentences`);
      }
      kp.node.items.forEach((item, i) => {
        const line = nodeLine(item);
        const value = isScalar(item) ? item.value : null;
        if (typeof value !== "string" || value.trim() === "") {
          fail(line, `key point ${i + 1} is not text: expected one standalone sentence`);
          return;
        }
        const clean = stripUnsafeChars(value.trim().replace(/\s+/g, " "));
        plainText(`key point ${i + 1}`, clean, item, PLAIN_TEXT_MAX.keyPoint);
        const problem = keyPointProblem(clean);
        if (problem !== null) fail(line, `key point ${i + 1} ${problem}`);
        else keyPoints.push(clean);
      });
    }
  }

  const claims: Claim[] = [];
  const claimLines: number[] = [];
  const cl = entries.get("claims");
  if (cl) {
    if (!isSeq(cl.node)) {
      fail(cl.line, `field "claims" must be a YAML list of mappings: expected items with ${CLAIM_KEYS.slice(0, 4).join(", ")}`);
    } else {
      cl.node.items.forEach((item, i) => {
        const claim = parseClaim(item as YamlNode, i + 1, fail, nodeLine, plainText);
        if (claim) {
          claims.push(claim);
          claimLines.push(nodeLine(item));
        }
      });
    }
  }

  const story = text("story", "a kebab-case story id listed in content/stories.yaml", null);
  const storyLine = entries.get("story")?.line ?? 1;
  if (story !== null && !KEBAB.test(story)) {
    fail(storyLine, `field "story" is "${story}": expected a kebab-case id, e.g. north-korean-troops-for-russia`);
  }

  let dateApproximate = false;
  const approx = entries.get("date_approximate");
  if (approx) {
    if (typeof approx.value !== "boolean") {
      fail(approx.line, `field "date_approximate" is ${JSON.stringify(approx.value)}: expected true or false`);
    } else dateApproximate = approx.value;
    if (dateApproximate && !entries.has("date_note")) {
      fail(approx.line, `field "date_approximate" is true but there is no "date_note": expected a sentence saying how the date was estimated`);
    }
  }

  return {
    keyPoints,
    claims,
    claimLines,
    story: story !== null && KEBAB.test(story) ? story : null,
    storyLine,
    editorNote: text(
      "editor_note",
      "the correction of the source's error, as a sentence or two",
      PLAIN_TEXT_MAX.editorNote,
    ),
    dateApproximate,
    sourceAuthor: text("source_author", "the original's author as the page names them", PLAIN_TEXT_MAX.sourceAuthor),
  };
}

function parseClaim(
  item: YamlNode,
  n: number,
  fail: (line: number, message: string) => void,
  nodeLine: (node: unknown) => number,
  plainText: PlainTextCheck,
): Claim | null {
  const line = nodeLine(item);
  if (!isMap(item)) {
    fail(line, `claim ${n} must be a mapping: expected figure, counts, claimant and status`);
    return null;
  }
  let ok = true;
  for (const pair of item.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!(CLAIM_KEYS as readonly string[]).includes(key)) {
      fail(nodeLine(pair.key), `claim ${n} has unknown key "${key}": expected ${CLAIM_KEYS.join(", ")}`);
      ok = false;
    }
  }
  const get = (key: (typeof CLAIM_KEYS)[number], required: boolean): string | null => {
    const v = item.get(key);
    if (v === undefined || v === null) {
      if (required) {
        fail(line, `claim ${n} has no "${key}": expected ${describeClaimKey(key)}`);
        ok = false;
      }
      return null;
    }
    const s = typeof v === "number" ? String(v) : v;
    if (typeof s !== "string" || s.trim() === "") {
      fail(line, `claim ${n} "${key}" must be text: expected ${describeClaimKey(key)}`);
      ok = false;
      return null;
    }
    const clean = stripUnsafeChars(s.trim());
    const max = PLAIN_CLAIM_MAX[key];
    if (max !== undefined) plainText(`claim ${n} "${key}"`, clean, item.get(key, true), max);
    return clean;
  };
  const figure = get("figure", true);
  const counts = get("counts", true);
  const claimant = get("claimant", true);
  const status = get("status", true);
  const subject = get("subject", false);
  const by = get("by", false);
  if (figure !== null && !/\d/.test(figure)) {
    fail(line, `claim ${n} figure "${figure}" has no number: expected the figure as written, e.g. "1,500"`);
    ok = false;
  }
  if (status !== null && !(STATUSES as readonly string[]).includes(status)) {
    fail(line, `claim ${n} status "${status}": expected one of ${STATUSES.join(", ")}`);
    ok = false;
  }
  if (subject !== null && !KEBAB.test(subject)) {
    fail(line, `claim ${n} subject "${subject}" is not kebab case: expected e.g. north-korean-troops-for-russia`);
    ok = false;
  }
  if ((status === "confirmed" || status === "denied") && by === null) {
    fail(line, `claim ${n} is "${status}" but does not say by whom: expected "by:" naming who ${status} it`);
    ok = false;
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
