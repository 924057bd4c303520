/**
 * The file `npm run new-article` starts, and its placeholder texts. The placeholders are valid
 * front matter on purpose (the file must parse as it is written), so parse.ts refuses each one
 * by name: otherwise an unedited "Publication name" would be published as the source.
 */

/** Placeholder text of each field, as new-article writes it. */
export const PLACEHOLDERS = {
  title: "Title of the article",
  source: "Publication name",
  source_url: "https://…",
  summary: "One or two sentences saying what happened.",
  key_points: [
    "Who did what, where, on what date (e.g. on 18 October 2024), according to whom.",
    "A second standalone fact, with its own absolute date.",
  ],
  body: "The brief, in our own words and Markdown: what happened, who did or said it, when and where,",
} as const;

/** The starting text of a new article: `id` is "urn:uuid:…", `date` an RFC 3339 time. */
export function newArticleText(id: string, title: string, date: string): string {
  return `---
id: "${id}"
title: ${JSON.stringify(title)}
date: "${date}"
source: ${JSON.stringify(PLACEHOLDERS.source)}
source_url: ${JSON.stringify(PLACEHOLDERS.source_url)}
tags: [russia, north-korea]
summary: ${JSON.stringify(PLACEHOLDERS.summary)}
# Standalone sentences for the weekly digest: who did what, where, and when (with the year).
key_points:
${PLACEHOLDERS.key_points.map((p) => `  - ${JSON.stringify(p)}`).join("\n")}
---

${PLACEHOLDERS.body}
the numbers, and why it matters. Quote only where the wording matters (at most 25 words,
attributed); correct the source's errors in editor_note, never repeat them.
`;
}

/** What new-article prints once the file exists: how to see it, with or without a server. */
export function nextSteps(path: string): string {
  return `created ${path}: replace every placeholder (the build refuses them, naming file:line), then
  with a server running (npm start in another terminal): npm run publish
  otherwise: npm start (it publishes content/ first)`;
}
