/**
 * content/issues/{week}.md (issue 18): the editor's subject, preheader and introduction of a
 * week. Read as the operator sees it: `file:line: what is wrong: what is expected`, and the
 * introduction sanitised exactly as article bodies are. Fixtures are written fresh per test.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildContent } from "../../scripts/build-content.ts";
import { loadIssues, parseIssueFile } from "../../scripts/content/issues.ts";
import { formatError } from "../../scripts/content/parse.ts";
import { ISSUE, ISSUE_FILE } from "../helpers/editor-issue.ts";

const errorsOf = (name: string, text: string) =>
  parseIssueFile({ path: `content/issues/${name}`, text }).errors.map(formatError);

describe("an editor's issue file", () => {
  it("gives its subject, preheader and the introduction sanitised, as HTML and as text runs", () => {
    const { issue, errors } = parseIssueFile({
      path: "content/issues/2030-W20.md",
      text: ISSUE_FILE,
    });
    expect(errors).toEqual([]);
    expect(issue).toEqual(ISSUE);
    expect(issue!.introHtml).not.toContain("script");
  });

  it("may have no preheader and no introduction: a new subject only", () => {
    const { issue, errors } = parseIssueFile({
      path: "content/issues/2024-W43.md",
      text: '---\nsubject: "A quiet week"\n---\n',
    });
    expect(errors).toEqual([]);
    expect(issue).toEqual({
      week: "2024-W43",
      subject: "A quiet week",
      preheader: null,
      introHtml: "",
      introBlocks: [],
    });
  });

  const cases: [string, string, string][] = [
    [
      "an unknown field, on its line",
      "---\nsubject: Fine\nsubtitle: No\n---\nText.\n",
      'content/issues/2024-W43.md:3: unknown front-matter key "subtitle": expected subject or preheader',
    ],
    [
      "an empty subject",
      '---\nsubject: ""\n---\nText.\n',
      'content/issues/2024-W43.md:2: field "subject" is empty: expected one line of plain text',
    ],
    [
      "no subject",
      "---\npreheader: Only this\n---\nText.\n",
      'content/issues/2024-W43.md:1: field "subject" is missing: expected the email\'s subject line',
    ],
    [
      "an empty preheader",
      "---\nsubject: Fine\npreheader:\n---\n",
      'content/issues/2024-W43.md:3: field "preheader" is empty: expected one line of plain text, or remove the line',
    ],
    [
      "markup in the subject",
      "---\nsubject: <b>Big</b> week\n---\n",
      'content/issues/2024-W43.md:2: field "subject" contains markup (<b>): expected plain text',
    ],
    ["no front matter", "Just text.\n", "content/issues/2024-W43.md:1: no front matter"],
  ];
  for (const [what, text, message] of cases)
    it(`refuses ${what} with file:line`, () => {
      expect(errorsOf("2024-W43.md", text)).toEqual([expect.stringContaining(message)]);
    });

  for (const name of ["2024-W53.md", "2024-43.md", "week-43.md", "2024-W00.md"])
    it(`refuses the file name ${name}, which is not an existing ISO week`, () => {
      expect(errorsOf(name, "---\nsubject: Fine\n---\n")).toEqual([
        `content/issues/${name}:1: file name "${name}" is not an ISO week: expected content/issues/YYYY-Www.md with a week that exists in that year, e.g. 2024-W43.md`,
      ]);
    });
});

describe("content/issues/ in a content folder", () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });

  it("is read as issues, not articles, and its problems stop the content check", async () => {
    dir = await mkdtemp(join(tmpdir(), "issues-"));
    await writeFile(
      join(dir, "actors.yaml"),
      "actors:\n  - id: russia\n    name: Russia\n    kind: country\n    side: axis\n    aliases: [Russia]\n",
    );
    await mkdir(join(dir, "issues"));
    await writeFile(join(dir, "issues", "2030-W20.md"), ISSUE_FILE);
    const loaded = await loadIssues(dir);
    expect(loaded.errors).toEqual([]);
    expect(loaded.issues).toEqual([ISSUE]);
    // Not an article: the content check has no complaint about its front matter.
    expect(await buildContent(dir)).toEqual({ count: 0, errors: [] });

    await writeFile(join(dir, "issues", "2030-W21.md"), "---\nsubject: Fine\ncolour: red\n---\n");
    const { errors } = await buildContent(dir);
    expect(errors).toEqual([
      expect.stringMatching(/issues\/2030-W21\.md:3: unknown front-matter key "colour"/),
    ]);
  });

  it("is optional", async () => {
    dir = await mkdtemp(join(tmpdir(), "issues-"));
    expect(await loadIssues(dir)).toEqual({ issues: [], files: new Map(), errors: [] });
  });
});
