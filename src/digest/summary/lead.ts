/**
 * The digest's lead line: the inbox preview (preheader), the feed item's teaser and the web
 * page's description. Each is read with nothing around it, so it is the first item only when
 * that item stands alone and is this week's news; otherwise the first item that is, then the
 * first article summary that stands alone, then a count of the week's articles.
 */
import { notStandalone } from "../../model/standalone.ts";
import type { DigestSummary } from "./model.ts";

export function leadLine(summary: Pick<DigestSummary, "developments" | "articles">): string {
  const item = summary.developments.find(
    (d) => d.reportedIn === null && notStandalone(d.text) === null,
  );
  if (item) return item.text;
  const brief = summary.articles.find((a) => a.summary !== "" && notStandalone(a.summary) === null);
  if (brief) return brief.summary;
  const n = summary.articles.length;
  return `${n} ${n === 1 ? "article" : "articles"} this week`;
}
