/**
 * docs/content.md's table of front-matter fields, written from the article schema so the docs
 * cannot drift from what the build accepts (a test compares them).
 *
 *   node scripts/content/field-docs.ts          rewrites the table in docs/content.md
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIELDS } from "./article-schema.ts";

export const DOCS_PATH = join(import.meta.dirname, "../../docs/content.md");
export const TABLE_START =
  "<!-- fields: written by `node scripts/content/field-docs.ts` from scripts/content/article-schema.ts; edit the schema, not this table -->";
export const TABLE_END = "<!-- fields end -->";

const cell = (text: string) => text.replace(/\|/g, "\\|");

function written(f: (typeof FIELDS)[number]): string {
  switch (f.template.write) {
    case "argument":
      return "yes, from its arguments";
    case "placeholder":
      return "a placeholder, refused until replaced";
    case "example":
      return "an example";
    case "no":
      return "no";
  }
}

/** The Markdown table: one row per field, in the schema's order. */
export function fieldTable(): string {
  const rows = FIELDS.map(
    (f) =>
      `| \`${f.key}\` | ${f.required ? "yes" : "no"} | ${cell(f.about)} | ${cell(f.expected)} | ${written(f)} |`,
  );
  return [
    "| Field | Required | What it is | Expected | `new-article` writes |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** `docs` with the text between the markers replaced by the current table. */
export function withFieldTable(docs: string): string {
  const start = docs.indexOf(TABLE_START);
  const end = docs.indexOf(TABLE_END);
  if (start === -1 || end < start) {
    throw new Error(`docs/content.md: expected the markers ${TABLE_START} and ${TABLE_END}`);
  }
  return `${docs.slice(0, start + TABLE_START.length)}\n${fieldTable()}\n${docs.slice(end)}`;
}

if (import.meta.main) {
  writeFileSync(DOCS_PATH, withFieldTable(readFileSync(DOCS_PATH, "utf8")));
  console.log(`docs/content.md: the table of ${FIELDS.length} fields is current`);
}
