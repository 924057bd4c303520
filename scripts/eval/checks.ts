/**
 * What a reader must never meet in a digest item, looked for over the whole item:
 *
 * - page furniture ("chrome"): captions and credits, bylines, share and sign-up lines,
 *   advertisements, related headlines, comment promos, legal boilerplate, headlines;
 * - a dangling item: one that leans on text the reader does not have (a pronoun or "the
 *   report" with nothing in the item it refers to, "Mr. X" never named in full, "…, he added",
 *   a quotation opening mid-sentence);
 * - an unresolved relative date: "on Friday", "last summer", "July 18" with no year.
 *
 * Written for the evaluation, independently of the summarizer's own filters
 * (src/model/standalone.ts, src/digest/summary/extract.ts): an evaluation that called them
 * would pass whatever they let through.
 */

const WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";
const MONTH =
  "January|February|March|April|May|June|July|August|September|October|November|December";
const MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";

/** [pattern, what it is] for page furniture. */
const CHROME: readonly (readonly [RegExp, string])[] = [
  [/(?:^|\s)\|(?:\s|$)/, "a caption or credit separator ( | )"],
  [/\b(?:photo|image|video|picture|footage)s?\s*(?::|by\b|credit)/i, "a photo caption or credit"],
  [/\b(?:getty images|ap photo|afp via|via reuters|handout|file photo)\b/i, "a photo credit"],
  [/\bimage$/i, "an image placeholder"],
  [/\badvertisement\b|\bscroll to continue\b|^sponsored\b/i, "an advertisement line"],
  [
    /\b(?:sign up|subscribe|newsletter|log in to comment|join the conversation|post a comment|leave a comment)\b|\bcomments?\s*(?:\(\d+\)|:)|\b\d+ comments?\b/i,
    "a sign-up or comment promo",
  ],
  [
    /\b(?:share (?:this|on)|follow us|listen to this article|read more|read next|related (?:articles|stories|coverage)|most (?:popular|read)|check out (?:our|other)|skip to (?:main )?content|post navigation|<< home)\b|^related\b/i,
    "a share, follow or related-links line",
  ],
  [
    /\b(?:all rights reserved|legal disclaimer|terms of use|privacy policy|cookie policy|our standards|trust principles)\b|©/i,
    "legal or house boilerplate",
  ],
  [/\b(?:reporting|editing|written|text) by\b/i, "a byline"],
  [/^By \p{Lu}\p{Ll}+ \p{Lu}/u, "a byline"],
  [
    /\b(?:published|updated):|\bupdated \d+ (?:hours?|minutes?) ago\b|\b(?:GMT|UTC|KST|JST|CET|BST|EST|EDT)\b/i,
    "a timestamp",
  ],
  [new RegExp(`^(?:${WEEKDAY}), (?:${MONTH}) \\d{1,2}, \\d{4}$`), "a date banner"],
  [/^labels?:/i, "a tag list"],
  [/›|»/, "a breadcrumb"],
  [/\b[A-Z]{3,}\d{8,}/, "a syndication id"],
  // "North KoreaNorth Korea and Russia…": a section label run into the headline it repeats.
  [/(\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)*)\1/u, "a label run into the text that repeats it"],
  // "SEOUL, Dec 2 (Pacific Wire) - …": the wire's dateline, not part of the news.
  [/^\p{Lu}{2,}(?:[/ ]\p{Lu}{2,})*, [^.]{0,40}?[-–—] /u, "a dateline"],
];

