/**
 * Reading content/: articles (Markdown with front matter), stories.yaml and actors.yaml, parsed,
 * validated and rendered to what `npm run publish` writes to D1. As a command it only checks:
 *
 *   node scripts/build-content.ts [--content DIR]      (npm run build:content)
 *
 * Invalid input is reported as `file:line: what is wrong: what is expected` for every problem
 * found; publish then writes nothing.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import type { Actor } from "../src/model/actor.ts";
import type { Article, Story } from "../src/model/article.ts";
import { pickFields } from "./content/article-schema.ts";
import { renderMarkdown } from "./content/markdown.ts";
import { parseActors } from "./content/actors.ts";
import {
  type ArticleSource,
  type ContentError,
  formatError,
  parseContent,
  type SourceFile,
} from "./content/parse.ts";
import { parseStories } from "./content/stories.ts";
import { ISSUES_DIR, loadIssues } from "./content/issues.ts";

const root = join(import.meta.dirname, "..");
const READ_CONCURRENCY = 128;

/** Every article file under `dir`, sorted (a README.md is not an article). */
export async function listMarkdown(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  // content/issues/ holds the editor's issues, not articles (content/issues.ts).
  const issues = join(dir, ISSUES_DIR);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".md") && e.name.toLowerCase() !== "readme.md")
    .filter((e) => e.parentPath !== issues && !e.parentPath.startsWith(`${issues}/`))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export interface LoadedContent {
  /** Newest first, bodies rendered to sanitized HTML. */
  readonly articles: Article[];
  readonly stories: Story[];
  readonly actors: Actor[];
  /** slug → its file, relative to the working directory, for messages. */
  readonly files: Map<string, string>;
  /** slug → its Markdown body and the file line it starts on (the analysis names lines). */
  readonly bodies: Map<string, { readonly markdown: string; readonly line: number }>;
  /** `file:line: what is wrong: what is expected`, one per problem; empty when valid. */
  readonly errors: string[];
}

/** Reads and validates content/ (articles, stories.yaml, actors.yaml) as publish and CI do. */
export async function loadContent(contentDir: string, now = new Date()): Promise<LoadedContent> {
  const paths = await listMarkdown(contentDir);
  const files: SourceFile[] = [];
  // A bounded number of reads at a time: 100,000 files at once exhaust the open-file limit.
  for (let i = 0; i < paths.length; i += READ_CONCURRENCY) {
    const slice = paths.slice(i, i + READ_CONCURRENCY);
    files.push(
      ...(await Promise.all(
        slice.map(async (p) => ({
          path: relative(process.cwd(), p) || p,
          text: await readFile(p, "utf8"),
        })),
      )),
    );
  }
  const { articles, errors } = parseContent(files, now);
  const actors = await readActors(contentDir, errors);
  const stories = await readStories(contentDir, errors);
  errors.push(...unknownStories(articles, stories));
  if (errors.length > 0) {
    return {
      articles: [],
      stories: [],
      actors: [],
      files: new Map(),
      bodies: new Map(),
      errors: errors.map(formatError),
    };
  }

  const rendered: Article[] = articles.map(renderArticle);
  rendered.sort(
    (a, b) => Date.parse(b.published) - Date.parse(a.published) || (a.slug < b.slug ? -1 : 1),
  );

  return {
    articles: rendered,
    stories,
    actors,
    files: new Map(articles.map((a) => [a.slug, a.path] as const)),
    bodies: new Map(
      articles.map((a) => [a.slug, { markdown: a.markdown, line: a.markdownLine }] as const),
    ),
    errors: [],
  };
}

/** A parsed article as publish stores it: its body rendered to sanitized HTML. */
export function renderArticle(a: ArticleSource): Article {
  return {
    ...pickFields(a),
    slug: a.slug,
    html: renderMarkdown(a.markdown),
  };
}

/** An error for each article whose `story` content/stories.yaml does not list. */
export function unknownStories(
  articles: readonly {
    readonly path: string;
    readonly story: string | null;
    readonly storyLine: number;
  }[],
  stories: readonly Story[],
): ContentError[] {
  const storyIds = new Set(stories.map((s) => s.id));
  return articles.flatMap((a) =>
    a.story !== null && !storyIds.has(a.story)
      ? [
          {
            path: a.path,
            line: a.storyLine,
            message: `field "story" is "${a.story}", which content/stories.yaml does not list: expected one of ${[...storyIds].join(", ") || "(none yet)"}, or add it there with its title`,
          },
        ]
      : [],
  );
}

/** Validates content/: the number of articles, or every problem found. */
export async function buildContent(
  contentDir: string,
  now = new Date(),
): Promise<{ count: number; errors: string[] }> {
  const loaded = await loadContent(contentDir, now);
  const issues = await loadIssues(contentDir);
  return { count: loaded.articles.length, errors: [...loaded.errors, ...issues.errors] };
}

/** content/actors.yaml, which is required (the digest's watch list); its problems go to `errors`. */
export async function readActors(contentDir: string, errors: ContentError[]): Promise<Actor[]> {
  const path = join(contentDir, "actors.yaml");
  const file = {
    path: relative(process.cwd(), path) || path,
    text: await readFile(path, "utf8").catch(() => null),
  };
  if (file.text === null) {
    errors.push({
      path: file.path,
      line: 1,
      message: "missing: expected the summary's watch list of actors (see docs/digest.md)",
    });
    return [];
  }
  const parsed = parseActors({ path: file.path, text: file.text });
  errors.push(...parsed.errors);
  return parsed.actors;
}

/** content/stories.yaml, which is optional: without it no article may name a story. */
export async function readStories(contentDir: string, errors: ContentError[]): Promise<Story[]> {
  const path = join(contentDir, "stories.yaml");
  const text = await readFile(path, "utf8").catch(() => null);
  if (text === null) return [];
  const parsed = parseStories({ path: relative(process.cwd(), path) || path, text });
  errors.push(...parsed.errors);
  return parsed.stories;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { content: { type: "string", default: join(root, "content") } },
  });
  const { count, errors } = await buildContent(values.content!);
  if (errors.length > 0) {
    for (const e of errors) console.error(e);
    console.error(
      `\ncontent check failed: ${errors.length} problem${errors.length === 1 ? "" : "s"}; nothing was published.`,
    );
    process.exit(1);
  }
  console.log(`content: ${count} article${count === 1 ? "" : "s"}, all valid`);
}
