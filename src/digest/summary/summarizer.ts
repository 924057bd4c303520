/**
 * The "axis developments" summary of one week. Summarizers sit behind an interface so a
 * model-backed one (e.g. Workers AI) can be added later; the default, ExtractiveSummarizer, is
 * deterministic and offline. It ranks the week's key points (and, for briefs without them,
 * standalone sentences from their bodies: extract.ts), so every item can be traced to its brief
 * and read on its own.
 */
import type { WeekRange } from "../../lib/time.ts";
import type { Actor } from "../../model/actor.ts";
import { type Article, compareNewestFirst } from "../../model/article.ts";
import { stripUnsafeChars } from "../../model/safe-text.ts";
import { type ActorMatcher, createActorMatcher } from "./actors.ts";
import { type CandidateSentence, candidateSentences } from "./extract.ts";
import {
  alreadyStated,
  figureAttribution,
  figuresOfArticle,
  pickFigures,
  statedValues,
} from "./key-figures.ts";
import type {
  ActorPair,
  ArticleRef,
  DigestSummary,
  KeyFigure,
  Provenance,
  WeekKey,
} from "./model.ts";
import { KEY_POINT, SUMMARY_WORD_LIMIT } from "./model.ts";
import {
  type ActorTally,
  newTally,
  pairLine,
  rankActors,
  rankPairs,
  tallySentence,
} from "./pairs.ts";
import { contentWords, nearDuplicate, REPEAT_THRESHOLD } from "./similarity.ts";
import { storyHistory, withStories } from "./stories.ts";
import { countWords } from "./text.ts";

export interface SummaryInput {
  readonly week: WeekRange;
  readonly timeZone: string;
  /** The week's articles (any order). */
  readonly articles: readonly Article[];
  readonly actors: readonly Actor[];
  /** Articles published before the week: a developing story's earlier weeks come from them. */
  readonly earlier?: readonly Article[];
  /** Story id → title (content/stories.yaml). */
  readonly storyTitles?: ReadonlyMap<string, string>;
}

export interface Summarizer {
  summarize(input: SummaryInput): DigestSummary | Promise<DigestSummary>;
}

const MAX_DEVELOPMENTS = 6;
const MAX_PAIRS = 5;
const MAX_ACTORS = 8;
/** With several articles in a week, no article takes more of the items than this. */
const MAX_PER_ARTICLE = 2;

const ACTION =
  /\b(?:sign(?:ed|s)?|sent|send(?:s|ing)?|deploy(?:ed|s|ing)?|dispatch(?:ed|es|ing)?|transferr?(?:ed|ing)?|arriv(?:ed|es|ing)|held|hold(?:s|ing)?|conduct(?:ed|s|ing)?|launch(?:ed|es|ing)?|fir(?:ed|es|ing)|kill(?:ed|s)?|attack(?:ed|s)?|announc(?:ed|es)|agreed|met|meet(?:s|ing)?|visit(?:ed|s|ing)?|convened|reported|confirm(?:ed|s)|annex(?:ed)?|invad(?:ed|es)|supplied|shipp?(?:ed|ing|ments)|carried|moved|began|started|joined|received|released|returned|stationed|opened|flew)\b/i;
const ABSOLUTE_DATE = /\b(?:1[89]\d\d|20\d\d)\b/;
/** History and background, not this week's news. */
const BACKGROUND =
  /\b(?:in (?:1[89]\d\d|20[01]\d)|\d+ years ago|since then|historically|history|lately|in the past|once again)\b/i;

interface Candidate {
  readonly text: string;
  readonly article: Article;
  readonly score: number;
  /**
   * The earlier week of the same story that already reported this news, or null when it is
   * new: used only if nothing new is left, and marked with that week.
   */
  readonly reportedIn: WeekKey | null;
  readonly order: number;
  /** Content words, for the near-duplicate test: made only for those the ranking reaches. */
  readonly words: () => ReadonlySet<string>;
  /** Made only for the chosen few: a week of 1,000 articles has some 10,000 candidates. */
  readonly provenance: () => Provenance;
}

