/**
 * The digest email's Mustache view, as types: what templates/digest.mjml and
 * templates/digest.txt show (view.ts builds it). Every field is text already clipped and made
 * inert, a list, or `false` where the template shows nothing.
 */

/** A link with its text. */
export interface LinkItem {
  readonly label: string;
  readonly url: string;
}
/** A link in a run of links: `sep` goes before it (", " for all but the first). */
export interface ListedLink extends LinkItem {
  readonly sep: string;
}
/** A developing story, introduced where a run of its items starts: its page and earlier weeks. */
export interface StoryLabel {
  readonly title: string;
  readonly url: string;
  /** The weeks before that had this story, linked to their digests. */
  readonly earlier: { readonly links: readonly ListedLink[] } | false;
}
export interface DevelopmentItem {
  readonly text: string;
  readonly url: string;
  readonly source: string;
  readonly story: StoryLabel | false;
  /** The earlier week's digest that already had this news ("Week 42, 2024"), or false. */
  readonly reportedIn: LinkItem | false;
}
/** A pair and how often it acted together; in a one-article week, the actors with no count. */
export interface PairItem {
  readonly names: string;
  readonly count: string;
}
export interface FigureItem {
  readonly text: string;
  readonly url: string;
  /** "claimed by South Korea's National Intelligence Service". */
  readonly attribution: string;
  /** Before the first of several parties' figures on one subject, a line saying they differ. */
  readonly group: string | false;
}
export interface ArticleItem {
  readonly title: string;
  readonly url: string;
  readonly source: string;
  /** The day, with "(approximate date)" when the brief's date is an estimate. */
  readonly date: string;
  readonly summary: string;
  readonly editorNote: string | false;
  /** "Read the original at …". */
  readonly original: LinkItem | false;
}

/** A piece of the editor's introduction: its text, linked or not. */
export interface IntroRunItem {
  /** A space goes before it (the text itself is trimmed, as every value in the view is). */
  readonly spaced: boolean;
  readonly text: string;
  readonly link: { readonly url: string } | false;
}
/** The editor's issue at the top of the email: its subject and paragraphs. */
export interface IntroView {
  readonly subject: string;
  readonly blocks: readonly { readonly runs: readonly IntroRunItem[] }[];
}

/** A "N more … in the web version" line, or false. */
export type More = { readonly label: string } | false;
export type Section<T> = { readonly items: readonly T[]; readonly more: More } | false;

export interface EmailView {
  readonly siteTitle: string;
  readonly siteUrl: string;
  readonly logoUrl: string;
  readonly webUrl: string;
  readonly archiveUrl: string;
  readonly contactLine: string;
  /** "Week 43, 2024" */
  readonly weekLabel: string;
  /** "21–27 October 2024", in the digest's time zone. */
  readonly weekRange: string;
  readonly preheader: string;
  /** The editor's introduction (content/issues/{week}.md), or false. */
  readonly intro: IntroView | false;
  readonly compact: boolean;
  /** Compact mode's table of contents: "Key developments (5) · … · Articles: top 20 of 200". */
  readonly toc: string;
  readonly developments: Section<DevelopmentItem>;
  readonly pairs: Section<PairItem>;
  readonly figures: Section<FigureItem>;
  readonly articles: readonly ArticleItem[];
  readonly moreArticles: More;
}

export interface PreparedEmail {
  readonly frame: Omit<
    EmailView,
    "compact" | "toc" | "developments" | "pairs" | "figures" | "articles" | "moreArticles"
  >;
  readonly developments: readonly DevelopmentItem[];
  readonly pairs: readonly PairItem[];
  readonly figures: readonly FigureItem[];
  readonly articles: readonly ArticleItem[];
}

/** How many items of each list to show. */
export type Limits = Record<"developments" | "pairs" | "figures" | "articles", number>;
