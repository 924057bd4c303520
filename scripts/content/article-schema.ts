/**
 * The article's front matter, declared once: each field's key, whether it is required, what it
 * expects, its checks, what `npm run new-article` writes for it, and (by its name here) the
 * property of the Article model it becomes. The validator (parse.ts), the model's type
 * (src/model/article.ts, by `import type`: the Worker never bundles zod), the content build's
 * copy into the model (build-content.ts), new-article's template and docs/content.md's field
 * table all come from this object.
 *
 * Adding a field: declare it here (the model gains it, typed), then show it where readers should
 * see it. The tests refuse a field that the template, the model or the docs leave out.
 */
import { z } from "zod";
import { monthWithoutYear, relativeDate } from "../../src/model/standalone.ts";
import { type Claim, KEY_POINTS_MAX, KEY_POINTS_MIN, parseClaims, parseKeyPoints } from "./editorial.ts";
import {
  checkDateTime,
  checkPlainText,
  custom,
  type FieldInfo,
  fieldInfo,
  flag,
  optionalList,
  optionalText,
  requiredList,
  requiredText,
} from "./fields.ts";
import { PLAIN_TEXT_MAX } from "./plain-text.ts";

export type { Claim, ClaimStatus } from "./editorial.ts";

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HTTP_URL = /^https?:\/\/[^\s/]+\.[^\s/]+(\/\S*)?$/;

/** The fields, in the order the checks report and new-article writes them. */
function fields(now: Date) {
  return {
    id: requiredText(
      {
        key: "id",
        about: "Permanent id: the RSS guid, Atom id and JSON Feed id. Never changes, so retitling or moving an article never re-surfaces it in feed readers.",
        expected: 'a permanent id, "urn:uuid:" and a UUID',
        template: { write: "argument" },
      },
      {
        check: (id, report) => {
          if (!UUID_URN.test(id)) report(`field "id" is "${id}": expected "urn:uuid:" and a lowercase UUID, e.g. urn:uuid:0b9e4b1c-6f1e-4c55-9d53-3f0c2a9f5e21 (npm run new-article makes one)`);
        },
      },
    ),
    title: requiredText(
      {
        key: "title",
        about: "The headline, plain text.",
        expected: "the headline as text",
        template: { write: "argument", placeholder: "Title of the article" },
      },
      { max: PLAIN_TEXT_MAX.title },
    ),
    source: requiredText(
      {
        key: "source",
        about: "The publication whose report the brief is written from.",
        expected: "the publication's name, e.g. Asia Times",
        template: { write: "placeholder", placeholder: "Publication name" },
      },
      { max: PLAIN_TEXT_MAX.source },
    ),
    summary: requiredText(
      {
        key: "summary",
        about: "One or two sentences, plain text, shown on its own (lists, feeds, the digest): dates absolute, with the year.",
        expected: "one or two sentences of plain text",
        template: { write: "placeholder", placeholder: "One or two sentences saying what happened." },
      },
      {
        max: PLAIN_TEXT_MAX.summary,
        check: (summary, report) => {
          // The summary is shown on its own (lists, feeds, the digest's articles): dates absolute.
          const relative = relativeDate(summary) ?? monthWithoutYear(summary);
          if (relative !== null) report(`field "summary" has the date "${relative}" without its year or relative to the article: expected an absolute date with its year, e.g. "on 18 October 2024"`);
        },
      },
    ),
    dateNote: optionalText(
      {
        key: "date_note",
        about: "How the date was established, when the source does not print it. Required with date_approximate.",
        expected: "a sentence saying how an approximate date was established",
        template: { write: "no" },
      },
      { max: PLAIN_TEXT_MAX.dateNote },
    ),
    published: requiredText(
      {
        key: "date",
        about: "When the source published the report: an RFC 3339 date-time with its UTC offset, kept as written. Not in the future.",
        expected: "the publication time, ISO 8601 with a UTC offset, e.g. 2024-10-22T09:30:00+09:00",
        template: { write: "argument" },
      },
      { check: (value, report) => checkDateTime("date", value, now, report) },
    ),
    updated: optionalText(
      {
        key: "updated",
        about: "The last substantive change, like date; not before date.",
        expected: "the time of the last change, ISO 8601 with a UTC offset",
        template: { write: "no" },
      },
      { check: (value, report) => checkDateTime("updated", value, now, report) },
    ),
    sourceUrl: optionalText(
      {
        key: "source_url",
        about: 'The original report; every brief links it ("Read the original at …").',
        expected: "the original article's absolute http(s) URL",
        template: { write: "placeholder", placeholder: "https://…" },
      },
      {
        check: (url, report) => {
          if (!HTTP_URL.test(url) || !URL.canParse(url)) report(`field "source_url" is "${url}": expected an absolute http(s) URL, e.g. https://asiatimes.com/2024/10/…`);
        },
      },
    ),
    tags: requiredList(
      {
        key: "tags",
        about: "Actors and topics, kebab case, each once: the tag pages and feeds.",
        expected: "a YAML list of kebab-case tags, e.g. [russia, north-korea]",
        template: { write: "example", example: ["russia", "north-korea"] },
      },
      {
        item: (tag, report, path) => {
          if (!KEBAB.test(tag)) {
            report(`tag "${tag}" is not kebab case: expected lowercase words joined by single hyphens, e.g. ${toKebab(tag) || "north-korea"}`, { path });
            return false;
          }
          if (tag.length > PLAIN_TEXT_MAX.tag) {
            report(`tag "${tag}" is ${tag.length} characters long: expected at most ${PLAIN_TEXT_MAX.tag}`, { path });
            return false;
          }
          return true;
        },
      },
    ),
    authors: optionalList(
      {
        key: "authors",
        about: "Who wrote the brief; without it, the site's AUTHOR_NAME.",
        expected: "a YAML list of author names",
        template: { write: "no" },
      },
      {
        item: (author, report, path) => {
          checkPlainText(report, `an item of "authors"`, author, PLAIN_TEXT_MAX.author, path);
          return true;
        },
      },
    ),
    keyPoints: custom<string[]>(
      {
        key: "key_points",
        about: `${KEY_POINTS_MIN} to ${KEY_POINTS_MAX} standalone sentences: who did what, where and when (with the year), attributed. The weekly digest is built from them.`,
        expected: `a YAML list of ${KEY_POINTS_MIN} to ${KEY_POINTS_MAX} standalone sentences`,
        template: {
          write: "placeholder",
          placeholder: [
            "Who did what, where, on what date (e.g. on 18 October 2024), according to whom.",
            "A second standalone fact, with its own absolute date.",
          ],
        },
        comment: "Standalone sentences for the weekly digest: who did what, where, and when (with the year).",
      },
      [],
      parseKeyPoints,
    ),
    claims: custom<Claim[]>(
      {
        key: "claims",
        about: "Figures the brief reports: figure, counts, claimant, status (claimed, confirmed, denied), and optionally subject and by (required when confirmed or denied).",
        expected: "a YAML list of figures with figure, counts, claimant and status",
        template: { write: "no" },
      },
      [],
      parseClaims,
    ),
    story: optionalText(
      {
        key: "story",
        about: "The developing story the brief belongs to: an id listed in content/stories.yaml.",
        expected: "a kebab-case story id listed in content/stories.yaml",
        template: { write: "no" },
      },
      {
        check: (story, report) => {
          if (!KEBAB.test(story)) report(`field "story" is "${story}": expected a kebab-case id, e.g. north-korean-troops-for-russia`);
        },
      },
    ),
    dateApproximate: flag({
      key: "date_approximate",
      about: "true when the date is an estimate: readers see it labelled approximate, with date_note.",
      expected: "true or false",
    }),
    editorNote: optionalText(
      {
        key: "editor_note",
        about: "A correction of the source, shown with the brief: the source's error is never repeated.",
        expected: "the correction of the source's error, as a sentence or two",
        template: { write: "no" },
      },
      { max: PLAIN_TEXT_MAX.editorNote },
    ),
    sourceAuthor: optionalText(
      {
        key: "source_author",
        about: "The original report's author, where its page names one.",
        expected: "the original's author as the page names them",
        template: { write: "no" },
      },
      { max: PLAIN_TEXT_MAX.sourceAuthor },
    ),
  };
}

