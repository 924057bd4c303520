/**
 * The file `npm run new-article` starts, written from the article schema: every field whose
 * template says so, with its placeholder or example. The placeholders are valid front matter on
 * purpose (the file must parse as it is written), so the schema refuses each one by name:
 * otherwise an unedited "Publication name" would be published as the source.
 */
import { FIELDS } from "./article-schema.ts";

/** The body's first line as new-article writes it; parse.ts refuses a body that starts so. */
export const PLACEHOLDER_BODY =
  "The brief, in our own words and Markdown: what happened, who did or said it, when and where,";

/** Placeholder text of each field that has one (by front-matter key), and of the body. */
export const PLACEHOLDERS: Readonly<Record<string, string | readonly string[]>> = {
  ...Object.fromEntries(
    FIELDS.flatMap((f) =>
      "placeholder" in f.template && f.template.placeholder !== undefined
        ? [[f.key, f.template.placeholder]]
        : [],
    ),
  ),
  body: PLACEHOLDER_BODY,
};

/** The new-article arguments, by front-matter key: "urn:uuid:…", the title, an RFC 3339 time. */
export interface TemplateArguments {
  readonly id: string;
  readonly title: string;
  readonly date: string;
}

/** A value as YAML: text double-quoted (JSON strings are valid YAML), lists of words in flow. */
function yamlValue(value: string | readonly string[], flow: boolean): string {
  if (typeof value === "string") return ` ${JSON.stringify(value)}`;
  if (flow) return ` [${value.join(", ")}]`;
  return `\n${value.map((v) => `  - ${JSON.stringify(v)}`).join("\n")}`;
}

/** The starting text of a new article: `id` is "urn:uuid:…", `date` an RFC 3339 time. */
export function newArticleText(id: string, title: string, date: string): string {
  const args: Readonly<Record<string, string>> = { id, title, date } satisfies TemplateArguments;
  const lines = FIELDS.flatMap((f) => {
    const t = f.template;
    let value: string;
    if (t.write === "no") return [];
    if (t.write === "argument") {
      const arg = args[f.key];
      if (arg === undefined) throw new Error(`field "${f.key}": new-article has no argument of that name`);
      value = yamlValue(arg, false);
    } else if (t.write === "example") value = yamlValue(t.example, true);
    else value = yamlValue(t.placeholder, false);
    return [...(f.comment ? [`# ${f.comment}`] : []), `${f.key}:${value}`];
  });
  return `---
${lines.join("\n")}
---

${PLACEHOLDER_BODY}
the numbers, and why it matters. Quote only where the wording matters (at most 25 words,
attributed); correct the source's errors in editor_note, never repeat them.
`;
}

/** What new-article prints once the file exists: how to see it, with or without a server. */
export function nextSteps(path: string): string {
  return `created ${path}: replace every placeholder (the build refuses them, naming file:line), then
  with a server running (npm start in another terminal): npm run publish
  otherwise: npm start (it publishes content/ first)`;
}