/** What the reviewer is told about an extracted sentence: what made it a candidate. */
function extractedProvenance(
  s: CandidateSentence,
  named: ReadonlySet<string>,
  matcher: ActorMatcher,
): Provenance {
  const names = [...named].map((id) => matcher.byId.get(id)?.name ?? id).join(", ");
  // Stripped here, for the chosen only: the summary is stored and rendered into emails.
  return {
    kind: "extracted",
    original: s.original === null ? null : stripUnsafeChars(s.original),
    rewrites: s.rewrites.map(stripUnsafeChars),
    reason: stripUnsafeChars(
      `${s.reason ?? `sentence ${s.index + 1} of ${s.total} in the body`}; names ${names}`,
    ),
  };
}

function score(s: CandidateSentence, actors: number): number {
  // The editor's key points lead, in the order the editor gave them: a brief's first key
  // point is its news. Extracted sentences score below any key point.
  if (s.kind === "key-point") return 20 - 2 * s.index + 0.5 * Math.min(actors, 3);
  const words = countWords(s.text);
  let value = 2 * Math.min(actors, 3) + (actors >= 2 ? 2 : 0);
  if (ACTION.test(s.text)) value += 2;
  if (/\d/.test(s.text)) value += 1.5;
  if (ABSOLUTE_DATE.test(s.text)) value += 1;
  // News writing leads with the news: the first sentences say what happened.
  value += [4, 2, 1][s.index] ?? 0;
  value += 1.5 * (1 - s.index / Math.max(s.total, 1));
  if (BACKGROUND.test(s.text)) value -= 3;
  if (words < 8) value -= 3;
  if (words > 50) value -= 2;
  return value;
}

export class ExtractiveSummarizer implements Summarizer {
  summarize(input: SummaryInput): DigestSummary {
    const matcher = createActorMatcher(input.actors);
    const articles = [...input.articles].sort(compareNewestFirst);
    const earlierWords = storyHistory(input.earlier ?? [], articles, input.timeZone);
    const tally = newTally();
    const candidates: Candidate[] = [];
    const found: KeyFigure[] = [];

    for (const article of articles) {
      const sentences = candidateSentences(article);
      const relevant: string[] = [];
      for (const s of sentences) {
        const named = matcher.find(s.text);
        if (named.size === 0) continue;
        tallySentence(tally, named, matcher);
        relevant.push(s.text);
        let memo: ReadonlySet<string> | null = null;
        const words = () => (memo ??= contentWords(s.text));
        const history = article.story === null ? [] : (earlierWords.get(article.story) ?? []);
        candidates.push({
          text: s.text,
          article,
          score: score(s, named.size),
          reportedIn:
            history.find((h) => nearDuplicate(h.words, words(), REPEAT_THRESHOLD))?.week ?? null,
          order: candidates.length,
          words,
          provenance: () =>
            s.kind === "key-point" ? KEY_POINT : extractedProvenance(s, named, matcher),
        });
      }
      found.push(...figuresOfArticle(article, relevant));
    }

    const oneArticle = articles.length === 1;
    const figures = pickFigures(found);
    const figureWords = (f: KeyFigure) => countWords(`${f.text} ${figureAttribution(f)}`);
    // Figures give way first: whatever "Who was active" could take (counted over every actor
    // named in every candidate, its most), at least 80 words are left for the developments.
    const activeMost = activeSection(tally, matcher, oneArticle).words;
    let figuresTotal = figures.reduce((n, f) => n + figureWords(f), 0);
    while (figures.length > 0 && SUMMARY_WORD_LIMIT - activeMost - figuresTotal < 80) {
      figuresTotal -= figureWords(figures.pop()!);
    }
    // Who acts in an item: found only for the few items tried, not for every sentence.
    const actingIn = new Map<Candidate, ReadonlySet<string>>();
    const acting = (c: Candidate) => {
      let found = actingIn.get(c);
      if (!found) actingIn.set(c, (found = matcher.acting(c.text)));
      return found;
    };
    // The summary as shown with `chosen` items: the figures no item already states, and who
    // acted in those items (a pair counted once per shown item in which both act).
    const layout = (chosen: readonly Candidate[]) => {
      const developmentWords = chosen.reduce((n, c) => n + countWords(c.text), 0);
      const stated = statedValues(chosen.map((c) => c.text));
      const shownFigures = figures.filter((f) => !alreadyStated(f, stated));
      const shownTally = newTally();
      for (const c of chosen) tallySentence(shownTally, acting(c), matcher);
      const active = activeSection(shownTally, matcher, oneArticle);
      const words =
        developmentWords + active.words + shownFigures.reduce((n, f) => n + figureWords(f), 0);
      return { shownFigures, active, words };
    };
    const chosen = pickDevelopments(
      candidates,
      (list) => layout(list).words <= SUMMARY_WORD_LIMIT,
      oneArticle ? MAX_DEVELOPMENTS : MAX_PER_ARTICLE,
    );
    const developments = withStories(
      // Stripped again here: the summary is stored and rendered into emails, which must stay
      // inert whatever a stored analysis holds.
      chosen.map((c) => ({
        text: stripUnsafeChars(c.text),
        article: c.article,
        provenance: c.provenance(),
        reportedIn: c.reportedIn,
      })),
      input,
      articles,
    );
    const { shownFigures, active, words } = layout(chosen);

    return {
      week: input.week.key,
      timeZone: input.timeZone,
      start: input.week.start.toISOString(),
      end: input.week.end.toISOString(),
      developments,
      pairs: active.pairs,
      actors: active.actors,
      figures: shownFigures,
      articles: articles.map(toRef),
      summaryWords: words,
    };
  }
}

