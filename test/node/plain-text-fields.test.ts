/**
 * Plain-text fields with markup in them are refused by the content check, each on its own line:
 * feed readers that read RSS titles and descriptions as HTML would otherwise render (or run) a
 * `<script>` the site shows as text. A bare `<` as in "< 5%", and a bare `&`, stay text.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { briefFile } from "../helpers/brief-file.ts";
import { parseActors } from "../../scripts/content/actors.ts";
import { formatError, parseArticleFile } from "../../scripts/content/parse.ts";
import { parseStories } from "../../scripts/content/stories.ts";

const FIXTURES = join(import.meta.dirname, "../fixtures/content");
const NOW = new Date("2026-01-01T00:00:00Z");

const TAG_HINT = `expected plain text, without HTML tags (a "<" before a space or digit, as in "< 5%", is fine)`;

function errorsOf(path: string, text: string): string[] {
  return parseArticleFile({ path, text }, NOW).errors.map(formatError);
}

const brief = (fields: Record<string, string>) => briefFile(fields, "0000000000bb");

describe("plain-text fields refuse markup", () => {
  it("lists every field with markup, each on the line the markup is on", () => {
    const text = readFileSync(join(FIXTURES, "markup-in-fields.md"), "utf8");
    expect(errorsOf("content/markup-in-fields.md", text)).toEqual([
      `content/markup-in-fields.md:3: field "title" contains markup (<script>): ${TAG_HINT}`,
      `content/markup-in-fields.md:5: field "source" contains markup (&amp;): expected plain text, with the character itself (&) instead of a character reference`,
      // A folded summary: the markup is on the second of its lines.
      `content/markup-in-fields.md:9: field "summary" contains markup (<b>): ${TAG_HINT}`,
      `content/markup-in-fields.md:11: field "date_note" contains markup (<!-- x -->): ${TAG_HINT}`,
      `content/markup-in-fields.md:10: an item of "authors" contains markup (<i>): ${TAG_HINT}`,
      `content/markup-in-fields.md:16: key point 2 contains markup (<em>): ${TAG_HINT}`,
      `content/markup-in-fields.md:19: claim 1 "counts" contains markup (&gt;): expected plain text, with the character itself (>) instead of a character reference`,
      `content/markup-in-fields.md:22: claim 1 "by" contains markup (<b>): ${TAG_HINT}`,
      `content/markup-in-fields.md:12: field "editor_note" contains markup (&#8239;): expected plain text, with the character itself instead of a character reference`,
      `content/markup-in-fields.md:13: field "source_author" contains markup (<a href=x>): ${TAG_HINT}`,
    ]);
  });

  it("refuses every form an HTML parser reads as markup", () => {
    const cases: [string, string][] = [
      [`"<script src=//evil.example/x.js></script>"`, "<script src=//evil.example/x.js>"],
      [`"Kim</b> and Putin"`, "</b>"],
      [`"a<img src=x onerror=alert(1)>"`, "<img src=x onerror=alert(1)>"],
      [`"Kim met Putin <b"`, "<b"],
      [`"<!DOCTYPE html> x"`, "<!DOCTYPE html>"],
      [`"<?xml x?> y"`, "<?xml x?>"],
      [`"&lt;script&gt;alert(1)&lt;/script&gt;"`, "&lt;"],
      [`"caf&#233;"`, "&#233;"],
      [`"&#x3C;b&#x3E;"`, "&#x3C;"],
      [`"${"<span class=x>".repeat(4)}"`, `<span class=x>`],
      [`"<p title='${"x".repeat(60)}'>"`, `<p title='${"x".repeat(29)}…`],
    ];
    for (const [title, snippet] of cases) {
      const errors = errorsOf("content/brief.md", brief({ title }));
      expect(errors, title).toHaveLength(1);
      expect(errors[0], title).toContain(
        `content/brief.md:3: field "title" contains markup (${snippet}): expected plain text`,
      );
    }
  });

  it("keeps text that only looks like markup: < before a space or digit, a bare &", () => {
    for (const title of [
      `"Losses < 5% and <5% at R&D sites, AT&T says"`,
      `"Kim <-> Putin: x<3, a <= b, 1 << 2"`,
      `"Q&A: semicolons; & more & # ; &;"`,
    ]) {
      expect(errorsOf("content/brief.md", brief({ title, summary: title })), title).toEqual([]);
    }
  });

  it("refuses markup in story titles and actor names", () => {
    const stories = parseStories({
      path: "content/stories.yaml",
      text: "stories:\n  - id: ok\n    title: Fine\n  - id: bad\n    title: A <b>bold</b> story\n",
    });
    expect(stories.errors.map(formatError)).toEqual([
      `content/stories.yaml:5: story "bad" title contains markup (<b>): ${TAG_HINT}`,
    ]);
    const actors = parseActors({
      path: "content/actors.yaml",
      text: [
        "actors:",
        "  - id: russia",
        "    name: Russia &amp; co",
        "    kind: country",
        "    side: axis",
        "    aliases: [Russia]",
      ].join("\n"),
    });
    expect(actors.errors.map(formatError)).toEqual([
      `content/actors.yaml:3: actor "russia" name contains markup (&amp;): expected plain text, with the character itself (&) instead of a character reference`,
    ]);
  });
});