/** A headline: most words capitalised, and no sentence ending. */
function looksLikeHeadline(item: string): boolean {
  if (/[.!]["”’')\]]*$/.test(item)) return false;
  const words = item.match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
  if (words.length < 4) return false;
  const content = words.filter((w) => w.length > 3);
  const capitalised = content.filter((w) => /^\p{Lu}/u.test(w));
  return content.length > 0 && capitalised.length / content.length >= 0.75;
}

/**
 * Why `item` is page furniture, or null. A development must be a sentence: a line with no
 * sentence ending is a headline, a label or a caption. A key figure's line is a figure and what
 * it counts, with no sentence ending of its own.
 */
export function chromeIn(
  item: string,
  kind: "development" | "figure" = "development",
): string | null {
  const text = item.trim();
  for (const [pattern, what] of CHROME) {
    if (pattern.test(text)) return what;
  }
  if (looksLikeHeadline(text)) return "a headline, not a sentence";
  if (kind === "development" && !/[.!?]["”’')\]]*$/.test(text)) {
    return "a headline or label, not a sentence";
  }
  return null;
}

/** Openings that point outside the item: pronouns, demonstratives, continuing connectives. */
const LEANING_OPENING =
  /^["“‘'(]?(?:this|that|these|those|they|them|it|its|it's|he|she|his|her|their|such|both|another|additional|additionally|also|meanwhile|however|but|and|or|yet|still|instead|moreover|furthermore|then|thus|therefore|hence|likewise|similarly|otherwise|lately|here|the latter|the former|the same|even more|more recently|since then|in (?:the|a) (?:latest|related|separate|similar) development)(?![\p{L}\p{N}'’])/iu;

/** A demonstrative standing as the subject anywhere: "…, this is the first visit…". */
const DEMONSTRATIVE_SUBJECT =
  /\b(?:this|these|those) (?:is|was|are|were|means|meant|shows|showed|marks|marked|represents|represented|would|will|could)\b/i;
/** "the same military aircraft": the one some other sentence spoke of. */
const THE_SAME = /\bthe same (?!day\b|time\b|week\b|month\b|year\b)\p{L}+/iu;

/** The publication itself, seen from inside it: never clear in a digest. */
const SOURCE_ITSELF =
  /\b(?:the|this) (?:article|post|piece|blog|author|writer|columnist|op-ed|essay|story)\b/i;

/**
 * Nouns that, after "the"/"this"/"that", refer to something said before; each with the words
 * that, earlier in the item, give it something to refer to ("a Russian aircraft … the plane").
 */
const ANTECEDENTS: Readonly<Record<string, string>> = {
  report: "report",
  study: "study",
  statement: "statement|said|stated",
  announcement: "announc",
  declaration: "declar",
  remark: "remark|said",
  comment: "comment|said",
  move: "move|moved",
  decision: "decision|decided",
  plan: "plan",
  claim: "claim",
  development: "develop",
  visit: "visit",
  meeting: "meet|met",
  talk: "talk|met|meeting",
  drill: "drill|exercise",
  exercise: "exercise|drill",
  launch: "launch|fired|missile",
  flight: "flight|flew|aircraft|plane|bomber|jet",
  aircraft: "aircraft|plane|bomber|jet|flight",
  plane: "aircraft|plane|bomber|jet|flight",
  missile: "missile|rocket",
  delegation: "delegation",
  treaty: "treaty|pact|agreement",
  deal: "deal|agreement",
  agreement: "agreement|deal|treaty",
  spokesperson: "spokes",
  spokesman: "spokes",
  spokeswoman: "spokes",
  ministry: "ministry",
  agency: "agency|intelligence service",
  official: "official|minister|ministry",
  expert: "expert|analyst",
  analyst: "analyst|expert",
  professor: "professor",
  minister: "minister",
  troop: "troop|soldier|forces",
  soldier: "soldier|troop",
  unit: "unit|brigade|troop",
  attack: "attack",
  incident: "incident|accident",
  video: "video|footage",
  footage: "video|footage",
  photo: "photo|image",
  document: "document",
  intelligence: "intelligence",
  priority: "priorit",
  event: "event",
  exchange: "exchange",
  patrol: "patrol|flight|flew",
  zone: "zone",
  operation: "operation",
  deployment: "deploy",
  summit: "summit",
  sanction: "sanction",
  project: "project",
  programme: "programme|program",
  program: "programme|program",
  test: "test",
  strike: "strike",
  offensive: "offensive",
  ceasefire: "ceasefire|truce",
};
const NOUNS = Object.keys(ANTECEDENTS).join("|");
const ANAPHORIC = new RegExp(
  // "that" only before a singular noun: "said that troops…" is a conjunction, not "that troop".
  String.raw`\b(?:(?:the|this|these|those) (?:same |spy )?(${NOUNS})s?|that (?:same )?(${NOUNS}))\b`,
  "gi",
);
/** "the two countries": needs two named parties before it in the item. */
const THE_TWO =
  /\b(?:the two|both) (?:countries|nations|sides|leaders|men|women|governments|militaries|armies|states|allies|parties|officials)\b/gi;
const TWO_NAMED = /\p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*)*,? and (?:the )?\p{Lu}/u;

const HONORIFIC = /\b(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.? (\p{Lu}[\p{L}'’-]+)/gu;

/** Speech verbs that make "X said" an attribution. */
const SAID = "said|says|told|added|noted|stressed|warned|argued|explained|insisted";
const PRONOUN_SPEECH = new RegExp(String.raw`(?:,|["”])\s*(?:he|she|they)\s+(?:${SAID})\b`, "i");
const NAMED_SPEAKER = new RegExp(
  String.raw`\p{Lu}[\p{L}'’-]+ \p{Lu}[\p{L}'’-]+(?:,[^,]{0,80},)? (?:${SAID})\b|\b(?:${SAID}) \p{Lu}[\p{L}'’-]+ \p{Lu}`,
  "u",
);
/** A lone capitalised word as a speaker: "according to Wu," / "Schuster said". */
const LONE_SPEAKER = new RegExp(
  String.raw`(?:\baccording to (\p{Lu}[\p{L}'’-]+)(?=[,.;]|$)|(?<![\p{L}'’-])(?<!\p{Lu}[\p{L}'’.-]* (?:(?:of|the|for|and|de|al) )*)(\p{Lu}[\p{Ll}'’-]+) (?:${SAID})\b|\b(?:${SAID}) (\p{Lu}[\p{Ll}'’-]+)(?=[,.;]|$))`,
  "gu",
);
/** Places, bodies and common nouns that speak as one word ("Seoul said", "Officials said"). */
const SPEAKS_AS_ONE_WORD = new Set(
  "Seoul Moscow Kyiv Kiev Pyongyang Beijing Washington Tokyo Kremlin Ukraine Russia China Japan Iran Taipei Taiwan Brussels London Paris Berlin Minsk Tehran Israel Reuters Officials Analysts Experts Sources Critics Observers Witnesses Residents Diplomats Lawmakers Police Authorities Troops Soldiers Ministers Government Military Pentagon Britain Germany France India".split(
    " ",
  ),
);

/**
 * Whether `before` names the person `name` refers to in full: given name first ("Carl Schuster")
 * or family name first ("Lee Dong-wook", "Kim Jong Un").
 */
function namedInFull(name: string, before: string): boolean {
  return new RegExp(
    String.raw`\p{Lu}[\p{L}'’-]+ ${name}(?![\p{L}])|(?<![\p{L}])${name} \p{Lu}`,
    "u",
  ).test(before);
}

/** A key figure's line opens with its quantity, lowercase when spelt out: "ten thousand troops". */
const QUANTITY =
  /^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|dozens?|some|about|around|nearly|almost|over|more than|at least|up to|tens of)\b/;

/** Why `item` leans on text the reader does not have, or null. */
export function danglingIn(item: string): string | null {
  const text = item.trim();
  const opening = LEANING_OPENING.exec(text);
  if (opening)
    return `opens with "${opening[0].replace(/^["“‘'(]/, "")}", which refers outside the item`;
  if (/^["“‘']?(?:\[|…|\.\.\.|\p{Ll})/u.test(text) && !QUANTITY.test(text)) {
    return "opens mid-sentence";
  }
  if (/["“‘]\s*(?:\[|…|\.\.\.)/.test(text))
    return "quotes a sentence from its middle ([…] or … at the quote's start)";
  const curlyOpen = (text.match(/“/g) ?? []).length;
  const curlyClose = (text.match(/”/g) ?? []).length;
  const straight = (text.match(/"/g) ?? []).length;
  if (curlyOpen !== curlyClose || straight % 2 === 1) return "a quotation cut off";

  const demonstrative = DEMONSTRATIVE_SUBJECT.exec(text);
  if (demonstrative) return `"${demonstrative[0]}" refers to something the item does not say`;
  const same = THE_SAME.exec(text);
  if (same) return `"${same[0]}" refers to something the item does not name`;

  const source = SOURCE_ITSELF.exec(text);
  if (source) return `"${source[0]}" is the source itself, which the reader does not have`;

  for (const m of text.matchAll(ANAPHORIC)) {
    // "the aircraft tracking website": the noun modifies another, it refers to nothing.
    if (/^ \p{Ll}+ing \p{Ll}/u.test(text.slice(m.index + m[0].length))) continue;
    const antecedent = new RegExp(`\\b(?:${ANTECEDENTS[(m[1] ?? m[2])!.toLowerCase()]!})`, "i");
    if (!antecedent.test(text.slice(0, m.index))) {
      return `"${m[0]}" refers to something the item does not name`;
    }
  }
  for (const m of text.matchAll(THE_TWO)) {
    if (!TWO_NAMED.test(text.slice(0, m.index))) {
      return `"${m[0]}" without the two named before it`;
    }
  }
  for (const m of text.matchAll(HONORIFIC)) {
    if (!namedInFull(m[1]!, text.slice(0, m.index))) return `"${m[0]}" is never named in full`;
  }
  const tail = PRONOUN_SPEECH.exec(text);
  if (tail && !NAMED_SPEAKER.test(text.slice(0, tail.index))) {
    return `"${tail[0].replace(/^[,"”]\s*/, "")}" with no named speaker in the item`;
  }
  for (const m of text.matchAll(LONE_SPEAKER)) {
    const name = (m[1] ?? m[2] ?? m[3])!;
    if (SPEAKS_AS_ONE_WORD.has(name)) continue;
    if (!namedInFull(name, text.slice(0, m.index))) return `"${name}" is never named in full`;
  }
  return null;
}

/** Dates that only mean something beside the page's own date. */
const RELATIVE_DATES: readonly RegExp[] = [
  /\b(?:yesterday|today|tonight|tomorrow|recently|lately)\b/i,
  /\b(?:this|last|next|past|coming) (?:morning|afternoon|evening|night|week|weekend|month|year|spring|summer|autumn|fall|winter)\b/i,
  /\b(?:earlier|later) this (?:week|month|year)\b/i,
  /\b(?:in recent|in the past|over the past|in the coming) (?:few )?(?:days|weeks|months)\b/i,
  /\bthe (?:week|month|year) just past\b/i,
  /\b(?:the|a) (?:day|week|month) (?:before|after|earlier|later)\b/i,

  /\bover the weekend\b/i,
  /\b(?:\d+|a|one|two|three|few|several) (?:days?|weeks?|months?|years?) ago\b/i,
  /\bdays ago\b/i,
  new RegExp(`\\b(?:last|next|this|coming) (?:${MONTH})\\b`),
  // A weekday is a date only beside the page's date, unless the full date follows it.
  new RegExp(
    `\\b(?:${WEEKDAY})(?:'s)?\\b(?!,? (?:\\d{1,2} (?:${MONTH})|(?:${MONTH}) \\d{1,2}),? \\d{4})`,
  ),
  new RegExp(
    `\\b(?:(?:${MONTH})|(?:${MONTH_ABBR})\\.?) \\d{1,2}(?:st|nd|rd|th)?(?:\\s*[–-]\\s*\\d{1,2})?\\b(?!,? \\d{4})`,
  ),
  // A month with no year: "in June", "18 July", "of July" ("January and February 2025" has one).
  new RegExp(
    `(?<=\\b(?:[Ii]n|[Oo]n|[Oo]f|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Tt]o|[Ll]ate|[Ee]arly|[Mm]id|[Ll]ast|[Tt]his|\\d{1,2}(?:st|nd|rd|th)?)[\\s-])(?:${MONTH})\\b(?!(?:\\s*(?:and|to|or|–|-)\\s*(?:${MONTH}))?[\\s,]+\\d{4})(?! \\d{1,2}(?:st|nd|rd|th)?(?:\\s*[–-]\\s*\\d{1,2})?,? \\d{4})`,
  ),
  /\bon the \d{1,2}(?:st|nd|rd|th)\b(?! (?:and \d{1,2}(?:st|nd|rd|th) )?of \S+ \d{4})/i,
];

/** Dates relative to another date: resolved when the item gives a full date before them. */
const ANCHORED_DATES =
  /\b(?:the (?:next|following|previous|same) (?:day|week|month|morning|evening)|that day|(?:a|one|two|three) days? (?:later|earlier))\b/gi;
const FULL_DATE = new RegExp(`\\b(?:\\d{1,2} (?:${MONTH})|(?:${MONTH}) \\d{1,2},?) \\d{4}\\b`);

/** The first unresolved relative date in `item`, or null. */
export function relativeDateIn(item: string): string | null {
  for (const pattern of RELATIVE_DATES) {
    const m = pattern.exec(item);
    if (m) return m[0];
  }
  for (const m of item.matchAll(ANCHORED_DATES)) {
    if (!FULL_DATE.test(item.slice(0, m.index))) return m[0];
  }
  return null;
}
