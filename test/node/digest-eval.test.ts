/**
 * The weekly summary of the real content/ against the analyst's reference facts
 * (test/fixtures/digest-reference.yaml), as `npm run digest:eval` prints it. This one reads
 * content/ on purpose: it holds the editorial quality of what is actually published.
 */
import { describe, expect, it } from "vitest";
import { evaluateContent, evaluateWeek, readReference } from "../../scripts/digest-eval.ts";
import { type DigestSummary, KEY_POINT } from "../../src/digest/summary/model.ts";
import { join } from "node:path";
import { loadContent } from "../../scripts/build-content.ts";

describe("digest evaluation on content/", () => {
  it("covers at least 80% of each week's reference facts, with no dangling or relative openings", async () => {
    const reference = readReference();
    const content = await loadContent(join(import.meta.dirname, "../../content"));
    expect(content.errors).toEqual([]);
    const results = await evaluateContent(content, reference);
    // Every week with articles has a reference list, and every reference week has articles.
    expect(results.map((r) => r.week).sort()).toEqual([...reference.keys()].sort());
    for (const r of results) {
      expect(r.coverage, `${r.week} missed: ${r.missed.join("; ")}`).toBeGreaterThanOrEqual(0.8);
      expect(r.dangling, r.week).toEqual([]);
      expect(r.summaryWords, r.week).toBeLessThanOrEqual(250);
    }
  });

  it("counts a fact only when one item holds all its terms, and flags leaning openings", () => {
    const development = (text: string) => ({
      text,
      articleSlug: "a",
      articleId: "urn:uuid:a",
      articleTitle: "A",
      source: "Wire",
      story: null,
      provenance: KEY_POINT,
      reportedIn: null,
    });
    const summary: DigestSummary = {
      week: "2024-W43",
      timeZone: "UTC",
      start: "2024-10-21T00:00:00.000Z",
      end: "2024-10-28T00:00:00.000Z",
      developments: [
        development("Yoon Suk Yeol held an emergency meeting on 18 October 2024."),
        development("This means Kim Jong Un called the South a hostile country."),
        development("Seoul said on Friday that it would respond."),
      ],
      pairs: [],
      actors: ["South Korea"],
      figures: [],
      articles: [],
      summaryWords: 30,
    };
    const r = evaluateWeek(summary, [
      { fact: "in one item", terms: ["Yoon", "emergency"] },
      { fact: "split across two items", terms: ["emergency", "hostile country"] },
      { fact: "absent", terms: ["Atlantis"] },
    ]);
    expect(r.covered).toEqual(["in one item"]);
    expect(r.missed).toEqual(["split across two items", "absent"]);
    expect(r.coverage).toBeCloseTo(1 / 3);
    expect(r.dangling).toEqual([
      "This means Kim Jong Un called the South a hostile country.",
      "Seoul said on Friday that it would respond.",
    ]);
  });
});
