/**
 * Our briefs are our own words: each seed brief (test/fixtures/seed-briefs/, a copy of what
 * content/ started with) is measured against the page it was written from
 * (test/fixtures/sources/<slug>.txt). Regression: content/ used to hold the source pages copied
 * word for word (runs of 113 to 299 words, 94–100% of 8-word sequences shared).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  MAX_QUOTE_WORDS,
  MAX_SHARED_8GRAMS,
  MAX_SHARED_RUN,
  measureOriginality,
} from "../../scripts/content/originality.ts";
import { parseArticleFile } from "../../scripts/content/parse.ts";

const root = join(import.meta.dirname, "../..");
const sources = join(root, "test/fixtures/sources");
const slugs = readdirSync(sources)
  .filter((f) => f.endsWith(".txt"))
  .map((f) => f.slice(0, -4));

describe("originality of the briefs", () => {
  it("has a source page for the seed briefs", () => {
    expect(slugs.length).toBe(5);
  });

  for (const slug of slugs) {
    it(`${slug}: own words, short quotes`, () => {
      // Everything readers meet: title, summary, key points, claims, notes and body.
      const file = {
        path: `content/${slug}.md`,
        text: readFileSync(join(root, "test/fixtures/seed-briefs", `${slug}.md`), "utf8"),
      };
      const { article, errors } = parseArticleFile(file, new Date());
      expect(errors).toEqual([]);
      const brief = [
        article!.title,
        article!.summary,
        ...article!.keyPoints,
        ...article!.claims.map((c) => `${c.figure} ${c.counts}, claimed by ${c.claimant}`),
        article!.editorNote ?? "",
        article!.dateNote ?? "",
        article!.markdown,
      ].join("\n\n");
      const source = readFileSync(join(sources, `${slug}.txt`), "utf8");
      const m = measureOriginality(brief, source);
      expect(m.longestRun, m.longestRunText).toBeLessThanOrEqual(MAX_SHARED_RUN);
      expect(m.shared8grams).toBeLessThan(MAX_SHARED_8GRAMS);
      expect(m.longQuotes, `quotes over ${MAX_QUOTE_WORDS} words`).toEqual([]);
    });
  }

  it("catches a copy: the source itself fails every rule it can", () => {
    const source = readFileSync(join(sources, `${slugs[0]}.txt`), "utf8");
    const m = measureOriginality(source, source);
    expect(m.longestRun).toBeGreaterThan(MAX_SHARED_RUN);
    expect(m.shared8grams).toBeGreaterThan(0.9);
  });

  it("does not count a quotation as a shared run, but does count its 8-word sequences", () => {
    const source = "one two three four five six seven eight nine ten eleven twelve";
    const quoted = measureOriginality(`He said "${source}" today.`, source);
    expect(quoted.longestRun).toBe(0);
    expect(quoted.shared8grams).toBeGreaterThan(0);
    expect(measureOriginality(`He said ${source} today.`, source).longestRun).toBe(12);
  });
});
