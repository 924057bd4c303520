/**
 * Vitest global setup (runs in Node, not workerd): reads the seed briefs
 * (test/fixtures/seed-briefs/, a copy of what content/ started with) with the same loader
 * `npm run publish` uses and provides them to the Worker's tests, which publish them to their
 * D1. Never content/ itself: an operator replaces it, and `npm test` must stay green.
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
  const content = await loadContent(join(import.meta.dirname, "../fixtures/seed-briefs"));
  if (content.errors.length > 0) throw new Error(content.errors.join("\n"));
  project.provide("realContent", {
    articles: content.articles,
    stories: content.stories,
    actors: content.actors,
  });
}
