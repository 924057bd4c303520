/**
 * The editorial front matter as the operator meets it: key points that cannot stand alone,
 * malformed claims and unknown stories are `file:line` errors, like every other field.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildContent } from "../../scripts/build-content.ts";
import { formatError, parseArticleFile } from "../../scripts/content/parse.ts";

const NOW = new Date("2026-01-01T00:00:00Z");

/** A valid brief with `extra` front-matter lines added after the summary. */
function brief(extra: string, path = "content/brief.md"): { path: string; text: string } {
  return {
    path,
    text: `---
id: "urn:uuid:0a000000-0000-4000-8000-0000000000aa"
title: "Seoul reports troops in Russia"
date: "2024-10-22T12:00:00Z"
source: "Test Wire"
tags: [north-korea, russia]
summary: "South Korea's intelligence service reported troops in Russia."
${extra}
---

The body.
`,
  };
}

const errors = (extra: string) => parseArticleFile(brief(extra), NOW).errors.map(formatError);

const GOOD = [
  `  - "South Korea's National Intelligence Service said on 18 October 2024 that 1,500 North Korean troops were in Russia."`,
  `  - "Kim Jong Un told troops on 17 October 2024 that South Korea was a hostile country."`,
];

describe("key_points", () => {
  it("parses standalone key points, with claims, story and notes", () => {
    const { article, errors } = parseArticleFile(
      brief(`key_points:
${GOOD.join("\n")}
claims:
  - figure: "1,500"
    counts: "North Korean troops in Russia"
    claimant: "South Korea's National Intelligence Service"
    status: claimed
    subject: north-korean-troops
story: north-korea-russia-alliance
editor_note: "The source calls the NIS Ukraine's; it is South Korea's."
date_approximate: true
date_note: "Estimated from the text."
source_author: "Jane Roe"`),
      NOW,
    );
    expect(errors).toEqual([]);
    expect(article).toMatchObject({
      keyPoints: [GOOD[0]!.slice(5, -1), GOOD[1]!.slice(5, -1)],
      claims: [
        {
          figure: "1,500",
          counts: "North Korean troops in Russia",
          claimant: "South Korea's National Intelligence Service",
          status: "claimed",
          subject: "north-korean-troops",
          by: null,
        },
      ],
      story: "north-korea-russia-alliance",
      editorNote: "The source calls the NIS Ukraine's; it is South Korea's.",
      dateApproximate: true,
      sourceAuthor: "Jane Roe",
    });
  });

  it("rejects an opening that refers outside the key point, naming the file, line and word", () => {
    expect(
      errors(
        `key_points:\n${GOOD[0]}\n  - "This means Russia sent 1,500 troops on 18 October 2024."`,
      ),
    ).toEqual([
      `content/brief.md:10: key point 2 opens with "This", which refers to something outside it: expected a sentence that names who did what, e.g. "South Korea's National Intelligence Service said on 18 October 2024 that 1,500 North Korean special forces had reached Russia."`,
    ]);
    expect(
      errors(`key_points:\n${GOOD[0]}\n  - "They arrived in Vladivostok on 8 October 2024."`)[0],
    ).toMatch(/key point 2 opens with "They"/);
  });

  it("rejects relative dates, months without a year and key points without a date", () => {
    expect(
      errors(
        `key_points:\n${GOOD[0]}\n  - "Seoul reported on Friday that 1,500 troops were in Russia in 2024."`,
      ),
    ).toEqual([
      `content/brief.md:10: key point 2 has the relative date "on Friday": expected an absolute date with its year, e.g. "on 18 October 2024"`,
    ]);
    expect(
      errors(
        `key_points:\n${GOOD[0]}\n  - "Kim Jong Un met Aleksey Krivoruchko on 18 July, Pyongyang reported."`,
      )[0],
    ).toMatch(/key point 2 names "July" without its year/);
    expect(
      errors(`key_points:\n${GOOD[0]}\n  - "Kim Jong Un met Aleksey Krivoruchko in Pyongyang."`)[0],
    ).toMatch(/key point 2 has no date: expected when it happened, with the year/);
  });

  it("does not take Theresa May's name for a month", () => {
    expect(
      errors(
        `key_points:\n${GOOD[0]}\n  - "Theresa May met Vladimir Putin in Osaka on 28 June 2019, Downing Street said."`,
      ),
    ).toEqual([]);
  });

  it("rejects key points over 35 words, and fewer than 2 or more than 6", () => {
    const long = `  - "Russia said on 18 October 2024 that ${"very ".repeat(40)}many troops arrived."`;
    expect(errors(`key_points:\n${GOOD[0]}\n${long}`)[0]).toMatch(
      /key point 2 has \d+ words: expected at most 35; split it or cut it/,
    );
    expect(errors(`key_points:\n${GOOD[0]}`)).toEqual([
      `content/brief.md:8: field "key_points" has 1 item: expected 2 to 6 standalone sentences`,
    ]);
    expect(errors(`key_points:\n${Array(7).fill(GOOD[0]).join("\n")}`)[0]).toMatch(
      /has 7 items: expected 2 to 6/,
    );
  });
});

describe("summary", () => {
  it("must date things absolutely, since it is shown on its own", () => {
    const file = brief("");
    file.text = file.text.replace(
      "reported troops in Russia.",
      "reported on Friday that flights reached Pyongyang on 9 and 18 July.",
    );
    expect(parseArticleFile(file, NOW).errors.map(formatError)).toEqual([
      `content/brief.md:7: field "summary" has the date "on Friday" without its year or relative to the article: expected an absolute date with its year, e.g. "on 18 October 2024"`,
    ]);
  });
});

describe("claims", () => {
  it("names what is missing or wrong in a claim", () => {
    expect(
      errors(`claims:
  - figure: "many"
    counts: "troops"
    claimant: "Seoul"
    status: rumoured
  - figure: "12,000"
    counts: "troops"
    status: confirmed
    colour: red`),
    ).toEqual([
      `content/brief.md:9: claim 1 figure "many" has no number: expected the figure as written, e.g. "1,500"`,
      `content/brief.md:9: claim 1 status "rumoured": expected one of claimed, confirmed, denied`,
      `content/brief.md:16: claim 2 has unknown key "colour": expected figure, counts, claimant, status, subject, by`,
      `content/brief.md:13: claim 2 has no "claimant": expected who makes the claim, e.g. South Korea's National Intelligence Service`,
      `content/brief.md:13: claim 2 is "confirmed" but does not say by whom: expected "by:" naming who confirmed it`,
    ]);
  });
});

describe("story", () => {
  it("must be listed in content/stories.yaml, with a title", async () => {
    const dir = mkdtempSync(join(tmpdir(), "axis-stories-"));
    writeFileSync(join(dir, "actors.yaml"), "actors: []\n");
    writeFileSync(
      join(dir, "stories.yaml"),
      "stories:\n  - id: known-story\n    title: A known story\n",
    );
    const file = brief("story: unknown-story");
    writeFileSync(join(dir, "brief.md"), file.text);
    const result = await buildContent(dir, NOW);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /brief\.md:8: field "story" is "unknown-story", which content\/stories\.yaml does not list: expected one of known-story/,
    );
  });
});
