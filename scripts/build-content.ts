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
import { type ContentError, formatError, parseContent, type SourceFile } from "./content/parse.ts";
import { parseStories } from "./content/stories.ts";

const root = join(import.meta.dirname, "..");
const READ_CONCURRENCY = 128;

async function listMarkdown(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".md") && e.name.toLowerCase() !== "readme.md")
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
  const actorsPath = join(contentDir, "actors.yaml");
  const actorsFile = {
    path: relative(process.cwd(), actorsPath) || actorsPath,
    text: await readFile(actorsPath, "utf8").catch(() => null),
  };
  if (actorsFile.text === null) {
    errors.push({
      path: actorsFile.path,
      line: 1,
      message:
        "missing: expected the summary's watch list of actors (see README, 'The weekly digest')",
    });
  }
  const { actors, errors: actorErrors } =
    actorsFile.text === null
      ? { actors: [], errors: [] }
      : parseActors({ path: actorsFile.path, text: actorsFile.text });
  errors.push(...actorErrors);
  const stories = await readStories(contentDir, errors);
  const storyIds = new Set(stories.map((s) => s.id));
  for (const a of articles) {
    if (a.story !== null && !storyIds.has(a.story)) {
      errors.push({
        path: a.path,
        line: a.storyLine,
        message: `field "story" is "${a.story}", which content/stories.yaml does not list: expected one of ${[...storyIds].join(", ") || "(none yet)"}, or add it there with its title`,
      });
    }
  }
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

  const rendered: Article[] = articles.map((a) => ({
    ...pickFields(a),
    slug: a.slug,
    html: renderMarkdown(a.markdown),
  }));
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

/** Validates content/: the number of articles, or every problem found. */
export async function buildContent(
  contentDir: string,
  now = new Date(),
): Promise<{ count: number; errors: string[] }> {
  const loaded = await loadContent(contentDir, now);
  return { count: loaded.articles.length, errors: loaded.errors };
}

/** content/stories.yaml, which is optional: without it no article may name a story. */
async function readStories(contentDir: string, errors: ContentError[]): Promise<Story[]> {
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
