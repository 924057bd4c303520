/**
 * /admin/subscribers/import: the upload form, the imports whose confirmation emails wait to be
 * released (after a command-line import), and an upload's report: the same summary the CLI
 * prints, then every row it names with its line.
 */
import { html } from "hono/html";
import type { SiteConfig } from "../config.ts";
import { siteUrls } from "../lib/urls.ts";
import type { WaitingImport } from "../subscriptions/import-confirmations.ts";
import type { ImportReport } from "../subscriptions/import.ts";
import { importSummary, keptTopics } from "../subscriptions/import-report.ts";
import { renderPage } from "./layout.ts";

export interface ImportPageView {
  readonly waiting: readonly WaitingImport[];
  /** An upload's report; null on the bare form. */
  readonly report: ImportReport | null;
  /** Confirmation emails the upload handed to the queue. */
  readonly released: number;
  /** The largest upload, in bytes (IMPORT_BODY_LIMIT): larger lists go through the CLI. */
  readonly maxBytes: number;
}

interface ReportRow {
  readonly line: number;
  readonly email: string;
  readonly outcome: string;
}

function reportRows(report: ImportReport): ReportRow[] {
  return [
    ...report.rejected.map((r) => ({ line: r.line, email: "", outcome: `rejected: ${r.reason}` })),
    ...report.repeated.map((r) => ({
      line: r.line,
      email: r.email,
      outcome: `repeats line ${r.firstLine}: skipped`,
    })),
    ...report.refused.map((r) => ({
      line: r.line,
      email: r.email,
      outcome: `refused: ${r.reason === "erased" ? "erased (deleted on request)" : r.reason}`,
    })),
    ...report.known
      .filter((k) => !k.sameImport)
      .map((k) => ({
        line: k.line,
        email: k.email,
        outcome: `already known (${k.status}): left as it is${keptTopics(k.fileTopics)}`,
      })),
  ].sort((a, b) => a.line - b.line);
}

export function importPath(config: SiteConfig): string {
  return `${siteUrls(config).admin()}/subscribers/import`;
}

export function renderImportPage(config: SiteConfig, view: ImportPageView): Promise<string> {
  const action = importPath(config);
  const { report } = view;
  const rows = report ? reportRows(report) : [];
  const kib = Math.floor(view.maxBytes / 1024);
  return renderPage({
    config,
    title: `Import subscribers · ${config.title}`,
    description: "Import a subscriber list (CSV).",
    canonical: action,
    feeds: [],
    body: html`<h1>Import subscribers</h1>
${
  report
    ? html`<section aria-labelledby="report"><h2 id="report">${report.dryRun ? "Dry run: nothing was written" : "Imported"}</h2>
${importSummary(report).map((line) => html`<p>${line}</p>`)}
${view.released > 0 ? html`<p>${view.released} confirmation emails were handed to the queue.</p>` : ""}
${
  rows.length > 0
    ? html`<table tabindex="0" aria-label="Rows of this import"><thead><tr><th>Line</th><th>Address</th><th>What happened</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.line}</td><td>${r.email}</td><td>${r.outcome}</td></tr>`)}
</tbody></table>`
    : ""
}</section>`
    : ""
}
<form method="post" action="${action}" enctype="multipart/form-data">
<p><label>CSV file (UTF-8, header line with email and any of name, subscribed_at, topics; at most ${kib} KB: larger lists with <code>npm run subscribers:import</code>)<br>
<input type="file" name="list" accept=".csv,text/csv" required></label></p>
<p><label>They already opted in: where and when (leave empty to send each new address a confirmation email)<br>
<input type="text" name="consented" maxlength="500" size="60"></label></p>
<p><label><input type="checkbox" name="dry_run" value="1" checked> Dry run: only say what would happen</label></p>
<p><button>Import</button></p>
</form>
${
  view.waiting.length > 0
    ? html`<h2>Confirmation emails waiting</h2>
<p>Imports from the command line owe these confirmation emails; they go out through the queue once released.</p>
<table><thead><tr><th>Import</th><th>File</th><th>When</th><th>Emails</th><th></th></tr></thead><tbody>
${view.waiting.map(
  (
    w,
  ) => html`<tr><td>#${w.importId}</td><td>${w.source}</td><td>${w.importedAt.slice(0, 16).replace("T", " ")}</td><td>${w.waiting}</td><td>
<form method="post" action="${action}/${w.importId}/confirmations"><button>Send confirmation emails</button></form></td></tr>`,
)}
</tbody></table>`
    : ""
}
<p><a href="${siteUrls(config).admin()}/subscribers">Subscribers</a> · <a href="${siteUrls(config).admin()}">Back to admin</a></p>`,
  });
}
