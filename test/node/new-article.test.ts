/**
 * `npm run new-article` (issue 17): its placeholders are valid front matter, so an unedited
 * "Publication name" or "One or two sentences…" used to be published as the source and summary.
 * Each is now refused with file:line and the field; the same file, edited, is accepted.
 */
import { describe, expect, it } from "vitest";
import {
  newArticleText,
  nextSteps,
  PLACEHOLDERS,
} from "../../scripts/content/new-article-template.ts";
import { formatError, parseContent } from "../../scripts/content/parse.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const ID = "urn:uuid:0a000000-0000-4000-8000-0000000000aa";
const PATH = "content/russia-and-china-hold-drills.md";

/** A field's placeholder text, as new-article writes it (from the article schema). */
function placeholder(key: string): string {
  const value = PLACEHOLDERS[key];
  if (typeof value !== "string") throw new Error(`no text placeholder for ${key}`);
  return value;
}
const KEY_POINTS = PLACEHOLDERS.key_points as readonly [string, string];

function errorsFor(text: string): string[] {
  return parseContent([{ path: PATH, text }], NOW).errors.map(formatError);
}

describe("npm run new-article", () => {
  it("refuses every unedited placeholder, naming file:line and the field", () => {
    const text = newArticleText(ID, placeholder("title"), "2026-12-01T09:00:00Z");
    const placeholderErrors = errorsFor(text).filter((e) => e.includes("placeholder"));
    const lineOf = (needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
    expect(placeholderErrors).toEqual([
      `${PATH}:${lineOf("title:")}: field "title" is still npm run new-article's placeholder: expected the headline as text`,
      `${PATH}:${lineOf("source:")}: field "source" is still npm run new-article's placeholder: expected the publication's name, e.g. Asia Times`,
      `${PATH}:${lineOf("summary:")}: field "summary" is still npm run new-article's placeholder: expected one or two sentences of plain text`,
      `${PATH}:${lineOf(KEY_POINTS[0])}: an item of "key_points" is still npm run new-article's placeholder: expected a YAML list of 2 to 6 standalone sentences`,
      `${PATH}:${lineOf(KEY_POINTS[1])}: an item of "key_points" is still npm run new-article's placeholder: expected a YAML list of 2 to 6 standalone sentences`,
      `${PATH}:${lineOf(placeholder("body"))}: the article's body is still npm run new-article's placeholder: expected the brief in our own words, in Markdown`,
    ]);
    // The placeholder source_url is refused as a URL, on its own line.
    expect(errorsFor(text)).toContain(
      `${PATH}:${lineOf("source_url:")}: field "source_url" is "https://…": expected an absolute http(s) URL, e.g. https://asiatimes.com/2024/10/…`,
    );
  });

  it("accepts the file it writes once each placeholder is replaced", () => {
    const edited = newArticleText(ID, "Russia and China hold drills", "2026-12-01T09:00:00Z")
      .replace(placeholder("source"), "Asia Times")
      .replace(placeholder("source_url"), "https://asiatimes.com/2026/12/drills/")
      .replace(
        placeholder("summary"),
        "Russia and China held a joint naval drill on 30 November 2026.",
      )
      .replace(
        KEY_POINTS[0],
        "Russia and China held a joint naval drill in the Sea of Japan on 30 November 2026.",
      )
      .replace(
        KEY_POINTS[1],
        "Twelve ships took part in the drill on 30 November 2026, according to Russia's defence ministry.",
      )
      .replace(placeholder("body"), "Russia and China held a naval drill in the Sea of Japan,");
    const { articles, errors } = parseContent([{ path: PATH, text: edited }], NOW);
    expect(errors.map(formatError)).toEqual([]);
    expect(articles[0]).toMatchObject({
      id: ID,
      title: "Russia and China hold drills",
      source: "Asia Times",
      summary: "Russia and China held a joint naval drill on 30 November 2026.",
    });
  });

  it("ends by saying how to see the article, with a server running and without", () => {
    const message = nextSteps(PATH);
    expect(message).toContain(`created ${PATH}`);
    expect(message).toMatch(/with a server running.*: npm run publish$/m);
    expect(message).toMatch(/otherwise: npm start/);
  });
});
