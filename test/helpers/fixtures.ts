/** Fresh fixtures for every test: nothing here is shared or mutated between tests. */
import { env } from "cloudflare:workers";
import { createApp } from "../../src/app.ts";
import { createLibrary } from "../../src/content/library.ts";
import type { Article } from "../../src/model/article.ts";

let counter = 0;

export function makeArticle(overrides: Partial<Article> = {}): Article {
  counter += 1;
  const n = String(counter).padStart(12, "0");
  return {
    id: `urn:uuid:00000000-0000-4000-8000-${n}`,
    slug: `article-${counter}`,
    title: `Article ${counter}`,
    published: "2024-10-22T09:30:00+09:00",
    updated: null,
    dateNote: null,
    source: "Test Wire",
    sourceUrl: null,
    authors: [],
    tags: ["russia", "north-korea"],
    summary: `Summary of article ${counter}.`,
    html: `<p>Body of article ${counter}.</p>`,
    ...overrides,
  };
}

/** The env the app sees: wrangler.toml's [vars], with overrides. */
export function testEnv(vars: Partial<Record<keyof Env, string>> = {}): Env {
  return { ...env, ...vars } as Env;
}

/** A tiny app around `articles`, and a `request` bound to an env. */
export function makeApp(articles: readonly Article[], vars: Partial<Record<keyof Env, string>> = {}) {
  const app = createApp(createLibrary(articles));
  const e = testEnv(vars);
  return {
    app,
    env: e,
    request: async (path: string, init?: RequestInit): Promise<Response> => app.request(path, init, e),
  };
}
