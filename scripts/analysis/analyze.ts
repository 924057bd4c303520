/**
 * The analysis `npm run publish` stores with each new or changed article (src/model/analysis.ts):
 * the body's sentences that stand alone as a whole, each ready to be a summary item, with what
 * was rewritten and why it was taken. Node only: the Worker reads the result.
 *
 * A sentence is left out when it is page chrome (chrome.ts), when it leans on something outside
 * it (a pronoun, demonstrative or "Mr. X" subject, a "…, he added" tail, "the two countries",
 * "the visit" without saying which, a quote that opens before it), when it is a question, or when
 * one of its dates cannot be placed. Where the article names the person earlier, "Mr. X", a bare
 * surname and "he added" are rewritten with the full name and role, and the rewrite recorded.
 * Hedges ("may", "reportedly") and attribution ("X said") are never removed.
 *
 * Also left out: a definite "the aircraft", "the spy agency", "this military aircraft" that the
 * sentence does not say which (a bare "the exercises" is named as the sentences just before
 * introduced them), a demonstrative subject anywhere ("…, this is the first…"), "lately".
 * Rewritten, each recorded: a dateline stripped, a linking opener ("In the latest
 * development,", "Instead,") dropped, a later clause that leans outside cut, a role that only
 * says "the ministry" dropped beside the name, a run-together quote attributed to the speaker
 * the page names right after it.
 */
import type { AnalysedSentence, ArticleAnalysis } from "../../src/model/analysis.ts";
import { danglingOpening, relativeDate } from "../../src/model/standalone.ts";
import { chromeLines, chromeReason, type ChromeLine, type PageContext } from "./chrome.ts";
import { resolveDates } from "./dates.ts";
import { pageBlocks, pageLines } from "./page-lines.ts";
import { type Sentence, splitSentences } from "./sentences.ts";

import { ANALYSIS_VERSION } from "./version.ts";

export { ANALYSIS_VERSION };

export interface AnalysisInput extends PageContext {
  readonly published: string;
  readonly dateApproximate: boolean;
  /** The body as the file has it, and the file line it starts on. */
  readonly markdown: string;
  readonly markdownLine: number;
  /**
   * Names of countries (the watch list's): "the two countries" is rewritten to the pair the
   * article last named ("Russia and China") only when both are countries.
   */
  readonly countries?: readonly string[];
}

const ATTRIBUTION_VERBS =
  "said|says|told|added|stated|noted|warned|explained|continued|argued|wrote|insisted|claimed|announced";
const HEDGE =
  /\b(?:may|might|could|would|likely|unlikely|probably|possibly|reportedly|allegedly|apparently|it is assumed|believed to|is said to|are said to|appears? to|seems? to|fears?|suspect(?:s|ed)?)\b/i;
/**
 * "X said", "according to X", and a belief some named group holds ("officials feel that…"): the
 * view is theirs, reported, not the writer's guess.
 */
const ATTRIBUTED = new RegExp(
  String.raw`\b(?:${ATTRIBUTION_VERBS}|according to)\b|(?<!\b(?:some|many|several|few|other) )\b(?:officials|analysts|experts|observers|diplomats|lawmakers|critics|intelligence services?) (?:feel|believe|think|fear|expect)\b`,
  "i",
);
/**
 * Connectives and "latest development" openers that only tie the sentence to the one before:
 * dropped (and the rewrite recorded), the clause after them stands alone.
 */
const LINKING_OPENER =
  /^(?:In (?:the|a|another) (?:latest|related|separate|similar|new|further) development|Instead|However|Meanwhile|Moreover|Furthermore|Additionally|In addition),\s+(?=\p{L})/u;
/** Relative to when the page was written: "lately", "of late" (standalone.ts covers the rest). */
const VAGUE_TIME = /\b(?:lately|of late|more recently|these days|nowadays)\b/i;
/** A demonstrative as the subject of any clause: "…, this is the first visit", "this represents". */
const DEMONSTRATIVE_SUBJECT =
  /\b(?:this|these|those) (?:is|was|are|were|means|meant|shows|showed|marks|marked|represents|represented|would|will|could|signals|signalled|signaled)\b/i;
/**
 * A definite noun phrase for a thing the article told of before ("the aircraft", "the spy
 * agency", "the sanctions"): it says which only with a qualifier straight after it ("the
 * flight to Pyongyang") or the same noun earlier in the sentence ("two jets…; the jets").
 */
const THE_THING =
  /\b[Tt]he (?:spy )?(ministry|agency|aircraft|planes?|jets?|bombers?|warplanes?|patrols?|flights?|launch(?:es)?|sanctions|zone|spokes(?:person|man|woman)|delegation|missiles?|ships?|vessels?|troops|soldiers|units?|operation|deployment|offensive|strikes?|tests?|rumou?rs|allegations?|reports)\b(?!,? (?:of|to|by|with|between|for|that|which|who|against)\b|,? (?:in|on|at|from) (?:\p{Lu}|\d))/u;
