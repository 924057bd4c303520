/**
 * The content build's validation, as the operator sees it: `file:line: what is wrong: what is
 * expected`. Fixtures live in test/fixtures/content/, never in content/.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../scripts/content/markdown.ts";
import { formatError, parseContent, type SourceFile } from "../../scripts/content/parse.ts";

const FIXTURES = join(import.meta.dirname, "../fixtures/content");
const NOW = new Date("2026-01-01T00:00:00Z");

function fixture(name: string, path = `content/${name}.md`): SourceFile {
  return { path, text: readFileSync(join(FIXTURES, `${name}.md`), "utf8") };
}

function errorsFor(...files: SourceFile[]): string[] {
  return parseContent(files, NOW).errors.map(formatError);
}

describe("content build: a valid file", () => {
  it("parses every field", () => {
    const { articles, errors } = parseContent([fixture("valid")], NOW);
    expect(errors).toEqual([]);
    expect(articles[0]).toMatchObject({
      slug: "valid",
      id: "urn:uuid:0a000000-0000-4000-8000-000000000001",
      published: "2024-10-22T09:30:00+09:00",
      tags: ["russia", "north-korea"],
      authors: ["Jane Roe"],
      markdown: "Body text.",
    });
  });
});

describe("content build: each kind of bad file stops the build with file:line and what is expected", () => {
  const cases: [string, string][] = [
    [
      "missing-field",
      'content/missing-field.md:8: missing required field "summary": expected one or two sentences of plain text',
    ],
    [
      "empty-field",
      'content/empty-field.md:3: field "title" is empty: expected the headline as text',
    ],
    [
      "zoneless-date",
      'content/zoneless-date.md:4: field "date" is "2024-10-22", which has no UTC offset: expected an ISO 8601 date-time with an offset, e.g. 2024-10-22T00:00:00Z (UTC) or 2024-10-22T00:00:00+09:00',
    ],
    [
      "unparseable-date",
      'content/unparseable-date.md:4: field "date" is "last Friday", which is not a date-time: expected ISO 8601 with a UTC offset',
    ],
    [
      "impossible-date",
      'content/impossible-date.md:4: field "date" is "2024-02-30T10:00:00Z", which is not a real date and time',
    ],
    [
      "future-date",
      'content/future-date.md:4: field "date" is 2999-01-01T00:00:00Z, which is in the future (the build ran at 2026-01-01T00:00:00.000Z): expected the time the article was published',
    ],
    [
      "unknown-key",
      'content/unknown-key.md:8: unknown front-matter key "titel" (did you mean "title"?): expected one of',
    ],
    [
      "bad-tag",
      'content/bad-tag.md:6: tag "North Korea" is not kebab case: expected lowercase words joined by single hyphens, e.g. north-korea',
    ],
    ["tags-not-list", 'content/tags-not-list.md:6: field "tags" must be a YAML list, got text'],
    [
      "bad-id",
      'content/bad-id.md:2: field "id" is "russia-troops-2024": expected "urn:uuid:" and a lowercase UUID',
    ],
    [
      "bad-source-url",
      'content/bad-source-url.md:8: field "source_url" is "asiatimes.com/story": expected an absolute http(s) URL',
    ],
    [
      "no-front-matter",
      'content/no-front-matter.md:1: no front matter: expected the file to start with a line "---"',
    ],
    [
      "invalid-yaml",
      'content/invalid-yaml.md:8: front matter is not valid YAML: Missing closing "quote',
    ],
    [
      "empty-body",
      'content/empty-body.md:10: the article has no body: expected the article\'s text in Markdown after the closing "---"',
    ],
    [
      "Not_Kebab",
      'content/Not_Kebab.md:1: file name "Not_Kebab.md" does not make a kebab-case slug',
    ],
  ];
  for (const [name, expected] of cases) {
    it(name, () => {
      const errors = errorsFor(fixture(name));
      expect(errors.length, errors.join("\n")).toBeGreaterThan(0);
      expect(
        errors.some((e) => e.startsWith(expected)),
        `got:\n${errors.join("\n")}`,
      ).toBe(true);
    });
  }

  it("duplicate ids name both files", () => {
    const errors = errorsFor(fixture("valid", "content/a.md"), fixture("valid", "content/b.md"));
    expect(errors).toEqual([
      'content/b.md:2: duplicate id "urn:uuid:0a000000-0000-4000-8000-000000000001", already used by content/a.md:2: expected every article to have its own id (npm run new-article makes one)',
    ]);
  });

  it("duplicate slugs (same file name in two folders) name both files", () => {
    const other = {
      path: "content/2025/valid.md",
      text: fixture("valid").text.replace("000000000001", "0000000000ff"),
    };
    expect(errorsFor(fixture("valid", "content/2024/valid.md"), other)).toEqual([
      'content/2025/valid.md:1: duplicate slug "valid", already used by content/2024/valid.md: expected each file name to be unique across content/',
    ]);
  });

  it("reports every problem in a run, not just the first", () => {
    const errors = errorsFor(fixture("bad-tag"), fixture("zoneless-date"), fixture("valid"));
    expect(errors).toHaveLength(2);
  });
});

describe("content build: Markdown", () => {
  it("sanitizes raw HTML: no script, handlers, javascript: links, iframes or styles", () => {
    const { articles } = parseContent([fixture("raw-html")], NOW);
    const html = renderMarkdown(articles[0]!.markdown);
    expect(html).toContain("<strong>world</strong>");
    expect(html).toContain('<a href="https://example.org/">a link</a>');
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|<iframe|style=/);
  });

  it("strips control characters and bidi overrides that could break XML or reorder text", () => {
    const text = fixture("valid").text.replace(
      'title: "Fixture article"',
      'title: "Evil\\u0007 \\u202Etitle"',
    );
    const { articles } = parseContent([{ path: "content/x.md", text }], NOW);
    expect(articles[0]!.title).toBe("Evil title");
  });
});
