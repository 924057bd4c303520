/**
 * Page chrome: what a web page wraps around a report, which an operator who pastes the page
 * copies with it. None of it is reporting, so none of it may become a summary item, and a
 * body with such lines is flagged at publish (`file:line`) as a pasted page.
 */

export interface PageContext {
  readonly title: string;
  readonly summary: string;
}

const norm = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/**
 * A line of chrome is short (about 15 words at most); reporting that merely mentions "Twitter"
 * or opens "By Monday" is not. Lengths in characters: counting words costs more than every
 * rule together, on 100,000 articles.
 */
const SHORT = 120;
const NOT_A_NAME =
  "(?!(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|the|early|late|mid|then|now)\\b)";

/** Each rule: what the line is, how to know it, and the most characters such a line has. */
const RULES: readonly (readonly [string, RegExp, number])[] = [
  [
    "a photo caption or credit",
    /\b(?:photo|image|picture|photograph|file photo|credit|video|footage)\s*(?:by\b|:|\/)|\((?:photo|image|pictured|file)\b|\b(?:getty images|afp via getty|ap photo|reuters\/|yonhap photo|kcna via|epa-efe|shutterstock)\b|\bimage$|\b(?:pictured|seen here|shown here)\b| \|$/i,
    Infinity,
  ],
  [
    "a byline or dateline",
    new RegExp(
      String.raw`^(?:by|written by|reporting by|editing by|reported by)\s+${NOT_A_NAME}\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3}\s*(?:,|$|\||and\b|for\b)|^\(?(?:menafn|reuters|ap|afp|yonhap)\b[^)]*\)?\s*$`,
      "iu",
    ),
    SHORT,
  ],
  [
    'a "posted / updated / published" line',
    /^(?:posted|published|last updated|updated|first published|last modified)\b|^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),? (?:\d{1,2} )?(?:january|february|march|april|may|june|july|august|september|october|november|december)\b[\d ,]*$|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|^\d+ (?:min(?:ute)?s?|hours?) (?:read|ago)$/i,
    SHORT,
  ],
  [
    "a newsletter or comment promo",
    /\b(?:sign up|subscribe (?:now|today|for|to (?:our|the) (?:newsletter|channel))|newsletter|in your inbox|post a comment|leave a (?:comment|reply)|\d+ comments?\b|comments?:|join the conversation|fan club|read more|continue reading|click here|download (?:the|our) app|follow us|exclusive:)/i,
    220,
  ],
  [
    "a share or menu line",
    /(?:\b(?:facebook|twitter|whatsapp|linkedin|telegram|reddit|pinterest|email|print)\b.*){3,}|\b(?:share (?:this|on|via)|copy link|print this|email this)\b|^(?:share|print|email|home|menu|search|back to top|skip to content|<< home|post navigation|previous (?:post|article)|next (?:post|article))\b|(?:\s[|»›]\s.*){2,}/i,
    SHORT,
  ],
  [
    "an advertisement",
    /^(?:advertisement|advertising|sponsored(?: content)?|ad|promoted)$/i,
    SHORT,
  ],
  [
    "a copyright or disclaimer line",
    /©|\bcopyright\b|\ball rights reserved\b|\blegal disclaimer\b|\bterms of (?:use|service)\b|\bprivacy policy\b|\bwithout warranty\b/i,
    Infinity,
  ],
  [
    "a related-story or tag list",
    /^(?:related|related stories|related articles|more from|more on this|most popular|most read|trending|recommended|you may also like|check out|tags?:|topics?:|filed under|see also|also read|read also|watch:|listen:)/i,
    SHORT,
  ],
  ["a teaser", /(?:\.\.\.|…)$/, Infinity],
  ["a page id", /^[A-Z]*\d{10,}[A-Z\d]*$/, 60],
];

/** The page's headline and standfirst normalized, once per page (asked for every line). */
const normalized = new WeakMap<PageContext, { title: string; summary: string }>();

/** What chrome `text` is (a reason a reader understands), or null when it may be reporting. */
export function chromeReason(text: string, page: PageContext): string | null {
  for (const [what, re, most] of RULES) if (text.length <= most && re.test(text)) return what;
  let known = normalized.get(page);
  if (known === undefined) {
    known = { title: norm(page.title), summary: norm(page.summary) };
    normalized.set(page, known);
  }
  // Longer than the headline or standfirst could be, even with a tag run into it: neither.
  if (text.length > Math.max(known.title.length * 2.5, known.summary.length * 1.2) + 20)
    return null;
  const line = norm(text);
  const title = known.title;
  if (
    title.length > 0 &&
    (line === title || (line.includes(title) && line.length < title.length * 2.2))
  )
    return "the headline again";
  const summary = known.summary;
  if (summary.length > 0 && line === summary) return "the standfirst again";
  return null;
}

export interface ChromeLine {
  readonly line: number;
  readonly text: string;
  readonly what: string;
}

/**
 * Every chrome line of a body; a line the page repeats (a headline shown twice, a caption
 * above and below a photo) counts too.
 */
export function chromeLines(
  lines: readonly { readonly line: number; readonly text: string }[],
  page: PageContext,
): ChromeLine[] {
  const seen = new Map<string, number>();
  const keys = lines.map((l) => l.text.toLowerCase());
  for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
  const out: ChromeLine[] = [];
  for (const [i, l] of lines.entries()) {
    const key = keys[i]!;
    const what =
      chromeReason(l.text, page) ??
      ((seen.get(key) ?? 0) > 1 && / \S+ /.test(key) ? "a line the page repeats" : null);
    if (what !== null) out.push({ line: l.line, text: l.text, what });
  }
  return out;
}