/** The pairs (several articles) or the actors (one article) of a tally, and their words. */
function activeSection(
  tally: ActorTally,
  matcher: ActorMatcher,
  oneArticle: boolean,
): { pairs: ActorPair[]; actors: string[]; words: number } {
  if (oneArticle) {
    const actors = rankActors(tally, matcher).slice(0, MAX_ACTORS);
    return { pairs: [], actors, words: countWords(actors.join(", ")) };
  }
  const pairs = rankPairs(tally, matcher).slice(0, MAX_PAIRS);
  return { pairs, actors: [], words: pairs.reduce((n, p) => n + countWords(pairLine(p)), 0) };
}

/**
 * The best-ranked candidates, new news first, as long as the summary they make `fits` the
 * word limit (each is tried with what it adds: its words, the pairs it shows, the figures it
 * states and so takes out of Key figures).
 */
function pickDevelopments(
  candidates: readonly Candidate[],
  fits: (chosen: readonly Candidate[]) => boolean,
  perArticle: number,
): Candidate[] {
  const ranked = [...candidates].sort(
    (a, b) =>
      Number(a.reportedIn !== null) - Number(b.reportedIn !== null) ||
      b.score - a.score ||
      a.order - b.order,
  );
  const chosen: Candidate[] = [];
  const taken = new Map<string, number>();
  for (const c of ranked) {
    if (chosen.length >= MAX_DEVELOPMENTS) break;
    // What an earlier week already said comes only when nothing new is left.
    if (c.reportedIn !== null && chosen.length >= 4) continue;
    if ((taken.get(c.article.id) ?? 0) >= perArticle) continue;
    if (chosen.some((d) => nearDuplicate(d.words(), c.words()))) continue;
    if (!fits([...chosen, c])) continue;
    chosen.push(c);
    taken.set(c.article.id, (taken.get(c.article.id) ?? 0) + 1);
  }
  return chosen;
}

/** Article text is stripped of control and bidi characters again here: the summary is stored
 * and rendered into emails, which must stay inert whatever an Article holds. */
function toRef(a: Article): ArticleRef {
  return {
    id: a.id,
    slug: a.slug,
    title: stripUnsafeChars(a.title),
    source: stripUnsafeChars(a.source),
    published: a.published,
    summary: stripUnsafeChars(a.summary),
    sourceUrl: a.sourceUrl,
    dateApproximate: a.dateApproximate,
    editorNote: a.editorNote === null ? null : stripUnsafeChars(a.editorNote),
  };
}
