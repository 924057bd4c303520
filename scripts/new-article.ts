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
tags: [russia, north-korea]
summary: "One or two sentences saying what happened."
---

The article's text, in Markdown.
`,
);
console.log(`created content/${slug}.md: edit it, then npm start (the build checks it)`);
