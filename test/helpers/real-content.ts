/**
 * Vitest global setup (runs in Node, not workerd): reads content/ with the same loader
 * `npm run publish` uses and provides it to the Worker's tests, which publish it to their D1.
 * The articles are never compiled into the Worker.
 */
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { loadContent } from "../../scripts/build-content.ts";
import type { Actor } from "../../src/model/actor.ts";
import type { Article, Story } from "../../src/model/article.ts";

declare module "vitest" {
  export interface ProvidedContext {
    realContent: {
      articles: Article[];
      stories: Story[];
      actors: Actor[];
    };
  }
}

export default async function setup(project: TestProject) {
  const content = await loadContent(join(import.meta.dirname, "../../content"));
  if (content.errors.length > 0) throw new Error(content.errors.join("\n"));
  project.provide("realContent", {
    articles: content.articles,
    stories: content.stories,
    actors: content.actors,
  });
}
