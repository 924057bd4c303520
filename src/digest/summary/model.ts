/**
 * The weekly "axis developments" digest, as data. Computed by a Summarizer from one ISO week's
 * articles; rendered to the email (HTML and text), the web page and the digest feeds; stored
 * in D1 as JSON. Every item in it can be traced to the brief it came from, and stands alone: a
 * reader who sees only one item knows who did what, where and when.
 */
import type { WeekKey } from "../../lib/time.ts";
import type { Article, ClaimStatus } from "../../model/article.ts";
import type { EditorIssue } from "../../model/editor-issue.ts";

export type { WeekKey };

/**
 * What the digest keeps of an article (stored in D1 with the summary): the fields it shows. A
 * field the digest should show is added here by name; its type and meaning stay the schema's.
 */
export type ArticleRef = Pick<
  Article,
  | "id"
  | "slug"
  | "title"
  | "source"
  | "published"
  | "summary"
  | "sourceUrl"
  | "dateApproximate"
  | "editorNote"
>;

/** A developing story an item belongs to: shown once per digest, with its earlier weeks. */
export interface StoryRef {
  readonly id: string;
  readonly title: string;
  /** Earlier weeks with briefs in this story, newest first: links to their digests. */
  readonly earlierWeeks: readonly WeekKey[];
}

/**
 * Where an item came from. Nothing a program extracted reaches a reader's inbox unless a person
 * approved it (or the operator chose DIGEST_SEND=always): the review gate and the admin preview
 * read this.
 */
export interface Provenance {
  /** An editor's key point, used as written; or a sentence the summarizer took from the body. */
  readonly kind: "key-point" | "extracted";
  /** Extracted: the sentence as the article has it, before any rewrite; null for key points. */
  readonly original: string | null;
  /** Extracted: each rewrite applied, e.g. `"on Friday" → "on 18 October 2024"`. */
  readonly rewrites: readonly string[];
  /** Extracted: why it was taken, for the reviewer; null for key points. */
  readonly reason: string | null;
}

export const KEY_POINT: Provenance = {
  kind: "key-point",
  original: null,
  rewrites: [],
  reason: null,
};

/** One key development: a brief's key point, or a standalone sentence from its body. */
export interface Development {
  readonly text: string;
  /** The article it came from (slug, for links; id, for tracing). */
  readonly articleSlug: string;
  readonly articleId: string;
  readonly articleTitle: string;
  readonly source: string;
  /**
   * Items of one story are consecutive among the new items, and among the repeated ones;
   * renderers introduce the story where a run of its items starts.
   */
  readonly story: StoryRef | null;
  readonly provenance: Provenance;
  /**
   * The earlier week whose digest already had this news (same story), shown with the item
   * ("reported in Week 42, 2024"); null when it is new. Such items come after the new ones.
   */
  readonly reportedIn: WeekKey | null;
}

/** Two watch-list actors acting together in `mentions` sentences or key points of the week. */
export interface ActorPair {
  /** Display names, e.g. ["Russia", "North Korea"]. */
  readonly names: readonly [string, string];
  /** Actor ids, e.g. ["russia", "north-korea"]. */
  readonly ids: readonly [string, string];
  readonly mentions: number;
}

/** A figure, what it counts and who claims it, e.g. "1,500 North Korean special forces". */
export interface KeyFigure {
  /** The figure with what it counts. */
  readonly text: string;
  /**
   * What it counts, as the brief's claim says; null for a figure taken from a sentence (and in
   * digests stored before it was recorded). Rival estimates count the same thing.
   */
  readonly counts: string | null;
  /** Who claims it: a named party, or the publication that reported it. */
  readonly claimant: string;
  readonly status: ClaimStatus;
  /** Who confirmed or denied it, when status is not "claimed". */
  readonly by: string | null;
  /** Claims about one quantity share a subject; side by side only with the same `counts`. */
  readonly subject: string | null;
  readonly articleSlug: string;
  readonly articleId: string;
}

export interface DigestSummary {
  readonly week: WeekKey;
  /** IANA zone the week was cut in, e.g. `UTC`, `Asia/Seoul`. */
  readonly timeZone: string;
  /** Monday 00:00 in the zone, and the next Monday 00:00, as UTC instants (RFC 3339). */
  readonly start: string;
  readonly end: string;
  readonly developments: readonly Development[];
  /** Pairs acting together, most often first; empty in a one-article week (see `actors`). */
  readonly pairs: readonly ActorPair[];
  /** In a one-article week: the watch-list actors involved, most named first, no counts. */
  readonly actors: readonly string[];
  readonly figures: readonly KeyFigure[];
  /** The week's articles, newest first. */
  readonly articles: readonly ArticleRef[];
  /** Words in developments + who was active + figures; at most SUMMARY_WORD_LIMIT. */
  readonly summaryWords: number;
  /**
   * The editor's issue of the week (content/issues/{week}.md) as it was when the digest was
   * built; absent when there is none. Attached by the build, not the summarizer.
   */
  readonly issue?: EditorIssue;
}

export const SUMMARY_WORD_LIMIT = 250;

/**
 * A stored summary in the current shape: digests stored before stories, claims and actor lists
 * existed are read with the fields they lack filled in (they are re-rendered on rebuild).
 */
export function upgradeSummary(stored: DigestSummary): DigestSummary {
  const pairs = stored.pairs as readonly (ActorPair & { articles?: number })[];
  return {
    ...stored,
    developments: stored.developments.map((d) => ({
      ...d,
      story: d.story ?? null,
      // Stored before repeats were marked: not known, so not claimed.
      reportedIn: d.reportedIn ?? null,
      // Stored before provenance was recorded: nobody can say a person wrote it, so it is
      // treated as extracted (a rebuild records the real provenance).
      provenance: d.provenance ?? {
        kind: "extracted",
        original: null,
        rewrites: [],
        reason: "stored before item provenance was recorded",
      },
    })),
    pairs: pairs.map((p) => ({
      names: p.names,
      ids: p.ids,
      mentions: p.mentions ?? p.articles ?? 0,
    })),
    actors: stored.actors ?? [],
    figures: stored.figures.map((f) => ({
      ...f,
      // Before claims, every figure was the reporting publication's: credit it, never nobody.
      claimant:
        f.claimant ?? stored.articles.find((a) => a.id === f.articleId)?.source ?? "the source",
      status: f.status ?? "claimed",
      by: f.by ?? null,
      subject: f.subject ?? null,
      // Unknown: such a figure is nobody's rival (key-figures.ts, rivalKey).
      counts: f.counts ?? null,
    })),
    articles: stored.articles.map((a) => ({
      ...a,
      sourceUrl: a.sourceUrl ?? null,
      dateApproximate: a.dateApproximate ?? false,
      editorNote: a.editorNote ?? null,
    })),
  };
}
