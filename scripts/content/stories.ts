/**
 * Parses content/stories.yaml: the developing stories briefs can belong to (front matter
 * `story`), each with the title readers see on /stories/{id} and in the digest. Pure, like
 * parse.ts: errors are `file:line: what is wrong: what is expected`.
 */
import type { Story } from "../../src/model/article.ts";
import type { ContentError, SourceFile } from "./parse.ts";
import { findMarkup, lineProblem, markupMessage, PLAIN_TEXT_MAX } from "./plain-text.ts";
import { readYamlList } from "./yaml-list.ts";

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KEYS = new Set(["id", "title"]);

export function parseStories(file: SourceFile): { stories: Story[]; errors: ContentError[] } {
  const { items, errors, fail, lineOf } = readYamlList(file, {
    list: "stories",
    keys: KEYS,
    itemHint: "story must be a mapping with id and title",
  });
  const stories: Story[] = [];
  const seen = new Map<string, number>();
  for (const { node: item, line } of items) {
    const id = item.get("id");
    const title = item.get("title");
    if (typeof id !== "string" || !KEBAB.test(id)) {
      fail(line, `story id ${typeof id === "string" ? `"${id}" is not kebab case` : "is missing"}: expected e.g. north-korean-troops-for-russia`);
      continue;
    }
    if (seen.has(id)) {
      fail(line, `duplicate story id "${id}", already on line ${seen.get(id)}: expected each id once`);
      continue;
    }
    seen.set(id, line);
    if (typeof title !== "string" || title.trim() === "") {
      fail(line, `story "${id}" has no title: expected the title readers see, e.g. "North Korean troops for Russia's war"`);
      continue;
    }
    const problem = lineProblem(title.trim(), PLAIN_TEXT_MAX.title);
    if (problem !== null) fail(lineOf(item.get("title", true)), `story "${id}" title ${problem}`);
    const markup = findMarkup(title);
    if (markup !== null) {
      fail(lineOf(item.get("title", true)), `story "${id}" title ${markupMessage(markup)}`);
    }
    stories.push({ id, title: title.trim() });
  }
  return { stories, errors };
}
