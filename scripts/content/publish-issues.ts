/**
 * Publishing content/issues/ (issues.ts) to D1's editor_issues: the table is made to match the
 * folder in one round trip, so a removed file is a removed introduction. Apart from the articles'
 * versioned publish (src/content/publish.ts): an issue is read only when its week's digest is
 * built, and the digest keeps what it was built with.
 */
import type { SqlExecutor, Statement } from "../../src/lib/sql-batch.ts";
import type { EditorIssue } from "../../src/model/editor-issue.ts";

export interface IssuesReport {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

interface Row {
  week: string;
  subject: string;
  preheader: string | null;
  intro_html: string;
}

const same = (row: Row, issue: EditorIssue) =>
  row.subject === issue.subject &&
  row.preheader === issue.preheader &&
  row.intro_html === issue.introHtml;

/** Writes `issues` over what editor_issues holds; says which weeks were added, changed, removed. */
export async function publishIssues(
  exec: SqlExecutor,
  issues: readonly EditorIssue[],
  files: ReadonlyMap<string, string>,
): Promise<IssuesReport> {
  const rows = await exec.query<Row>(
    "SELECT week, subject, preheader, intro_html FROM editor_issues",
  );
  const old = new Map(rows.map((r) => [r.week, r]));
  const report: IssuesReport = {
    added: issues.filter((i) => !old.has(i.week)).map((i) => i.week),
    changed: issues.filter((i) => old.has(i.week) && !same(old.get(i.week)!, i)).map((i) => i.week),
    removed: rows.filter((r) => !issues.some((i) => i.week === r.week)).map((r) => r.week),
  };
  if (report.added.length + report.changed.length + report.removed.length === 0) return report;
  const statements: Statement[] = [
    { sql: "DELETE FROM editor_issues", params: [] },
    ...issues.map((i) => ({
      sql: "INSERT INTO editor_issues (week, subject, preheader, intro_html, intro_json, source_file) VALUES (?, ?, ?, ?, ?, ?)",
      params: [
        i.week,
        i.subject,
        i.preheader,
        i.introHtml,
        JSON.stringify(i.introBlocks),
        files.get(i.week) ?? "",
      ],
    })),
  ];
  await exec.execute(statements);
  return report;
}
