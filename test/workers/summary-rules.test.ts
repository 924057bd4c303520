/** Regressions found while reviewing the editorial summary (each says what broke). */
import { describe, expect, it } from "vitest";
import type { DigestSummary } from "../../src/digest/summary/model.ts";
import { upgradeSummary } from "../../src/digest/summary/model.ts";
import {
  contentWords,
  nearDuplicate,
  REPEAT_THRESHOLD,
} from "../../src/digest/summary/similarity.ts";
import { formatDayIn } from "../../src/lib/time.ts";

const repeat = (earlier: string, now: string) =>
  nearDuplicate(contentWords(earlier), contentWords(now), REPEAT_THRESHOLD);

describe("what counts as an earlier week's news said again", () => {
  it("is not triggered by the same source, verb and month alone (regression: a new deployment was dropped as a repeat)", () => {
    expect(
      repeat(
        "Ukraine's defence intelligence said on 15 October 2024 that North Korean soldiers had been issued Russian uniforms in Primorye.",
        "North Korean troops reached Russia's Kursk region on 21 October 2024, Ukraine's defence intelligence said.",
      ),
    ).toBe(false);
  });

  it("is triggered by the same claim reported again with a new date and wording", () => {
    expect(
      repeat(
        "South Korea's National Intelligence Service said in October 2024 that Russian navy ships carried 1,500 North Korean special forces to Vladivostok.",
        "South Korea's National Intelligence Service reported on 18 October 2024 that about 1,500 North Korean special forces had been sent to Russia's Far East.",
      ),
    ).toBe(true);
  });
});

describe("digests stored before claims existed", () => {
  it("credit each figure to the publication of its article, never to nobody (regression: 'claimed by ')", () => {
    const old = {
      week: "2024-W43",
      timeZone: "UTC",
      start: "2024-10-21T00:00:00.000Z",
      end: "2024-10-28T00:00:00.000Z",
      developments: [],
      pairs: [{ names: ["Russia", "North Korea"], ids: ["russia", "north-korea"], articles: 2 }],
      figures: [{ text: "300 wagons", articleSlug: "a", articleId: "urn:uuid:a" }],
      articles: [
        {
          id: "urn:uuid:a",
          slug: "a",
          title: "A",
          source: "Test Wire",
          published: "2024-10-22T12:00:00Z",
          summary: "S.",
        },
      ],
      summaryWords: 10,
    } as unknown as DigestSummary;
    const upgraded = upgradeSummary(old);
    expect(upgraded.figures[0]).toMatchObject({
      claimant: "Test Wire",
      status: "claimed",
      by: null,
      subject: null,
    });
    expect(upgraded.pairs[0]!.mentions).toBe(2);
    expect(upgraded.actors).toEqual([]);
  });
});

describe("a digest's publication day", () => {
  it("is read in the digest's zone (regression: Seoul's week end showed as the Sunday, in UTC)", () => {
    // 2024-W43 ends Monday 28 October 00:00 in Seoul, which is 27 October 15:00 UTC.
    expect(formatDayIn("2024-10-27T15:00:00.000Z", "Asia/Seoul")).toBe("28 October 2024");
    expect(formatDayIn("2024-10-27T15:00:00.000Z", "UTC")).toBe("27 October 2024");
  });
});
