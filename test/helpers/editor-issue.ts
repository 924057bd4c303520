/**
 * An editor's issue file (content/issues/{week}.md) and what publishing it yields: the node test
 * checks the parser turns the file into exactly this, the Worker tests publish this to D1.
 */
import type { EditorIssue } from "../../src/model/editor-issue.ts";

export const ISSUE_WEEK = "2030-W20";

/** A file with Markdown, a link, a list and a pasted <script> the sanitiser must drop. */
export const ISSUE_FILE = `---
subject: "Workers, drills and a warning from Seoul"
preheader: "The editor's week: 3,000 more workers for Russia"
---
North Korea said it would send **3,000 more workers** to Russia; [the ministry's statement](https://kcna.example/statement?id=1&lang=en) gives no dates.

<script>alert("x")</script>

- Drills near Vladivostok
- A warning from Seoul
`;

export const ISSUE: EditorIssue = {
  week: ISSUE_WEEK,
  subject: "Workers, drills and a warning from Seoul",
  preheader: "The editor's week: 3,000 more workers for Russia",
  introHtml:
    '<p>North Korea said it would send <strong>3,000 more workers</strong> to Russia; <a href="https://kcna.example/statement?id=1&amp;lang=en">the ministry\'s statement</a> gives no dates.</p>\n<ul>\n<li>Drills near Vladivostok</li>\n<li>A warning from Seoul</li>\n</ul>',
  introBlocks: [
    {
      runs: [
        { text: "North Korea said it would send 3,000 more workers to Russia; ", url: null },
        { text: "the ministry's statement", url: "https://kcna.example/statement?id=1&lang=en" },
        { text: " gives no dates.", url: null },
      ],
    },
    { runs: [{ text: "• Drills near Vladivostok", url: null }] },
    { runs: [{ text: "• A warning from Seoul", url: null }] },
  ],
};
