/**
 * What every brief carries besides its body, as HTML shared by the article page and the feeds'
 * content (so a feed reader sees what a site visitor sees): its key points, the figures with
 * who claims them, an editor's note correcting the source, an approximate date's label, and the
 * link to the original report.
 */
import { escapeHtml } from "../lib/html.ts";
import { formatDay } from "../lib/time.ts";
import type { Article, Claim } from "../model/article.ts";

/** Attribute values also escape quotes. */
function attr(text: string): string {
  return escapeHtml(text).replace(/"/g, "&quot;");
}

/** "claimed by X", "confirmed by Y", "denied by Y (claimed by X)". */
export function claimAttribution(claim: Claim): string {
  if (claim.status === "claimed") return `claimed by ${claim.claimant}`;
  return `claimed by ${claim.claimant}, ${claim.status} by ${claim.by ?? "an independent party"}`;
}

/** "1,500 North Korean special forces sent to Russia's Far East (claimed by …)". */
export function claimLine(claim: Claim): string {
  return `${claim.figure} ${claim.counts} (${claimAttribution(claim)})`;
}

/** The date as readers see it: "22 October 2024", or "about 20 October 2024" when estimated. */
export function displayDate(article: Pick<Article, "published" | "dateApproximate">): string {
  const day = formatDay(article.published);
  return article.dateApproximate ? `about ${day}` : day;
}

/** "Read the original at Asia Times (via MENAFN)", linked where the brief has the URL. */
export function originalLinkHtml(article: Pick<Article, "source" | "sourceUrl" | "sourceAuthor">): string {
  const source = escapeHtml(article.source);
  const by = article.sourceAuthor ? `, by ${escapeHtml(article.sourceAuthor)}` : "";
  return article.sourceUrl
    ? `Read the original at <a href="${attr(article.sourceUrl)}" rel="noopener">${source}</a>${by}.`
    : `Written from a report by ${source}${by}.`;
}

export function keyPointsHtml(article: Pick<Article, "keyPoints">): string {
  if (article.keyPoints.length === 0) return "";
  const items = article.keyPoints.map((p) => `<li>${escapeHtml(p)}</li>`).join("");
  return `<h2>Key points</h2>\n<ul class="key-points">${items}</ul>\n`;
}

export function claimsHtml(article: Pick<Article, "claims">): string {
  if (article.claims.length === 0) return "";
  const items = article.claims.map((c) => `<li>${escapeHtml(claimLine(c))}</li>`).join("");
  return `<h2>Figures and who claims them</h2>\n<ul class="claims">${items}</ul>\n`;
}

/** The editor's note, the date's provenance (labelled when approximate) and the original. */
export function briefNotesHtml(
  article: Pick<
    Article,
    "editorNote" | "dateNote" | "dateApproximate" | "source" | "sourceUrl" | "sourceAuthor"
  >,
): string {
  const notes: string[] = [];
  if (article.editorNote) {
    notes.push(`<p class="note editor"><strong>Editor’s note:</strong> ${escapeHtml(article.editorNote)}</p>`);
  }
  if (article.dateNote) {
    const label = article.dateApproximate ? "Approximate date" : "About the date";
    notes.push(`<p class="note"><strong>${label}:</strong> ${escapeHtml(article.dateNote)}</p>`);
  }
  notes.push(`<p class="source">${originalLinkHtml(article)}</p>`);
  return notes.join("\n");
}

/** A brief as feed readers get it: key points, body, figures, notes and the original's link. */
export function briefFeedHtml(article: Article): string {
  const date = article.dateApproximate
    ? `<p><em>Approximate date: ${escapeHtml(displayDate(article))}.</em></p>\n`
    : "";
  return `${date}${keyPointsHtml(article)}${article.html}\n${claimsHtml(article)}${briefNotesHtml(article)}`;
}
