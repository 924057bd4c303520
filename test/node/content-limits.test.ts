/**
 * Plain-text fields are one line of bounded length, and front matter holds no YAML tags; each
 * refusal names the file and line (issue 15). What broke: a 100 KB title was accepted (the
 * article page grew to 408 KB), a title "Line1\n---\ninjected: true" stayed multi-line in all
 * three feeds, and `!!js/function` was accepted silently (the yaml package left it a string).
 */
import { describe, expect, it } from "vitest";
import { briefFile } from "../helpers/brief-file.ts";
import { parseActors } from "../../scripts/content/actors.ts";
import { formatError, parseArticleFile } from "../../scripts/content/parse.ts";
import { parseStories } from "../../scripts/content/stories.ts";
import { PLAIN_TEXT_MAX } from "../../scripts/content/plain-text.ts";

const NOW = new Date("2026-01-01T00:00:00Z");

function errorsOf(text: string): string[] {
  return parseArticleFile({ path: "content/brief.md", text }, NOW).errors.map(formatError);
}

const brief = (fields: Record<string, string>) => briefFile(fields, "0000000000cc");

/** `n` characters of text, as a double-quoted YAML value. */
const chars = (n: number) => JSON.stringify("é".repeat(n));

describe("plain-text fields: one line, bounded length", () => {
  it("refuses a 100 KB title on its line, and takes one of the longest allowed", () => {
    expect(errorsOf(brief({ title: chars(100_000) }))).toEqual([
      `content/brief.md:3: field "title" is 100000 characters long: expected at most ${PLAIN_TEXT_MAX.title}`,
    ]);
    expect(errorsOf(brief({ title: chars(PLAIN_TEXT_MAX.title) }))).toEqual([]);
  });

  it("bounds every plain-text field, each on its own line", () => {
    const text = brief({
      summary: chars(PLAIN_TEXT_MAX.summary + 1),
      source: chars(PLAIN_TEXT_MAX.source + 1),
      tags: `[russia, ${"a".repeat(PLAIN_TEXT_MAX.tag + 1)}]`,
      authors: `[${chars(PLAIN_TEXT_MAX.author + 1)}]`,
      editor_note: chars(PLAIN_TEXT_MAX.editorNote + 1),
      source_author: chars(PLAIN_TEXT_MAX.sourceAuthor + 1),
    });
    const over = (what: string, max: number) =>
      `${what} is ${max + 1} characters long: expected at most ${max}`;
    expect(errorsOf(text).sort()).toEqual(
      [
        `content/brief.md:5: ${over('field "source"', PLAIN_TEXT_MAX.source)}`,
        `content/brief.md:6: tag "${"a".repeat(PLAIN_TEXT_MAX.tag + 1)}" is ${PLAIN_TEXT_MAX.tag + 1} characters long: expected at most ${PLAIN_TEXT_MAX.tag}`,
        `content/brief.md:7: ${over('field "summary"', PLAIN_TEXT_MAX.summary)}`,
        `content/brief.md:8: ${over('an item of "authors"', PLAIN_TEXT_MAX.author)}`,
        `content/brief.md:9: ${over('field "editor_note"', PLAIN_TEXT_MAX.editorNote)}`,
        `content/brief.md:10: ${over('field "source_author"', PLAIN_TEXT_MAX.sourceAuthor)}`,
      ].sort(),
    );
  });

  it("bounds a claim's figure, counts, claimant and by", () => {
    const claim = [
      `figure: ${JSON.stringify(`1${"é".repeat(PLAIN_TEXT_MAX.claimFigure)}`)}`,
      `counts: ${chars(PLAIN_TEXT_MAX.claimCounts + 1)}`,
      `claimant: ${chars(PLAIN_TEXT_MAX.claimant + 1)}`,
      "status: denied",
      `by: ${chars(PLAIN_TEXT_MAX.claimBy + 1)}`,
    ].join(", ");
    const over = (key: string, max: number) =>
      `content/brief.md:8: claim 1 "${key}" is ${max + 1} characters long: expected at most ${max}`;
    expect(errorsOf(brief({ claims: `[{${claim}}]` }))).toEqual([
      over("figure", PLAIN_TEXT_MAX.claimFigure),
      over("counts", PLAIN_TEXT_MAX.claimCounts),
      over("claimant", PLAIN_TEXT_MAX.claimant),
      over("by", PLAIN_TEXT_MAX.claimBy),
    ]);
  });

  it("refuses line breaks, however YAML writes them, on the value's line", () => {
    const breaks = `contains a line break: expected one line of text`;
    // The issue's title: a double-quoted value with \n escapes.
    const [quoted] = errorsOf(brief({ title: `"Line1\\n---\\ninjected: true"` }));
    expect(quoted).toContain(`content/brief.md:3: field "title" ${breaks}`);
    const literal = errorsOf(
      brief({ summary: "|\n  South Korea's service reported troops.\n  injected: true" }),
    );
    expect(literal).toHaveLength(1);
    expect(literal[0]).toContain(`content/brief.md:7: field "summary" ${breaks}`);
    const separators = errorsOf(brief({ source: `"Test\\u2028Wire"`, title: `"A\\u0085B"` }));
    expect(separators).toEqual([
      expect.stringContaining(`content/brief.md:3: field "title" ${breaks}`),
      expect.stringContaining(`content/brief.md:5: field "source" ${breaks}`),
    ]);
  });

  it("keeps what folds to one line: a plain value over several lines, a folded '>' value", () => {
    expect(
      errorsOf(
        brief({
          summary: ">\n  South Korea's service\n  reported troops in Russia.",
          title: "Seoul reports\n  troops in Russia",
        }),
      ),
    ).toEqual([]);
  });
});

