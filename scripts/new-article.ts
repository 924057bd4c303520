/**
 * Starts a new article: content/<slug>.md with a fresh permanent id and the current time.
 *
 *   npm run new-article -- russia-and-china-hold-drills "Russia and China hold drills"
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [slug, title = "Title of the article"] = process.argv.slice(2);
if (!slug || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) {
  console.error(
    'usage: npm run new-article -- <kebab-case-slug> ["Title"]\n  the slug becomes the file name and the page URL /articles/<slug>',
  );
  process.exit(2);
}
const path = join(import.meta.dirname, "..", "content", `${slug}.md`);
if (existsSync(path)) {
  console.error(`content/${slug}.md already exists: choose another slug`);
  process.exit(1);
}
const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
writeFileSync(
  path,
  `---
id: "urn:uuid:${crypto.randomUUID()}"
title: ${JSON.stringify(title)}
date: "${now}"
source: "Publication name"
source_url: "https://…"
tags: [russia, north-korea]
summary: "One or two sentences saying what happened."
# Standalone sentences for the weekly digest: who did what, where, and when (with the year).
key_points:
  - "Who did what, where, on what date (e.g. on 18 October 2024), according to whom."
  - "A second standalone fact, with its own absolute date."
---

The brief, in our own words and Markdown: what happened, who did or said it, when and where,
the numbers, and why it matters. Quote only where the wording matters (at most 25 words,
attributed); correct the source's errors in editor_note, never repeat them.
`,
);
console.log(`created content/${slug}.md: edit it, then npm start (the build checks it)`);
