/**
 * The article schema is the one place a front-matter field is declared (issue 17). Before it, a
 * field was written out in seven places (the parser, the editorial checks, the build's copy of
 * 18 fields into the model, the model, the digest's ArticleRef, the email view, new-article's
 * template), and one left out was silently dropped or never written. These tests fail when the
 * template, the model the build makes or docs/content.md leaves out a field of the schema, and
 * pin the file:line errors of a few invalid fields.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { briefFile } from "../helpers/brief-file.ts";
import { loadContent } from "../../scripts/build-content.ts";
import { FIELDS } from "../../scripts/content/article-schema.ts";
import { DOCS_PATH, withFieldTable } from "../../scripts/content/field-docs.ts";
import { newArticleText } from "../../scripts/content/new-article-template.ts";
import { formatError, parseArticleFile } from "../../scripts/content/parse.ts";

const NOW = new Date("2026-01-01T00:00:00Z");

/** The front matter of a file, read by the yaml package alone (not by the code under test). */
function frontMatter(text: string): Record<string, unknown> {
  const [, yaml] = /^---\n([\s\S]*?)\n---\n/.exec(text) ?? [];
  if (yaml === undefined) throw new Error(`no front matter in:\n${text}`);
  return parseYaml(yaml) as Record<string, unknown>;
}

/** A file that sets every field of the schema to a valid value that is not its default. */
const EVERY_FIELD = `---
id: "urn:uuid:0a000000-0000-4000-8000-0000000000dd"
title: "Seoul reports troops in Russia"
date: "2024-10-22T12:00:00Z"
updated: "2024-10-23T08:00:00Z"
date_approximate: true
date_note: "Estimated from the report's text."
source: "Test Wire"
source_url: "https://example.org/2024/10/troops"
source_author: "Jane Roe"
authors: ["John Doe"]
tags: [north-korea, russia]
summary: "South Korea's intelligence service reported troops in Russia on 18 October 2024."
key_points:
  - "South Korea's National Intelligence Service said on 18 October 2024 that 1,500 North Korean troops were in Russia."
  - "Kim Jong Un told troops on 17 October 2024 that South Korea was a hostile country."
claims:
  - figure: "1,500"
    counts: "North Korean troops in Russia"
    claimant: "South Korea's National Intelligence Service"
    status: claimed
story: known-story
editor_note: "The source calls the NIS Ukraine's; it is South Korea's."
---

The body.
`;

describe("the article schema is the single source of the fields", () => {
  it("EVERY_FIELD sets every field the schema has (else the model test below proves less)", () => {
    expect(Object.keys(frontMatter(EVERY_FIELD)).sort()).toEqual(FIELDS.map((f) => f.key).sort());
  });

  it("new-article writes every required field, and no key the schema does not know", () => {
    const written = Object.keys(
      frontMatter(newArticleText("urn:uuid:x", "A title", "2026-01-01T00:00:00Z")),
    );
    for (const f of FIELDS.filter((f) => f.required)) {
      expect(written, `required field "${f.key}" is missing from the template`).toContain(f.key);
    }
    expect(written.sort()).toEqual(
      FIELDS.filter((f) => f.template.write !== "no")
        .map((f) => f.key)
        .sort(),
    );
  });

  it("the content build's Article has exactly the schema's fields, each with the file's value", async () => {
    const dir = mkdtempSync(join(tmpdir(), "axis-schema-"));
    writeFileSync(join(dir, "actors.yaml"), "actors: []\n");
    writeFileSync(join(dir, "stories.yaml"), "stories:\n  - id: known-story\n    title: A story\n");
    writeFileSync(join(dir, "every-field.md"), EVERY_FIELD);
    const { articles, errors } = await loadContent(dir, NOW);
    expect(errors).toEqual([]);
    const article = articles[0]! as unknown as Record<string, unknown>;
    expect(Object.keys(article).sort()).toEqual(
      [...FIELDS.map((f) => f.name), "slug", "html"].sort(),
    );
    // Each field arrived: none is left at what an absent field becomes (null, [] or false).
    for (const f of FIELDS) {
      const value = article[f.name];
      expect(
        value === null || value === false || (Array.isArray(value) && value.length === 0),
        `${f.key} → ${f.name} is ${JSON.stringify(value)}`,
      ).toBe(false);
    }
    expect(article).toMatchObject({
      published: "2024-10-22T12:00:00Z",
      dateNote: "Estimated from the report's text.",
      sourceAuthor: "Jane Roe",
      authors: ["John Doe"],
      story: "known-story",
      slug: "every-field",
    });
  });

  it("docs/content.md's table of fields is the schema's (node scripts/content/field-docs.ts)", () => {
    const docs = readFileSync(DOCS_PATH, "utf8");
    expect(docs).toBe(withFieldTable(docs));
    for (const f of FIELDS) expect(docs).toContain(`| \`${f.key}\` |`);
  });

  it("the example article in docs/content.md is valid", () => {
    const docs = readFileSync(DOCS_PATH, "utf8");
    const [, example] = /```markdown\n([\s\S]*?)```/.exec(docs) ?? [];
    expect(example).toBeDefined();
    const { errors } = parseArticleFile({ path: "content/example.md", text: example! }, NOW);
    expect(errors.map(formatError)).toEqual([]);
  });
});

