/**
 * The analysis `npm run publish` stores with each article (migrations/0011_article_analysis.sql):
 * made once for a new or changed article, kept for an unchanged one, made again for every
 * article when the analysis version changes, and read by the digest. An article published
 * before the analysis existed gives the digest nothing from its body until it is re-analysed.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { ArticleAnalyzer } from "../../scripts/publish/publish.ts";
import { ContentRepository } from "../../src/content/view.ts";
import { summarizeWeek } from "../../src/digest/summary/summarize-week.ts";
import { ExtractiveSummarizer } from "../../src/digest/summary/summarizer.ts";
import type { ArticleAnalysis } from "../../src/model/analysis.ts";
import type { Article } from "../../src/model/article.ts";
import { fixtureAnalyzer, publishFixtures, resetContent } from "../helpers/content.ts";
import { makeActors, makeArticle } from "../helpers/fixtures.ts";

const DEPLOYMENT =
  "<p>South Korea's National Intelligence Service said on Friday that 1,500 North Korean special forces had reached Vladivostok.</p>";

/** Two articles of week 2024-W43 without key points (Tuesday 22 October 2024), the same each call. */
function week(): Article[] {
  return [
    makeArticle({
      slug: "deployment",
      title: "Deployment",
      summary: "A deployment.",
      id: "urn:uuid:00000000-0000-4000-8000-000000000001",
      published: "2024-10-22T09:00:00Z",
      html: DEPLOYMENT,
    }),
    makeArticle({
      slug: "drills",
      title: "Drills",
      summary: "Drills.",
      id: "urn:uuid:00000000-0000-4000-8000-000000000002",
      published: "2024-10-23T09:00:00Z",
      html: "<p>China and Russia held joint naval drills in the Sea of Japan on 23 October 2024.</p>",
    }),
  ];
}

/** The real fixture analysis, at `version`, recording which articles it analysed. */
function countingAnalyzer(version: number): ArticleAnalyzer & { readonly calls: string[] } {
  const calls: string[] = [];
  return {
    version,
    calls,
    analyze: (a) => {
      calls.push(a.slug);
      return { ...fixtureAnalyzer.analyze(a), version };
    },
  };
}

async function storedAnalyses(): Promise<
  Map<string, { version: number | null; analysis: ArticleAnalysis | null }>
> {
  const { results } = await env.DB.prepare(
    "SELECT slug, analysis, analysis_version FROM articles WHERE to_version IS NULL ORDER BY slug",
  ).all<{ slug: string; analysis: string | null; analysis_version: number | null }>();
  return new Map(
    results.map((r) => [
      r.slug,
      {
        version: r.analysis_version,
        analysis: r.analysis === null ? null : (JSON.parse(r.analysis) as ArticleAnalysis),
      },
    ]),
  );
}

/** The digest items of week 2024-W43, from what is published. */
async function weekItems(): Promise<string[]> {
  const view = await new ContentRepository().open(env.DB, 0);
  const inWeek = await view.publishedBetween(
    Date.parse("2024-10-21T00:00:00Z"),
    Date.parse("2024-10-28T00:00:00Z"),
  );
  const summary = await summarizeWeek({
    week: "2024-W43",
    timeZone: "UTC",
    articles: inWeek,
    actors: makeActors(),
    summarizer: new ExtractiveSummarizer(),
  });
  return summary?.developments.map((d) => d.text) ?? [];
}

beforeEach(() => resetContent(env.DB));

describe("the analysis stored at publish", () => {
  it("is made once for each new or changed article and stored with its row", async () => {
    const first = countingAnalyzer(1);
    await publishFixtures(env.DB, { articles: week() }, { analyzer: first });
    expect(first.calls.sort()).toEqual(["deployment", "drills"]);
    const stored = await storedAnalyses();
    expect(stored.get("deployment")!.version).toBe(1);
    expect(stored.get("deployment")!.analysis!.candidates).toEqual([
      expect.objectContaining({
        text: "South Korea's National Intelligence Service said on 18 October 2024 that 1,500 North Korean special forces had reached Vladivostok.",
        rewrites: ['"on Friday" → "on 18 October 2024"'],
      }),
    ]);

    const again = countingAnalyzer(1);
    const unchanged = await publishFixtures(env.DB, { articles: week() }, { analyzer: again });
    expect(unchanged.status).toBe("unchanged");
    expect(again.calls).toEqual([]);

    const edited = week();
    edited[1] = { ...edited[1]!, html: `${edited[1]!.html}<p>Russia sent 10 warships.</p>` };
    const one = countingAnalyzer(1);
    const report = await publishFixtures(env.DB, { articles: edited }, { analyzer: one });
    expect(report.changed).toEqual(["drills"]);
    expect(one.calls).toEqual(["drills"]);
  });

  it("is made again for every article when the analysis version changes, once", async () => {
    await publishFixtures(env.DB, { articles: week() }, { analyzer: countingAnalyzer(1) });
    const bumped = countingAnalyzer(2);
    const report = await publishFixtures(env.DB, { articles: week() }, { analyzer: bumped });
    expect(report.status).toBe("published");
    expect([...report.changed].sort()).toEqual(["deployment", "drills"]);
    expect(bumped.calls.sort()).toEqual(["deployment", "drills"]);
    expect([...(await storedAnalyses()).values()].map((s) => s.version)).toEqual([2, 2]);

    const after = countingAnalyzer(2);
    expect((await publishFixtures(env.DB, { articles: week() }, { analyzer: after })).status).toBe(
      "unchanged",
    );
    expect(after.calls).toEqual([]);
  });

  it("is absent for an article published before it existed: the digest takes nothing from its body until the next publish analyses it", async () => {
    // Published as before the analysis: no analyzer, so no analysis stored.
    await publishFixtures(env.DB, { articles: week() }, { analyzer: undefined });
    expect([...(await storedAnalyses()).values()]).toEqual([
      { version: null, analysis: null },
      { version: null, analysis: null },
    ]);
    expect(await weekItems()).toEqual([]);

    const analyzer = countingAnalyzer(1);
    const report = await publishFixtures(env.DB, { articles: week() }, { analyzer });
    expect([...report.changed].sort()).toEqual(["deployment", "drills"]);
    expect((await weekItems()).sort()).toEqual([
      "China and Russia held joint naval drills in the Sea of Japan on 23 October 2024.",
      "South Korea's National Intelligence Service said on 18 October 2024 that 1,500 North Korean special forces had reached Vladivostok.",
    ]);
  });
});
