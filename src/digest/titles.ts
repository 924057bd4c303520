/** What a digest is called, wherever it is shown: page, email subject, feed item. */
import { weekSpan } from "../lib/time.ts";
import type { DigestSummary } from "./summary/model.ts";

type Span = Pick<DigestSummary, "start" | "end" | "timeZone">;

/**
 * The digest's one name: its feeds' title, the OPML list, the pages' feed links and the emails'
 * List-Id all say it (the feed said "weekly axis developments" while the rest said this).
 */
export const DIGEST_NAME = "weekly digest";

/** "Axis Dispatch: weekly digest": the digest feed's title, wherever it is listed. */
export function digestFeedTitle(siteTitle: string): string {
  return `${siteTitle}: ${DIGEST_NAME}`;
}

/** "Axis developments: 21–27 October 2024": the email's subject and the web page's heading. */
export function digestHeading(summary: Span): string {
  return `Axis developments: ${weekSpan(summary.start, summary.end, summary.timeZone)}`;
}

/** The email's subject: the editor's (content/issues/{week}.md), else the digest's heading. */
export function digestSubject(summary: Span & Pick<DigestSummary, "issue">): string {
  return summary.issue?.subject ?? digestHeading(summary);
}

/** "Axis developments, 21–27 October 2024 (2024-W43)": feed items and page titles. */
export function digestTitle(summary: Span & Pick<DigestSummary, "week">): string {
  return `Axis developments, ${weekSpan(summary.start, summary.end, summary.timeZone)} (${summary.week})`;
}
