/** The editor_issues table (migrations/0014_scheduled_sends_and_issues.sql), written by publish. */
import type { EditorIssue, IntroBlock } from "../model/editor-issue.ts";
import type { WeekKey } from "./summary/model.ts";

interface Row {
  week: string;
  subject: string;
  preheader: string | null;
  intro_html: string;
  intro_json: string;
}

/** The editor's issue of `week` as last published, or null when content/issues/ has none. */
export async function getEditorIssue(db: D1Database, week: WeekKey): Promise<EditorIssue | null> {
  const row = await db
    .prepare(
      "SELECT week, subject, preheader, intro_html, intro_json FROM editor_issues WHERE week = ?1",
    )
    .bind(week)
    .first<Row>();
  if (row === null) return null;
  return {
    week: row.week,
    subject: row.subject,
    preheader: row.preheader,
    introHtml: row.intro_html,
    introBlocks: JSON.parse(row.intro_json) as IntroBlock[],
  };
}
