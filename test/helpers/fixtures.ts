/** Fresh fixtures for every test: nothing here is shared or mutated between tests. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createApp } from "../../src/app.ts";
import type { DigestDeps } from "../../src/digest/service.ts";
import { ExtractiveSummarizer } from "../../src/digest/summary/summarizer.ts";
import type { Actor } from "../../src/model/actor.ts";
import type { Article, Claim, Story } from "../../src/model/article.ts";
import { TestContent } from "./content.ts";

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
    dateApproximate: false,
    source: "Test Wire",
    sourceUrl: null,
    sourceAuthor: null,
    authors: [],
    editorNote: null,
    keyPoints: [],
    claims: [],
    story: null,
    tags: ["russia", "north-korea"],
    summary: `Summary of article ${counter}.`,
    html: `<p>Body of article ${counter}.</p>`,
    ...overrides,
  };
}

/**
 * A small watch list for the summary, written for the tests (content/actors.yaml is editorial
 * and changes): three axis countries, a leader who rolls up to one of them, and three counterparts.
 */
export function makeActors(): Actor[] {
  return [
    {
      id: "russia",
      name: "Russia",
      kind: "country",
      side: "axis",
      partOf: null,
      aliases: ["Russia", "Russian", "Moscow", "Kremlin"],
    },
    {
      id: "north-korea",
      name: "North Korea",
      kind: "country",
      side: "axis",
      partOf: null,
      aliases: ["North Korea", "North Korean", "North Koreans", "Pyongyang"],
    },
    {
      id: "china",
      name: "China",
      kind: "country",
      side: "axis",
      partOf: null,
      aliases: ["China", "Chinese", "Beijing"],
    },
    {
      id: "kim-jong-un",
      name: "Kim Jong Un",
      kind: "leader",
      side: "axis",
      partOf: "north-korea",
      aliases: ["Kim Jong Un"],
    },
    {
      id: "ukraine",
      name: "Ukraine",
      kind: "country",
      side: "counterpart",
      partOf: null,
      aliases: ["Ukraine", "Ukrainian", "Kyiv"],
    },
    {
      id: "south-korea",
      name: "South Korea",
      kind: "country",
      side: "counterpart",
      partOf: null,
      aliases: ["South Korea", "South Korean", "Seoul"],
    },
    {
      id: "japan",
      name: "Japan",
      kind: "country",
      side: "counterpart",
      partOf: null,
      aliases: ["Japan", "Japanese", "Tokyo"],
    },
  ];
}

/** A claim as a brief's front matter gives it: by default claimed by a named party, unconfirmed. */
export function makeClaim(overrides: Partial<Claim> = {}): Claim {
  return {
    figure: "1,500",
    counts: "North Korean special forces sent to Russia's Far East",
    claimant: "South Korea's National Intelligence Service",
    status: "claimed",
    subject: null,
    by: null,
    ...overrides,
  };
}

/**
 * What building a digest needs, around `articles` and the fixture watch list; `stories` are the
 * titles content/stories.yaml would give.
 */
export function makeDigestDeps(
  articles: readonly Article[],
  stories: readonly Story[] = [],
): DigestDeps {
  return {
    content: new TestContent({ articles, stories, actors: makeActors() }),
    summarizer: new ExtractiveSummarizer(),
  };
}

/** The env the app sees: wrangler.toml's [vars] and the test bindings, with overrides. */
export function testEnv(overrides: Partial<Env> = {}): Env {
  return { ...env, ...overrides } as Env;
}

/**
 * A tiny app around `articles` (with the fixture watch list, for the admin's rebuild), and a
 * `request` bound to an env. `overrides` may replace [vars] or bindings (e.g. DIGEST_QUEUE);
 * `stories` titles the developing stories the articles name.
 */
export function makeApp(
  articles: readonly Article[],
  overrides: Partial<Env> = {},
  stories: readonly Story[] = [],
) {
  const deps = makeDigestDeps(articles, stories);
  const app = createApp({ content: deps.content, summarizer: deps.summarizer });
  const e = testEnv(overrides);
  return {
    app,
    env: e,
    // With an execution context, as workerd gives every request: work a handler leaves for
    // after its answer (waitUntil) runs, and is finished before the test goes on.
    request: async (path: string, init?: RequestInit): Promise<Response> => {
      const ctx = createExecutionContext();
      const res = await app.request(path, init, e, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    },
  };
}

/**
 * A brief with everything a reader must see besides its body: an approximate date with its
 * note, the original's link and author, an editor's note, key points and two claims (the
 * second one's status set by `second`).
 */
export function makeFullBrief(
  overrides: Partial<Article> = {},
  second: Partial<Claim> = {},
): Article {
  return makeArticle({
    title: "Troops in the Far East",
    published: "2024-10-20T00:00:00Z",
    dateApproximate: true,
    dateNote: "Dated from the MENAFN id; the source prints no date.",
    source: "Asia Times",
    sourceUrl: "https://asiatimes.com/2024/10/troops/",
    sourceAuthor: "Jane Doe",
    editorNote: "The source calls the port Vladivostok; the ships docked at Nakhodka.",
    keyPoints: [
      "South Korea's National Intelligence Service said on 18 October 2024 that North Korea had sent 1,500 special forces to Russia's Far East.",
      "Russian navy ships carried the troops from Chongjin to Nakhodka between 8 and 13 October 2024, the agency said.",
    ],
    claims: [makeClaim(), makeClaim(second)],
    html: "<p>The body of the brief.</p>",
    ...overrides,
  });
}
