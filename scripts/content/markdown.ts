/**
 * Markdown → safe HTML for article bodies. Raw HTML in a content file is allowed through an
 * allowlist only: the output is embedded in pages, feeds and emails, so a pasted <script>, event
 * handler or javascript: link must never reach a reader.
 */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: false, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "hr", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "em", "strong", "b", "i",
    "code", "pre", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
    "sup", "sub", "del", "abbr", "cite", "q",
  ],
  allowedAttributes: { a: ["href", "title"], img: ["src", "alt", "title", "width", "height"], abbr: ["title"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: false,
  // Headings inside an article start at h2: the page's h1 is the title.
  transformTags: { h1: "h2" },
  disallowedTagsMode: "discard",
};

export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, SANITIZE).trim();
}