describe("an invalid field's error names the file, the line, the field and what was expected", () => {
  const errorsOf = (fields: Record<string, string>) =>
    parseArticleFile({ path: "content/brief.md", text: briefFile(fields) }, NOW).errors.map(
      formatError,
    );

  it("a flag that is not true or false, and a flag that needs another field", () => {
    expect(errorsOf({ date_approximate: "yes" })).toEqual([
      `content/brief.md:8: field "date_approximate" is "yes": expected true or false`,
    ]);
    expect(errorsOf({ date_approximate: "true" })).toEqual([
      `content/brief.md:8: field "date_approximate" is true but there is no "date_note": expected a sentence saying how the date was estimated`,
    ]);
  });

  it("a list item on its own line, and a missing field on the closing ---", () => {
    expect(errorsOf({ authors: "\n  - Jane Roe\n  - 5" })).toEqual([
      `content/brief.md:10: an item of "authors" is a number (5): expected a YAML list of author names`,
    ]);
    const text = briefFile({}).replace(/^tags: .*\n/m, "");
    expect(
      parseArticleFile({ path: "content/brief.md", text }, NOW).errors.map(formatError),
    ).toEqual([
      `content/brief.md:7: missing required field "tags": expected a YAML list of kebab-case tags, e.g. [russia, north-korea]`,
    ]);
  });

  it("every problem at once: a rule between fields is checked even when another field is invalid", () => {
    // The rules between fields come after the fields' own problems.
    expect(
      errorsOf({ updated: `"2024-10-21T00:00:00Z"`, story: "Not A Story", source: "" }),
    ).toEqual([
      `content/brief.md:5: field "source" is empty: expected the publication's name, e.g. Asia Times`,
      `content/brief.md:9: field "story" is "Not A Story": expected a kebab-case id, e.g. north-korean-troops-for-russia`,
      `content/brief.md:8: field "updated" (2024-10-21T00:00:00Z) is before "date" (2024-10-22T12:00:00Z): expected the time of a change made after publication`,
    ]);
  });

  it("markup in a folded value, on the line the markup is on", () => {
    expect(
      errorsOf({
        editor_note: ">\n  The source misnames the agency;\n  it is <b>South Korea's</b>.",
      }),
    ).toEqual([
      `content/brief.md:10: field "editor_note" contains markup (<b>): expected plain text, without HTML tags (a "<" before a space or digit, as in "< 5%", is fine)`,
    ]);
  });
});