describe("YAML tags in front matter", () => {
  it("refuses !!js/function, !!binary and a local tag, each on its line", () => {
    const text = brief({
      title: `!!js/function "function () { return 1 }"`,
      source: "!custom Test Wire",
      summary: `!!binary "U291dGggS29yZWEncyBzZXJ2aWNlLg=="`,
    });
    expect(errorsOf(text)).toEqual([
      `content/brief.md:3: front matter has the YAML tag !!js/function: expected plain values (text, dates, lists) without tags`,
      `content/brief.md:5: front matter has the YAML tag !custom: expected plain values (text, dates, lists) without tags`,
      `content/brief.md:7: front matter has the YAML tag !!binary: expected plain values (text, dates, lists) without tags`,
      expect.stringContaining(`content/brief.md:7: field "summary" must be text`),
    ]);
  });

  it("refuses a tag inside a list", () => {
    expect(errorsOf(brief({ tags: "[russia, !!str north-korea]" }))).toEqual([
      `content/brief.md:6: front matter has the YAML tag !!str: expected plain values (text, dates, lists) without tags`,
    ]);
  });

  it("refuses tags in stories.yaml and actors.yaml too, and bounds story titles", () => {
    const stories = parseStories({
      path: "content/stories.yaml",
      text: [
        "stories:",
        "  - id: ok",
        `    title: ${chars(PLAIN_TEXT_MAX.title + 1)}`,
        "  - id: tagged",
        "    title: !!js/function x",
        "  - id: broken",
        `    title: "one\\ntwo"`,
      ].join("\n"),
    });
    expect(stories.errors.map(formatError)).toEqual([
      `content/stories.yaml:5: has the YAML tag !!js/function: expected plain values (text, lists) without tags`,
      `content/stories.yaml:3: story "ok" title is ${PLAIN_TEXT_MAX.title + 1} characters long: expected at most ${PLAIN_TEXT_MAX.title}`,
      expect.stringContaining(`content/stories.yaml:7: story "broken" title contains a line break`),
    ]);
    const actors = parseActors({
      path: "content/actors.yaml",
      text: [
        "actors:",
        "  - id: russia",
        "    name: !custom Russia",
        "    kind: country",
        "    side: axis",
        "    aliases: [Russia]",
      ].join("\n"),
    });
    expect(actors.errors.map(formatError)).toEqual([
      `content/actors.yaml:3: has the YAML tag !custom: expected plain values (text, lists) without tags`,
    ]);
  });
});