/** "this military aircraft", "these troops": a thing shown, not named. */
const DEMONSTRATIVE_DETERMINER =
  /\b(?:[Tt]his|[Tt]hese|[Tt]hose) (?!is\b|was\b|are\b|were\b|has\b|have\b|had\b|will\b|would\b|could\b|can\b|may\b|might\b|should\b|must\b)\p{Ll}[\p{L}-]*/u;
/** "Wu Qian, the ministry spokesperson, said": the role says "the ministry" without which. */
const BACK_REFERRING_ROLE =
  /(\p{Lu}[\p{L}’'-]+), the (?:\p{Ll}+ ){0,2}(?:spokes(?:person|man|woman)|official|officer|representative|aide),/u;
/** Things only the sentences before say which: "the two countries", "the visit". */
const VAGUE_REFERENCE =
  /\b(?:(?:the|these|those|both) (?:two|three) (?:countries|nations|sides|leaders|allies|neighbou?rs|men|governments|states)|(?:these|those|such) (?:countries|nations|sides|leaders|allies)|both (?:countries|sides|nations)|the (?:latter|former|pair|duo)|the (?:country|nation|leader|allies)(?! of\b)|(?:\b(?:this|these|those)|(?:^|\b(?:of|in|on|to|from|with|by|at|after|before|during|for|about) )that) (?:(?!the\b|an?\b)\p{Ll}+ )?(?:visits?|reports?|meetings?|talks|trips?|summits?|drills?|exercises?|deals?|agreements?|treat(?:y|ies)|moves?|decisions?|plans?|statements?|declarations?|priorit(?:y|ies)|announcements?|remarks?|developments?|claims?|videos?|incidents?|attacks?|efforts?|relationships?|partnerships?|cooperation|alliances?|issues?|situations?|wars?|conflicts?|regions?|troops|forces|soldiers|weapons)|both (?!\p{Lu})\p{Ll}+s|since then|at the time|that (?:day|week|month|year))\b|\beither\.$/iu;
/** "the visit", "the report"…: fine when the words after say which ("the visit to Pyongyang"). */
const THE_EVENT =
  /\b[Tt]he (visit|report|meeting|talks|trip|summit|drills?|exercises?|deal|agreement|treaty|move|decision|plan|statement|declaration|announcement|remarks|video|incident|attack|effort|relationship|partnership|cooperation|alliance|ceremony)\b(?!,? (?:of|to|by|with|between|for|that|which|where|held|signed|released)\b|,? (?:in|on|at|from) (?:\p{Lu}|\d)|,? (?:\p{Lu}))/u;
/** Personal pronouns: in the subject, they point outside the sentence (demonstratives: danglingOpening). */
const SUBJECT_PRONOUNS = new Set([
  "he",
  "she",
  "they",
  "it",
  "we",
  "i",
  "you",
  "his",
  "her",
  "their",
  "its",
  "our",
  "them",
  "him",
]);
const FIRST_PERSON = new Set(["we", "i", "our", "my", "us"]);
const ORGANISATION_WORD =
  /^(?:Service|Ministry|Agency|Office|Council|Committee|Army|Navy|Forces?|Government|Party|Assembly|Parliament|Kremlin|House|Department|Command|Staff|News|Times|Post|Journal|Insider|Agency|Reuters|Tass|Yonhap|Xinhua|University|Institute|Center|Centre|Bank|Group|Union|Korea|Russia|China|Ukraine|Moscow|Beijing|Seoul|Pyongyang|Kyiv|Tokyo|Washington)$/u;
/** One capitalised word alone, not part of a longer name: maybe a surname used on its own. */
const LONE_NAME = /(?<!\p{Lu}[\p{L}’'.-]* )\b(\p{Lu}\p{Ll}+)\b(?! \p{Lu})(?![’']s\b)/gu;
/** "made that declaration": a demonstrative "that" with the thing it points back at. */
const DEMONSTRATIVE_THAT =
  /\bthat (?:(?!the\b|an?\b)\p{Ll}+ )?(?:declaration|priority|statement|announcement|remarks?|move|decision|plan|claim|report|development|visit|meeting|deal|agreement|treaty|effort|trip|summit|drill|exercise|incident|attack|video|warning|message|offer|proposal|request|promise|pledge|threat)\b/u;
/** "said that the plan…": a conjunction after a verb of saying, not a demonstrative. */
const REPORTING_BEFORE =
  /\b(?:said|says|stated|reported|announced|claimed|warned|noted|confirmed|added|showed|shows|believes?|fears?|hopes?|means|suggests?|argued|insisted|told [\p{L} ]+?|reports?|so|such|now|clear|likely|possible|sure|aware|given|fact|news|sign|indication|evidence)\s*$/u;
/** "the two countries", "both sides": a pair the sentence does not name. */
const PAIR_REFERENCE =
  /\b(?:[Tt]he|[Tt]hese|[Tt]hose|[Bb]oth) two (?:countries|nations|sides|governments|states|neighbou?rs)\b|\b[Bb]oth (?:countries|nations|sides)\b/;
const COUNTRY_PAIR =
  /\b(\p{Lu}[\p{L}-]+(?: \p{Lu}[\p{L}-]+)?)(?:,| and|—| —) (?:the )?(\p{Lu}[\p{L}-]+(?: \p{Lu}[\p{L}-]+)?)\b/gu;
const NAMED_PAIR = /\p{Lu}[\p{L}-]+(?: \p{Lu}[\p{L}-]+)? and (?:the )?\p{Lu}/u;
const HONORIFIC = /\b(?:Mr|Ms|Mrs|Dr|Miss)\.? (\p{Lu}[\p{L}’'-]+)/u;
const PRONOUN_TAIL = new RegExp(String.raw`\b(he|she) (${ATTRIBUTION_VERBS})\b`, "i");
const SURNAME_ATTRIBUTION = new RegExp(
  String.raw`(?:\b(?:${ATTRIBUTION_VERBS}) (\p{Lu}[\p{L}’'-]+)(?=[.,;]|$)|(?:^|[,”"] )(\p{Lu}[\p{L}’'-]+) (?:${ATTRIBUTION_VERBS})\b)`,
  "u",
);
/** Words of a person's role that come before the name: "South Korean President Yoon Suk Yeol". */
const ROLE_WORD =
  /^(?:President|Prime|Minister|Foreign|Defen[cs]e|Secretary|Secretary-General|General|Colonel|Admiral|Professor|Ambassador|Chief|Chairman|Chairwoman|Vice|Deputy|Leader|Spokesperson|Spokesman|Spokeswoman|Director|Senator|Governor|Commander|Marshal|Army|Navy|Staff|Former|former|South|North|East|West|of|the|\p{Lu}{2,}|\p{Lu}\p{Ll}+(?:an|ese|ish|i|ic))$/u;
const DATELINE =
  /^(?:\((?:MENAFN|Reuters|AP|AFP|Yonhap|UPI|Xinhua)\b[^)]*\)\s*|\p{Lu}[\p{Lu} ./'-]{2,}(?:,\s*[\p{L}.]+(?:\s\d{1,2})?)?\s*(?:\([^)]*\))?\s*[-–—]\s+)/u;
/** Never a development: rumours, teasers, the writer's speculation (hedged reporting is kept). */
const SPECULATION =
  /\b(?:rumou?rs?|rumou?red|speculat\w*|tantali[sz]\w*|intriguing|remains to be seen|troubling|what if)\b/i;
/** Case-sensitive on purpose: "May" the month is not the modal "may". */
const WRITERS_GUESS =
  /\b(?:could|would|might|may|perhaps|probably|possibly|likely|seems?|appears? to|suggests?|arguably|presumably|feel|feels|think|thinks|believe|believes)\b/;
/**
 * Candidates kept per article: the first six that stand alone (news leads with the news, and
 * the summary ranks early sentences first). A digest takes at most six items, two an article
 * in a week of several; more candidates only cost the cron CPU: measured on a synthetic week
 * of 1,000 articles, summarizeWeek took 63 ms of CPU at six an article, 91 ms at eight, about
 * 300 ms with all of them (Workers Free allows 10 ms a week of 50 articles, 50 ms of 1,000).
 * Twelve, with a busy week reading six of each, gave the seed pages no better summary and the
 * cron more JSON to parse.
 */
export const MAX_CANDIDATES = 6;
/**
 * Of more standalone sentences than that, the lead (the first three) is always kept; the other
 * places go to attributed ones first (someone named says it: reporting, where an analysis
 * piece's unattributed sentences are mostly its writer's background), then by order. Kept in
 * the article's order, which the summary ranks by. Node does the choosing: the cron's work
 * stays the same six an article.
 */
const LEAD = 3;

function keepBest(taken: readonly AnalysedSentence[]): AnalysedSentence[] {
  if (taken.length <= MAX_CANDIDATES) return [...taken];
  const rest = taken
    .slice(LEAD)
    .map((c, i) => ({ c, i, attributed: ATTRIBUTED.test(c.text) }))
    .sort((a, b) => Number(b.attributed) - Number(a.attributed) || a.i - b.i)
    .slice(0, MAX_CANDIDATES - LEAD)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.c);
  return [...taken.slice(0, LEAD), ...rest];
}
const MIN_WORDS = 6;
const MAX_WORDS = 60;

const wordsIn = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The first mention of the person whose last (or first, for Korean order) name is `name`, with role. */
function fullName(name: string, earlier: string, requireRole = false): string | null {
  const western = new RegExp(String.raw`(?:\p{Lu}[\p{L}’'-]+ ){1,2}${escape(name)}\b`, "u");
  const eastern = new RegExp(String.raw`\b${escape(name)}(?: \p{Lu}[\p{L}’'-]+){1,2}\b`, "u");
  const m = western.exec(earlier) ?? eastern.exec(earlier);
  if (m === null) return null;
  const words = m[0].split(" ");
  // Korean order puts the family name first: "President Yoon Suk Yeol".
  const after = /^(?: \p{Lu}[\p{L}’'-]+){1,2}\b/u.exec(earlier.slice(m.index + m[0].length));
  if (after && words.at(-1) === name) words.push(...after[0].trim().split(" "));
  // The role words before the name, as the article first gave them.
  const role: string[] = [];
  while (words.length > 2 && ROLE_WORD.test(words[0]!)) role.push(words.shift()!);
  const before = earlier.slice(0, m.index).trimEnd().split(" ");
  while (before.length > 0 && ROLE_WORD.test(before.at(-1)!)) role.unshift(before.pop()!);
  while (role.length > 0 && /^(?:of|the)$/.test(role[0]!)) role.shift();
  if (requireRole && role.length === 0) return null;
  // The name must be the person's own (first or last of the name), never a word of a role.
  if (words[0] !== name && words.at(-1) !== name) return null;
  const text = [...role, ...words].join(" ").replace(/[’']s$/, "");
  return words.length >= 2 && !/^(?:Mr|Ms|Mrs|Dr)\b/.test(text) ? text : null;
}

/**
 * Who "he" or "she" is: the person the sentence just before quotes ("X said", "said X", "X, a
 * …, said"), named in full as the article first names them; null when that sentence quotes
 * nobody by name, or an agency or a country (never a guess from further back).
 */
function lastSpeaker(previous: string, earlier: string): string | null {
  const re = new RegExp(
    String.raw`(\p{Lu}[\p{L}’'-]+)(?: of(?: the)?(?: \p{Lu}[\p{L}’'-]+){1,4})?(?:,[^.,“”"]{1,60},)? (?:${ATTRIBUTION_VERBS})\b|\b(?:${ATTRIBUTION_VERBS}) (\p{Lu}[\p{L}’'-]+)(?=[.,;])`,
    "gu",
  );
  let speaker: string | null = null;
  for (const m of previous.matchAll(re)) {
    const name = m[1] ?? m[2]!;
    if (ORGANISATION_WORD.test(name) || /^\p{Lu}+$/u.test(name)) continue;
    speaker = fullName(name, `${earlier} ${previous}`) ?? speaker;
  }
  return speaker;
}

/** "Russia and China": the last two countries the text before named together, or null. */
function lastCountryPair(earlier: string, countries: readonly string[]): string | null {
  if (countries.length === 0) return null;
  const known = new Set(countries);
  // The pair the article names most often (its headline counts): a passing "a message to the
  // United States and North Korea" is not the article's pair. Two pairs as often: no telling.
  const named = new Map<string, { pair: string; count: number }>();
  for (const m of earlier.matchAll(COUNTRY_PAIR)) {
    if (!known.has(m[1]!) || !known.has(m[2]!)) continue;
    const key = [m[1]!, m[2]!].sort().join("|");
    const seen = named.get(key);
    named.set(key, { pair: `${m[1]} and ${m[2]}`, count: (seen?.count ?? 0) + 1 });
  }
  const ranked = [...named.values()].sort((a, b) => b.count - a.count);
  if (ranked.length > 1 && ranked[1]!.count === ranked[0]!.count) return null;
  return ranked[0]?.pair ?? null;
}

/** Words that cannot be part of the name of a thing: determiners, pronouns, links. */
const NOT_A_MODIFIER =
  /^(?:the|a|an|of|and|or|but|their|its|his|her|our|that|this|these|those|which|who|with|to|in|on|at|by|for|from|as|is|are|was|were|has|have|had|be|been|said|says)$/i;

/**
 * What the article called the thing a bare "the exercises" points back at: the words before the
 * noun where it was introduced ("a series of joint air defense exercises" → "joint air defense
 * exercises"). Looked for in the last sentences only, going further back only while each
 * sentence keeps speaking of "the exercises" (the chain a reader follows); null when none.
 */
function antecedent(noun: string, earlier: string): string | null {
  // "Dec. 11" ends no sentence: a new one starts with a capital.
  const sentences = earlier.split(/(?<=[.!?]["”’]?)\s+(?=["“‘]?\p{Lu})/u);
  const introduced = new RegExp(
    String.raw`\b(?:a (?:series|number|pair|round) of|an?|some|several|new|\d[\d,]*)\s+((?:[\p{L}-]+\s+){1,4})${escape(noun)}\b`,
    "u",
  );
  const mentioned = new RegExp(String.raw`\b[Tt]he ${escape(noun)}\b`, "u");
  let gaps = 0;
  for (let i = sentences.length - 1; i >= 0 && gaps < 3; i--) {
    const m = introduced.exec(sentences[i]!);
    if (m) {
      // Only words that name it ("joint naval"): "a grain and fertiliser agreement" is not
      // shortened to a "fertiliser agreement" it never was.
      const words = m[1]!.trim().split(/\s+/);
      return words.some((w) => NOT_A_MODIFIER.test(w)) ? null : `${words.join(" ")} ${noun}`;
    }
    if (!mentioned.test(sentences[i]!)) gaps++;
  }
  return null;
}

/** "Two jets … the jets": the sentence itself named what "the" points at. */
function sameNounBefore(noun: string, before: string): boolean {
  const stem = noun.toLowerCase().replace(/(?:es|s)$/, "");
  const kin = KINDRED.find((group) => group.includes(stem)) ?? [stem];
  return new RegExp(String.raw`\b(?:${kin.map(escape).join("|")})`, "i").test(before);
}

/** Nouns that name the same thing: "24 fighter jets …, and crews received the aircraft". */
const KINDRED: readonly (readonly string[])[] = [
  ["aircraft", "plane", "jet", "bomber", "warplane", "fighter", "flight", "patrol"],
  ["troop", "soldier", "forces", "unit"],
  ["ship", "vessel", "destroyer", "frigate"],
  ["missile", "launch", "rocket"],
];

/** A quote that opened before this sentence, or opens mid-word: the sentence is not whole. */
function brokenQuote(text: string): boolean {
  // Quotes run together with the words around them: a page whose quotes lost their layout.
  if (/[\p{L}\]]["“”][\p{L}[]/u.test(text)) return true;
  if (/^[\p{Ll}”’]/u.test(text) || /^["“‘]\p{Ll}/u.test(text)) return true;
  let depth = 0;
  for (const ch of text) {
    if (ch === "“") depth++;
    else if (ch === "”") {
      if (depth === 0) return true;
      depth--;
    }
  }
  if (depth !== 0) return true;
  return (text.match(/"/g)?.length ?? 0) % 2 === 1;
}

/** Why `s` leans on something outside it, or null when it stands alone as it is. */
function subjectProblem(s: Sentence): string | null {
  const opening = danglingOpening(s.text);
  if (opening !== null) return `opens with "${opening}"`;
  // A quote its speaker is named for: "we", "our" and "I" inside it are the speaker.
  const quoted = /^["“]/.test(s.text) && ATTRIBUTED.test(s.text);
  // The subject: the words before the first verb.
  for (const t of s.tokens) {
    if (t.pos === "VERB" || t.pos === "AUX") break;
    const word = t.text.toLowerCase();
    if (quoted && FIRST_PERSON.has(word)) continue;
    if ((t.pos === "PRON" || t.pos === "DET") && SUBJECT_PRONOUNS.has(word))
      return `its subject is "${t.text}"`;
  }
  return null;
}

interface Outcome {
  readonly taken: AnalysedSentence | null;
  readonly left: string | null;
}

function judge(
  s: Sentence,
  previous: string,
  earlier: string,
  input: AnalysisInput,
  position: string,
  insideQuote: boolean,
  /** When `s` was cut from a longer sentence: that sentence, and how it was cut. */
  cutFrom?: { readonly original: string; readonly rewrite: string },
): Outcome {
  const original = s.text;
  const out = (why: string): Outcome => ({ taken: null, left: why });
  if (!/[.!]["”’')\]]*$/.test(original))
    return out(/\?["”’')\]]*$/.test(original) ? "a question" : "not a whole sentence");
  const chrome = chromeReason(original, input);
  if (chrome !== null) return out(chrome);
  if (insideQuote || brokenQuote(original)) return out("a quote that opens outside it");
  if (/^["“‘']/.test(original) && !ATTRIBUTED.test(original))
    return out("a quote without who said it");
  if (/^There,/.test(original)) return out('opens with "There,"');
  const leaning = quoteLeansOutside(original);
  if (leaning !== null) return out(leaning);
  if (/^The other\b/.test(original)) return out('opens with "The other"');
  const speculation = SPECULATION.exec(original);
  if (speculation) return out(`speculation ("${speculation[0]}")`);
  // The writer's own guess, nobody named as saying it. A hedge someone is quoted with, or a
  // "reportedly", is reporting: kept, hedge and all.
  const guess = WRITERS_GUESS.exec(original);
  if (guess && !ATTRIBUTED.test(original)) return out(`unattributed speculation ("${guess[0]}")`);
  const rewrites: string[] = cutFrom ? [cutFrom.rewrite] : [];
  let text = original;
  const dateline = DATELINE.exec(text);
  if (dateline) {
    text = text.slice(dateline[0].length);
    rewrites.push(`"${dateline[0].trim()}" → "" (dateline)`);
  }
  const linking = LINKING_OPENER.exec(text);
  if (linking) {
    const rest = text.slice(linking[0].length);
    text = rest[0]!.toUpperCase() + rest.slice(1);
    rewrites.push(`"${linking[0].trim()}" → "" (ties the sentence to the one before)`);
  }
  const vagueTime = VAGUE_TIME.exec(text);
  if (vagueTime) return out(`the date "${vagueTime[0]}" cannot be placed`);
  const demonstrativeSubject = DEMONSTRATIVE_SUBJECT.exec(text);
  if (demonstrativeSubject) return out(`"${demonstrativeSubject[0]}" without saying what`);
  const role = BACK_REFERRING_ROLE.exec(text);
  if (role && THE_THING.test(role[0])) {
    // The person is named: the role that only says "the ministry" goes, the name stays.
    text = text.replace(role[0], role[1]!);
    rewrites.push(`"${role[0].slice(role[1]!.length)}" → "" (a role that does not say which)`);
  }
  const rename = (from: string, to: string) => {
    text = text.replace(from, to);
    rewrites.push(`"${from}" → "${to}"`);
  };

  // He/She as the subject, or a "…, he added" tail: the speaker named just before, if any.
  const first = s.tokens[0]?.text.toLowerCase();
  if (first === "he" || first === "she") {
    const speaker = lastSpeaker(previous, earlier);
    if (speaker === null)
      return out(`its subject is "${s.tokens[0]!.text}", whom the sentence before does not name`);
    rename(s.tokens[0]!.text, speaker);
  } else {
    const problem = subjectProblem({ ...s, text });
    if (problem !== null) return out(problem);
  }
  const tail = PRONOUN_TAIL.exec(text);
  if (tail) {
    const speaker = lastSpeaker(`${previous} ${text.slice(0, tail.index)}`, earlier);
    if (speaker === null) return out(`"${tail[0]}" without the speaker's name`);
    rename(tail[0], `${speaker} ${tail[2]}`);
  }
  const honorific = HONORIFIC.exec(text);
  if (honorific) {
    const name = fullName(honorific[1]!, earlier);
    if (name === null) return out(`"${honorific[0]}" is named in full nowhere before`);
    rename(honorific[0], name);
  }
  const surname = SURNAME_ATTRIBUTION.exec(text);
  const bare = surname?.[1] ?? surname?.[2];
  if (
    bare !== undefined &&
    !new RegExp(String.raw`\p{Lu}[\p{L}’'-]+ ${escape(bare)}\b`, "u").test(text)
  ) {
    const name = fullName(bare, earlier);
    if (name !== null) rename(bare, name);
  }
  // A person named by one name only ("spoke with Yoon"), whom the article introduced with
  // a role earlier: named in full.
  for (const m of text.matchAll(LONE_NAME)) {
    const lone = m[1]!;
    if (ORGANISATION_WORD.test(lone) || ROLE_WORD.test(lone) || m.index === 0) continue;
    if (
      new RegExp(
        String.raw`\p{Lu}[\p{L}’'-]+ ${escape(lone)}\b|\b${escape(lone)} \p{Lu}`,
        "u",
      ).test(text)
    )
      continue;
    const name = fullName(lone, earlier, true);
    if (name !== null && !text.includes(name)) rename(lone, name);
  }
  const pairReference = PAIR_REFERENCE.exec(text);
  if (pairReference && !NAMED_PAIR.test(text.slice(0, pairReference.index))) {
    const pair = lastCountryPair(earlier, input.countries ?? []);
    if (pair !== null) rename(pairReference[0], pair);
  }
  const demonstrative = DEMONSTRATIVE_THAT.exec(text);
  if (demonstrative && !REPORTING_BEFORE.test(text.slice(0, demonstrative.index)))
    return out(`"${demonstrative[0]}" without saying which`);
  // "the exercises", when the sentences just before named them in full ("a series of joint
  // air defence exercises… the exercises…"): named as the article did.
  for (const re of [THE_EVENT, THE_THING]) {
    const bare = re.exec(text);
    if (bare === null || sameNounBefore(bare[1]!, text.slice(0, bare.index))) continue;
    const full = antecedent(bare[1]!, earlier);
    if (full !== null) rename(bare[0], `${bare[0].slice(0, 4)}${full}`);
  }
  const vague = VAGUE_REFERENCE.exec(text) ?? THE_EVENT.exec(text);
  // "China and Russia … from both sides": the sentence itself says which.
  const named =
    vague !== null &&
    NAMED_PAIR.test(text.slice(0, vague.index)) &&
    /\b(?:two|both)\b/i.test(vague[0]);
  if (vague && !named) return out(`"${vague[0]}" without saying which`);
  const thing = THE_THING.exec(text);
  if (thing && !sameNounBefore(thing[1]!, text.slice(0, thing.index)))
    return out(`"${thing[0]}" without saying which`);

  const dates = resolveDates(text, {
    published: input.published,
    approximate: input.dateApproximate,
  });
  if (dates.unresolved !== null) return out(`the date "${dates.unresolved}" cannot be placed`);
  text = dates.text;
  rewrites.push(...dates.rewrites);
  const relative = relativeDate(text);
  if (relative !== null) return out(`the date "${relative}" cannot be placed`);
  // Inside a quote the speaker may point ("this war"); in the writer's words, outside any date
  // resolved above, "this military aircraft" is one the sentence never names.
  const pointing = DEMONSTRATIVE_DETERMINER.exec(text.replace(/["“][^"”]*["”]/g, '""'));
  if (pointing) return out(`"${pointing[0]}" without saying which`);
  const words = wordsIn(text);
  if (words < MIN_WORDS || words > MAX_WORDS) return out(`${words} words`);

  const notes = [position];
  if (rewrites.length > 0) notes.push(`rewritten to stand alone (${rewrites.length})`);
  const hedge = HEDGE.exec(text);
  if (hedge) notes.push(`hedged ("${hedge[0]}"), kept as the source says it`);
  if (ATTRIBUTED.test(text)) notes.push("attributed");
  // The original is stored only when it differs: the cron parses every week's analyses.
  const taken: AnalysedSentence =
    text === original && cutFrom === undefined
      ? { text, rewrites, reason: notes.join("; ") }
      : { text, original: cutFrom?.original ?? original, rewrites, reason: notes.join("; ") };
  return { taken, left: null };
}

/** Where a second main clause starts: ", and his office said…", "; they…". */
const CLAUSE_JOIN = /(?:, (?:and|but|while)|;) (?=\S)/g;

/**
 * The sentence's first main clause, when a later one ("…, and his office stated that this
 * represents…") is what leans outside it: a clause with its own subject and verb may go, the
 * one that stands alone is kept as a sentence. Null when no such cut exists.
 */
function firstMainClause(
  s: Sentence,
): { readonly sentence: Sentence; readonly dropped: string } | null {
  for (const m of s.text.matchAll(CLAUSE_JOIN)) {
    const head = s.text.slice(0, m.index);
    if (wordsIn(head) < MIN_WORDS || brokenQuote(head)) continue;
    const rest = s.text.slice(m.index);
    const [next] = splitSentences(s.text.slice(m.index + m[0].length));
    // Its own subject (a noun or pronoun first) and verb before any comma: a main clause.
    const tokens = next?.tokens ?? [];
    const verb = tokens.findIndex((t) => t.pos === "VERB" || t.pos === "AUX");
    const comma = tokens.findIndex((t) => /^[,;:]$/.test(t.text));
    if (
      !/^(?:PRON|DET|PROPN|NOUN)$/.test(tokens[0]?.pos ?? "") ||
      verb < 1 ||
      (comma !== -1 && comma < verb)
    )
      continue;
    const [sentence] = splitSentences(`${head}.`);
    if (sentence === undefined) return null;
    return { sentence, dropped: rest };
  }
  return null;
}

/** A speaker's name and role as a blog puts it after a quote: capitalised words, no sentence. */
const SPEAKER_LINE =
  /^(?:\p{Lu}[\p{L}’'.-]*|of|the|for|and|de|al)(?:,? (?:\p{Lu}[\p{L}’'.-]*|of|the|for|and|de|al)){1,10}$/u;

/**
 * A page whose quotes and their speakers lost their layout: `"…first.""…second."Foreign
 * Minister Jane Doe"…`. Each run of quotes is split, and the quote right before a speaker's
 * name is attributed to them as a sentence (`"…second," Foreign Minister Jane Doe said.`), the
 * rewrite recorded; quotes without a name right after stay unattributed.
 */
function attributeRunTogetherQuotes(text: string): {
  readonly text: string;
  readonly attributed: ReadonlyMap<string, { original: string; rewrite: string }>;
} {
  const attributed = new Map<string, { original: string; rewrite: string }>();
  if (!/[.!?\]]"\p{Lu}/u.test(text)) return { text, attributed };
  const parts = text.split(/("[^"]*")/).filter((p) => p.trim() !== "");
  const out: string[] = [];
  for (const [i, part] of parts.entries()) {
    const speaker = part.trim();
    const quote = parts[i - 1];
    if (
      quote?.startsWith('"') === true &&
      !part.startsWith('"') &&
      SPEAKER_LINE.test(speaker) &&
      /[.!]"$/.test(quote)
    ) {
      const sentence = `${quote.slice(0, -2)}${quote.at(-2) === "!" ? "!" : ","}" ${speaker} said.`;
      out[out.length - 1] = sentence;
      attributed.set(sentence, {
        original: `${quote}${speaker}`,
        rewrite: `'${quote}${speaker}' → '${sentence}' (the page names the speaker after the quote)`,
      });
      continue;
    }
    out.push(part.trim());
  }
  return { text: out.join(" "), attributed };
}

/** A pronoun in a quote before it names anyone: "There is a big risk of it growing". */
function quoteLeansOutside(text: string): string | null {
  const quote = /^["“]([^"”]*)["”]/.exec(text)?.[1];
  if (quote === undefined) return null;
  const m = /\b(?:it|its|they|them|their|he|she|him|her)\b/i.exec(quote);
  if (m === null) return null;
  const named = /(?:^|[^.!?]\s)\p{Lu}[\p{L}’'-]+/u.test(
    quote.slice(0, m.index).replace(/^\W*\S+/, ""),
  );
  return named ? null : `"${m[0]}" in the quote before it names anyone`;
}

export interface AnalysisReport {
  readonly analysis: ArticleAnalysis;
  /** Each sentence left out, and why (for tuning and for the operator). */
  readonly left: readonly { readonly sentence: string; readonly why: string }[];
}

/** The article's analysis, and what was left out and why. */
export function analyzeBody(input: AnalysisInput): AnalysisReport {
  const blocks = pageBlocks(input.markdown, input.markdownLine);
  const repeated = new Set(chromeLines(blocks, input).map((c) => c.line));
  const candidates: AnalysedSentence[] = [];
  const left: { sentence: string; why: string }[] = [];
  let earlier = `${input.title}. ${input.summary}`;
  let previous = "";
  for (const block of blocks) {
    if (
      block.kind === "heading" ||
      block.kind === "caption" ||
      block.kind === "quote" ||
      repeated.has(block.line)
    ) {
      left.push({
        sentence: block.text,
        why: repeated.has(block.line) ? "page chrome" : `a ${block.kind}`,
      });
      previous = "";
      continue;
    }
    let quoteDepth = 0;
    const quotes = attributeRunTogetherQuotes(block.text);
    for (const s of splitSentences(quotes.text)) {
      const position = `from the body, line ${block.line}`;
      let { taken, left: why } = judge(
        s,
        previous,
        earlier,
        input,
        position,
        quoteDepth > 0,
        quotes.attributed.get(s.text),
      );
      const head = taken === null && quoteDepth === 0 ? firstMainClause(s) : null;
      if (head !== null) {
        const cut = judge(head.sentence, previous, earlier, input, position, false, {
          original: s.text,
          rewrite: `"${head.dropped}" → "." (a clause that leans outside the sentence: ${why})`,
        });
        if (cut.taken !== null) ({ taken, left: why } = cut);
      }
      quoteDepth = Math.max(
        0,
        quoteDepth + (s.text.match(/“/g)?.length ?? 0) - (s.text.match(/”/g)?.length ?? 0),
      );
      if (taken) candidates.push(taken);
      else left.push({ sentence: s.text, why: why! });
      earlier = `${earlier} ${s.text}`;
      previous = s.text;
    }
  }
  return { analysis: { version: ANALYSIS_VERSION, candidates: keepBest(candidates) }, left };
}

export function analyzeArticle(input: AnalysisInput): ArticleAnalysis {
  return analyzeBody(input).analysis;
}

/** The chrome lines of a body, as `file:line` warnings: the article looks like a pasted page. */
export function pastedPageWarnings(file: string, input: AnalysisInput): string[] {
  const lines: ChromeLine[] = chromeLines(pageLines(input.markdown, input.markdownLine), input);
  return lines.map(
    (c) =>
      `${file}:${c.line}: "${c.text.length > 70 ? `${c.text.slice(0, 67)}…` : c.text}" looks like page chrome (${c.what}), not reporting: expected the article's text only; remove the line (publish --strict refuses such an article)`,
  );
}