/** Rules between fields, checked even when another field is invalid (all errors at once). */
function crossChecks(value: Record<string, unknown>, ctx: z.core.$RefinementCtx): void {
  const { published, updated, dateApproximate, dateNote } = value;
  if (typeof published === "string" && typeof updated === "string" && Date.parse(updated) < Date.parse(published)) {
    ctx.addIssue({ code: "custom", path: ["updated"], message: `field "updated" (${updated}) is before "date" (${published}): expected the time of a change made after publication` });
  }
  if (dateApproximate === true && dateNote === null) {
    ctx.addIssue({ code: "custom", path: ["dateApproximate"], message: `field "date_approximate" is true but there is no "date_note": expected a sentence saying how the date was estimated` });
  }
}

function build(now: Date) {
  return z.object(fields(now)).superRefine(crossChecks, { when: () => true });
}

let cached: { time: number; schema: ReturnType<typeof build> } | null = null;

/**
 * The schema for a build run at `now` (a date may not be in the future). Takes the front matter
 * keyed by the model's names (parse.ts renames each key with fieldByKey).
 */
export function articleSchema(now: Date): ReturnType<typeof build> {
  if (cached?.time !== now.getTime()) cached = { time: now.getTime(), schema: build(now) };
  return cached.schema;
}

/** The front matter as the model has it (keys in camel case, absent fields null, [] or false). */
export type ArticleFields = z.output<ReturnType<typeof build>>;

/** Every field, in the schema's order, with its model property name. */
export const FIELDS: readonly (FieldInfo & { readonly name: keyof ArticleFields })[] = Object.entries(
  build(new Date(0)).shape,
).map(([name, schema]) => {
  const info = fieldInfo.get(schema);
  if (!info) throw new Error(`article-schema.ts: field ${name} has no FieldInfo: declare it with a helper of fields.ts`);
  return { ...info, name: name as keyof ArticleFields };
});

const BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));
const BY_NAME = new Map<string, FieldInfo & { name: keyof ArticleFields }>(FIELDS.map((f) => [f.name, f]));

export function fieldByKey(key: string): (FieldInfo & { readonly name: keyof ArticleFields }) | undefined {
  return BY_KEY.get(key);
}

export function fieldByName(name: string): FieldInfo | undefined {
  return BY_NAME.get(name);
}

/** The model's fields of `article`, and nothing else (an ArticleSource also has its file's lines). */
export function pickFields(article: ArticleFields): ArticleFields {
  return Object.fromEntries(FIELDS.map((f) => [f.name, article[f.name]])) as ArticleFields;
}

function toKebab(text: string): string {
  return text.normalize("NFKD").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}
