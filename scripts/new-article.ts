/**
 * Starts a new article: content/<slug>.md with a fresh permanent id and the current time.
 *
 *   npm run new-article -- russia-and-china-hold-drills "Russia and China hold drills"
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newArticleText, nextSteps, PLACEHOLDERS } from "./content/new-article-template.ts";

const [slug, title = String(PLACEHOLDERS.title)] = process.argv.slice(2);
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
writeFileSync(path, newArticleText(`urn:uuid:${crypto.randomUUID()}`, title, now));
console.log(nextSteps(`content/${slug}.md`));
