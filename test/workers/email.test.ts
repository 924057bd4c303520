import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { type DigestLinks, digestEmailLinks } from "../../src/digest/email/links.ts";
import { renderDigestEmail } from "../../src/digest/email/render.ts";
import {
  BASE_URL_SLOT,
  fillRecipientSlots,
  UNSUBSCRIBE_SLOT,
} from "../../src/digest/email/slots.ts";
import {
  type ArticleRef,
  type DigestSummary,
  KEY_POINT,
  type StoryRef,
} from "../../src/digest/summary/model.ts";
import { htmlLinks, htmlTexts } from "../helpers/html.ts";

const BASE = "https://dispatch.example.org";
const UNSUBSCRIBE = `${BASE}/unsubscribe?token=abc&list=weekly`;
/** Gmail clips at about 102 KB; the budget must hold with a long unsubscribe URL filled in. */
const LONG_UNSUBSCRIBE = `${BASE}/u/${"x".repeat(300 - BASE.length - 3)}`;
const GMAIL_CLIP_BYTES = 102 * 1000;

function makeLinks(overrides: Partial<DigestLinks> = {}): DigestLinks {
  return {
    siteTitle: "Axis Dispatch",
    siteUrl: `${BASE}/`,
    webUrl: `${BASE}/digests/2024-W43`,
    articleUrl: (slug) => `${BASE}/articles/${encodeURIComponent(slug)}`,
    storyUrl: (id) => `${BASE}/stories/${encodeURIComponent(id)}`,
    weekUrl: (week) => `${BASE}/digests/${encodeURIComponent(week)}`,
    archiveUrl: `${BASE}/digests`,
    logoUrl: `${BASE}/icon.png`,
    contactLine: "Axis Dispatch, 1 Example Street, Springfield · editor@dispatch.example.org",
    ...overrides,
  };
}

function makeRef(n: number, overrides: Partial<ArticleRef> = {}): ArticleRef {
  return {
    id: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    slug: `article-${n}`,
    title: `Article ${n}`,
    source: "Test Wire",
    published: "2024-10-22T12:00:00Z",
    summary: `Summary of article ${n}.`,
    sourceUrl: null,
    dateApproximate: false,
    editorNote: null,
    ...overrides,
  };
}

const STORY: StoryRef = {
  id: "nk-troops-russia",
  title: "North Korean troops in Russia",
  earlierWeeks: ["2024-W42", "2024-W40"],
};
const EDITOR_NOTE = "The source names the port as Vladivostok; the ships docked at Nakhodka.";

/**
 * A week shaped like the seed content: a developing story with two items and an unrelated one,
 * pairs, figures from two parties on one subject and a confirmed one, an article with an
 * editor's note and a link to its original, and one whose date is an estimate.
 */
function makeSummary(overrides: Partial<DigestSummary> = {}): DigestSummary {
  const articles = [
    makeRef(1, {
      slug: "the-danger-of-the-pyongyang-moscow-axis",
      title: "The Danger Of The Pyongyang-Moscow Axis Is Becoming Clearer",
      source: "Asia Times",
      sourceUrl: "https://asiatimes.com/2024/10/the-danger-of-the-pyongyang-moscow-axis/",
      editorNote: EDITOR_NOTE,
    }),
    makeRef(2, {
      slug: "a-truly-unholy-alliance",
      title: "A Truly Unholy Alliance",
      source: "Blog",
      published: "2024-10-21T08:00:00Z",
      dateApproximate: true,
    }),
  ];
  const from = (a: ArticleRef) => ({
    articleSlug: a.slug,
    articleId: a.id,
    articleTitle: a.title,
    source: a.source,
    provenance: KEY_POINT,
    reportedIn: null,
  });
  return {
    week: "2024-W43",
    timeZone: "UTC",
    start: "2024-10-21T00:00:00.000Z",
    end: "2024-10-28T00:00:00.000Z",
    developments: [
      {
        text: "South Korea's National Intelligence Service reported on 18 October 2024 that some 1,500 North Korean special forces had been sent to the Russian Far East.",
        ...from(articles[0]!),
        story: STORY,
      },
      {
        text: "Russian navy ships transferred North Korean special operations forces to Vladivostok.",
        ...from(articles[1]!),
        story: STORY,
      },
      {
        text: "China and Russia held joint naval drills in the Sea of Okhotsk on 22 October 2024.",
        ...from(articles[0]!),
        story: null,
      },
    ],
    pairs: [
      { names: ["Russia", "North Korea"], ids: ["russia", "north-korea"], mentions: 2 },
      { names: ["North Korea", "Ukraine"], ids: ["north-korea", "ukraine"], mentions: 1 },
    ],
    actors: [],
    figures: [
      {
        text: "1,500 North Korean troops in Russia",
        counts: "North Korean troops in Russia",
        claimant: "South Korea's National Intelligence Service",
        status: "claimed",
        by: null,
        subject: "nk-troops-in-russia",
        articleSlug: articles[0]!.slug,
        articleId: articles[0]!.id,
      },
      {
        text: "3,000 North Korean troops in Russia",
        counts: "North Korean troops in Russia",
        claimant: "Ukraine's defence intelligence",
        status: "claimed",
        by: null,
        subject: "nk-troops-in-russia",
        articleSlug: articles[1]!.slug,
        articleId: articles[1]!.id,
      },
      {
        text: "12 warships",
        counts: "warships",
        claimant: "China's defence ministry",
        status: "confirmed",
        by: "Japan's Joint Staff",
        subject: null,
        articleSlug: articles[0]!.slug,
        articleId: articles[0]!.id,
      },
    ],
    articles,
    summaryWords: 90,
    ...overrides,
  };
}

/** A busy week: `n` articles with titles and summaries far past the field caps. */
function makeBigSummary(
  n: number,
  title = (i: number) => `Headline ${i} `.repeat(40),
  summary = (i: number) => `Long summary sentence ${i}. `.repeat(40),
): DigestSummary {
  return makeSummary({
    articles: Array.from({ length: n }, (_, i) =>
      makeRef(i + 1, { title: title(i), summary: summary(i), source: "Synthetic Wire Service" }),
    ),
  });
}

/** Attribute values as a browser reads them (Mustache escapes / = ` ' " & < > as entities). */
function decode(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot);/gi, (_, e: string) => {
    if (e[0] === "#")
      return String.fromCodePoint(
        e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10),
      );
    return ({ amp: "&", lt: "<", gt: ">", quot: '"' } as Record<string, string>)[e.toLowerCase()]!;
  });
}

const attributes = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, "g"))].map((m) => decode(m[1]!));
const utf8Bytes = (s: string) => new TextEncoder().encode(s).byteLength;
/** The hidden preheader div MJML emits right after <body>. */
const preheader = (html: string) =>
  decode(/<body[^>]*>\s*<div style="display:none;[^"]*">([^<]*)<\/div>/.exec(html)?.[1] ?? "");
/** The article links in the "This week's articles" list, in order. */
const articleLinks = (s: string) =>
  s
    .match(
      /https:(?:\/|&#x2F;){2}dispatch\.example\.org(?:\/|&#x2F;)articles(?:\/|&#x2F;)article-\d+/g,
    )
    ?.map(decode) ?? [];

describe("digest email: an email client's view", () => {
  it("is English, 600 px wide, system fonts only, with the top development as preheader", () => {
    const summary = makeSummary();
    const { html } = renderDigestEmail(summary, makeLinks());
    expect(html).toMatch(/^<!doctype html>\s*<html lang="en"/i);
    expect(preheader(html)).toBe(summary.developments[0]!.text);
    expect(html).not.toContain("fonts.googleapis.com");
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain("max-width:600px");
    expect(html).toContain('width="600"'); // the Outlook (mso) wrapper tables
    expect(html).toMatch(/font-family:-apple-system, BlinkMacSystemFont, 'Segoe UI'/);
    expect(html).toContain("<title>Axis Dispatch: Week 43, 2024</title>");
  });

  it("links only to absolute https URLs, and every image has alt text", () => {
    const { html } = renderDigestEmail(makeSummary(), makeLinks());
    const filled = fillRecipientSlots(html, "html", { unsubscribeUrl: UNSUBSCRIBE, baseUrl: BASE });
    const urls = [...attributes(filled, "href"), ...attributes(filled, "src")];
    expect(urls.length).toBeGreaterThan(8);
    for (const url of urls) expect(url).toMatch(/^https:\/\/[^\s]+$/);
    const images = filled.match(/<img\b[^>]*>/g) ?? [];
    expect(images).toHaveLength(1);
    for (const img of images)
      expect(decode(/\salt="([^"]*)"/.exec(img)?.[1] ?? "").trim()).not.toBe("");
    expect(images[0]).toContain('alt="Axis Dispatch"');
    expect(decode(/\ssrc="([^"]*)"/.exec(images[0]!)![1]!)).toBe(`${BASE}/icon.png`);
  });

  it("opens with a View in your browser link to the web version", () => {
    const { html, text } = renderDigestEmail(makeSummary(), makeLinks());
    const body = html.slice(html.indexOf("<body"));
    const first = /<a href="([^"]*)"[^>]*>([^<]*)<\/a>/.exec(body)!;
    expect(decode(first[1]!)).toBe(`${BASE}/digests/2024-W43`);
    expect(first[2]).toBe("View in your browser");
    expect(text).toContain(`View in your browser: ${BASE}/digests/2024-W43\n`);
  });

  it("has one unsubscribe slot per format, filled per recipient", () => {
    const { html, text } = renderDigestEmail(makeSummary(), makeLinks());
    expect(html.split(UNSUBSCRIBE_SLOT)).toHaveLength(2);
    expect(text.split(UNSUBSCRIBE_SLOT)).toHaveLength(2);

    const mine = fillRecipientSlots(html, "html", { unsubscribeUrl: UNSUBSCRIBE, baseUrl: BASE });
    expect(mine).not.toContain(UNSUBSCRIBE_SLOT);
    expect(mine).toContain(`<a href="${BASE}/unsubscribe?token=abc&amp;list=weekly"`);
    expect(/<a href="([^"]*)"[^>]*>Choose your topics or unsubscribe<\/a>/.exec(mine)?.[1]).toBe(
      `${BASE}/unsubscribe?token=abc&amp;list=weekly`,
    );
    const plain = fillRecipientSlots(text, "text", { unsubscribeUrl: UNSUBSCRIBE, baseUrl: BASE });
    expect(plain).toContain(`\nChoose your topics, pause or unsubscribe: ${UNSUBSCRIBE}\n`);
    // A `$&` in a URL is text, not a replacement pattern; a non-http(s) URL is refused.
    expect(
      fillRecipientSlots(text, "text", { unsubscribeUrl: `${BASE}/u?x=$&`, baseUrl: BASE }),
    ).toContain(`unsubscribe: ${BASE}/u?x=$&\n`);
    expect(() =>
      fillRecipientSlots(html, "html", { unsubscribeUrl: "javascript:alert(1)", baseUrl: BASE }),
    ).toThrow(TypeError);
    expect(() =>
      fillRecipientSlots(html, "html", { unsubscribeUrl: `${BASE}/u?a="><script>`, baseUrl: BASE }),
    ).not.toThrow();
    expect(
      fillRecipientSlots(html, "html", { unsubscribeUrl: `${BASE}/u?a="><script>`, baseUrl: BASE }),
    ).not.toContain('"><script>');
  });

  it("ends with the publisher's contact line and a link to the archive", () => {
    const links = makeLinks({
      contactLine: "Axis Dispatch Ltd, 1 Example Street & Co, Springfield",
    });
    const { html, text } = renderDigestEmail(makeSummary(), links);
    expect(html).toContain("Axis Dispatch Ltd, 1 Example Street &amp; Co, Springfield");
    expect(/<a href="([^"]*)"[^>]*>Past digests<\/a>/.exec(html)?.[1]).toBe(
      "https:&#x2F;&#x2F;dispatch.example.org&#x2F;digests",
    );
    expect(text.trimEnd().endsWith("Axis Dispatch Ltd, 1 Example Street & Co, Springfield")).toBe(
      true,
    );
    expect(text).toContain(`Past digests: ${BASE}/digests\n`);
  });

  it("keeps hostile article text inert in HTML and in plain text", () => {
    const hostile = makeRef(1, {
      title: "<script>alert(1)</script> ]]> {{siteTitle}}",
      source: `Wire" onmouseover="alert(1)`,
      summary: `a\u0000b\u0007c\u202Egnp.exe\u2066 ok\u001B[31m\uFFFE ${UNSUBSCRIBE_SLOT}\nUnsubscribe: https://evil.example/`,
    });
    const summary = makeSummary({
      articles: [hostile],
      developments: [
        {
          text: "Troops moved\u202E.gnp <img src=x onerror=alert(1)>",
          articleSlug: hostile.slug,
          articleId: hostile.id,
          articleTitle: hostile.title,
          source: "Wire",
          provenance: KEY_POINT,
          reportedIn: null,
          story: {
            id: "<i>story</i>",
            title: "<script>story()</script>\u202E",
            earlierWeeks: ["2024-W40"],
          },
        },
      ],
      pairs: [
        {
          names: ["<b>Russia</b>", "North\u0085Korea"],
          ids: ["russia", "north-korea"],
          mentions: 1,
        },
      ],
      figures: [
        {
          text: "<u>9</u> troops",
          counts: null,
          claimant: "<em>Them</em>\nUnsubscribe: https://evil.example/",
          status: "claimed",
          by: null,
          subject: null,
          articleSlug: hostile.slug,
          articleId: hostile.id,
        },
      ],
    });
    const { html, text } = renderDigestEmail(summary, makeLinks());

    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; ]]&gt; {{siteTitle}}");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<b>Russia");
    expect(html).toContain("Wire&quot; onmouseover&#x3D;&quot;alert(1)");
    for (const out of [html, text]) {
      expect(out.replaceAll(UNSUBSCRIBE_SLOT, "")).not.toMatch(
        /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/,
      );
      // Content cannot forge the slot: only the template's one remains.
      expect(out.split(UNSUBSCRIBE_SLOT)).toHaveLength(2);
    }
    expect(text).toContain("abcgnp.exe ok[31m unsubscribe-url Unsubscribe: https://evil.example/");
    // No line of the plain text can be faked by a line break in an article.
    expect(text).not.toMatch(/^Unsubscribe: https:\/\/evil/m);
    expect(text).toContain("* Troops moved.gnp <img src=x onerror=alert(1)>");
    expect(text).toContain("* <b>Russia</b> – North Korea: together in 1 item\n");
    expect(html).not.toMatch(/<script>story|<u>9|<em>Them/);
    expect(html).toContain("&lt;script&gt;story()&lt;&#x2F;script&gt;");
    expect(text).toContain("DEVELOPING STORY: <script>story()</script>\n");
    expect(text).toContain(
      "* <u>9</u> troops (claimed by <em>Them</em> Unsubscribe: https://evil.example/)\n",
    );
  });

  it("keeps a 200-article week of long articles under Gmail's clipping size, in compact mode", () => {
    const links = makeLinks();
    const summary = makeBigSummary(200);
    const { html, text, compact } = renderDigestEmail(summary, links);
    expect(compact).toBe(true);
    expect(
      utf8Bytes(
        fillRecipientSlots(html, "html", { unsubscribeUrl: LONG_UNSUBSCRIBE, baseUrl: BASE }),
      ),
    ).toBeLessThanOrEqual(GMAIL_CLIP_BYTES);

    const listed = articleLinks(html);
    expect(listed.length).toBeGreaterThan(20);
    expect(listed.length).toBeLessThan(200);
    expect(listed).toEqual(
      summary.articles.slice(0, listed.length).map((a) => links.articleUrl(a.slug)),
    );
    const more = 200 - listed.length;
    const moreLink = new RegExp(
      `<a href="([^"]*)"[^>]*>${more} more articles in the web version</a>`,
    ).exec(html);
    expect(decode(moreLink![1]!)).toBe(links.webUrl);
    expect(html).toContain(
      `Key developments (3) · Who was active (2) · Key figures (3) · Articles: top ${listed.length} of 200`,
    );
    // Every field is capped: a title of 500+ characters ends in an ellipsis.
    expect(html).toMatch(/Headline 0 (Headline 0 )+Headline 0…<\/a>/);

    // The text part lists the same articles and says where the rest are.
    expect(articleLinks(text)).toEqual(listed);
    expect(text).toContain(`Articles: top ${listed.length} of 200`);
    expect(text).toContain(`${more} more articles in the web version: ${links.webUrl}\n`);
  });

  it("stays under the budget even when every character is escaped or multi-byte", () => {
    const nasty = (i: number) => `${i} ${"&<>\"'/=`".repeat(30)} ${"🛰️東".repeat(60)}`;
    const summary = makeBigSummary(300, nasty, nasty);
    const { html, compact } = renderDigestEmail(
      summary,
      makeLinks({ siteTitle: "&".repeat(500), contactLine: "'".repeat(1000) }),
    );
    expect(compact).toBe(true);
    expect(
      utf8Bytes(
        fillRecipientSlots(html, "html", { unsubscribeUrl: LONG_UNSUBSCRIBE, baseUrl: BASE }),
      ),
    ).toBeLessThanOrEqual(GMAIL_CLIP_BYTES);
    expect(html).toMatch(/\d+ more articles in the web version/);
  });

  it("fits even a summary far beyond the summarizer's limits: articles go first, then figures, pairs, developments", () => {
    const base = makeBigSummary(50);
    const ref = base.articles[0]!;
    const summary: DigestSummary = {
      ...base,
      developments: Array.from({ length: 300 }, (_, i) => ({
        text: `${i} ${"&'".repeat(300)}`,
        articleSlug: ref.slug,
        articleId: ref.id,
        articleTitle: ref.title,
        source: "<>".repeat(100),
        provenance: KEY_POINT,
        reportedIn: i % 3 === 0 ? "2024-W40" : null,
        story: { id: `story-${i}`, title: "'".repeat(400), earlierWeeks: ["2024-W40", "2024-W41"] },
      })),
      figures: Array.from({ length: 300 }, (_, i) => ({
        text: `${i} ${"/".repeat(300)}`,
        counts: "/".repeat(300),
        claimant: "=".repeat(300),
        status: "denied" as const,
        by: "`".repeat(300),
        subject: `subject-${i % 2}`,
        articleSlug: ref.slug,
        articleId: ref.id,
      })),
    };
    const { html, text, compact } = renderDigestEmail(summary, makeLinks());
    expect(compact).toBe(true);
    expect(
      utf8Bytes(
        fillRecipientSlots(html, "html", { unsubscribeUrl: LONG_UNSUBSCRIBE, baseUrl: BASE }),
      ),
    ).toBeLessThanOrEqual(GMAIL_CLIP_BYTES);
    expect(html).toContain("50 more articles in the web version");
    expect(html).toMatch(
      /Key developments \(\d+ of 300\) · Who was active \(0 of 2\) · Key figures \(0 of 300\) · Articles: top 0 of 50/,
    );
    expect(html).toContain("300 more key figures in the web version");
    expect(text).toMatch(
      /\d+ more key developments in the web version: https:\/\/dispatch\.example\.org\/digests\/2024-W43\n/,
    );
    // The footer, with its unsubscribe link, always makes it in.
    expect(html).toContain(`>Choose your topics or unsubscribe</a>`);
  });

  it("sends a small week whole, without a table of contents", () => {
    const summary = makeSummary();
    const { html, text, compact } = renderDigestEmail(summary, makeLinks());
    expect(compact).toBe(false);
    expect(html).not.toContain("in the web version");
    expect(html).not.toContain("this email is shortened");
    expect(html).toContain("Weekly digest · Week 43, 2024 · 21 – 27 October 2024");
    for (const heading of [
      "Key developments",
      "Who was active",
      "Key figures",
      "This week's articles",
    ])
      expect(html).toContain(`>${heading}</h2>`);
    expect(html).toContain("Russia – North Korea: together in 2 items<");
    expect(html).toContain("North Korea – Ukraine: together in 1 item<");
    expect(html).toContain("Asia Times · Tue, 22 Oct 2024");
    expect(text).not.toContain("shortened");
  });

  it("gives the plain text the same developments, links and articles", () => {
    const links = makeLinks();
    const summary = makeSummary();
    const { html, text } = renderDigestEmail(summary, links);
    for (const d of summary.developments) {
      const url = links.articleUrl(d.articleSlug);
      expect(text).toContain(`* ${d.text}\n  ${d.source}: ${url}\n`);
      // In the HTML the sentence is plain text and a short "Read →" after it links its article
      // (issue 18: the whole sentence as one link was four or five underlined lines on a phone).
      const link = new RegExp(
        `>${d.text.replace(/'/g, "&#39;").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} <a href="([^"]*)"[^>]*>Read&nbsp;→</a>`,
      ).exec(html);
      expect(decode(link![1]!)).toBe(url);
    }
    for (const a of summary.articles) {
      expect(text).toContain(`* ${a.title}\n`);
      expect(text).toContain(`\n  ${links.articleUrl(a.slug)}\n`);
      expect(attributes(html, "href")).toContain(links.articleUrl(a.slug));
    }
    expect(text).toContain("KEY DEVELOPMENTS");
    expect(text).toContain("* Russia – North Korea: together in 2 items\n");
    expect(text).toContain(
      `* 1,500 North Korean troops in Russia (claimed by South Korea's National Intelligence Service)\n  ${links.articleUrl(summary.articles[0]!.slug)}\n`,
    );
    expect(text).not.toMatch(/&(amp|lt|gt|quot|#\d+|#x[0-9a-f]+);/i);
  });
});

describe("digest email: what a reader is told about each item", () => {
  /** The paragraphs of the HTML part, as a reader sees their text. */
  const paragraphs = async (html: string) => htmlTexts(html, "p");

  it("keeps each key development's sentence out of its link: plain text, then a short Read link (regression: the sentence was one long underlined link)", async () => {
    const links = makeLinks();
    const summary = makeSummary();
    const { html } = renderDigestEmail(summary, links);
    const anchors = await htmlLinks(html);
    const ps = await paragraphs(html);
    for (const d of summary.developments) {
      const url = links.articleUrl(d.articleSlug);
      // No link carries the sentence; the article's link is two words long.
      expect(anchors.filter((a) => a.text.includes(d.text))).toEqual([]);
      expect(anchors).toContainEqual({ href: url, text: "Read\u00a0→" });
      // The sentence is still there, as the start of its paragraph.
      expect(ps.some((p) => p.startsWith(`${d.text} Read`))).toBe(true);
    }
  });

  it("introduces a developing story once, at its first item, with links to its earlier weeks' digests", async () => {
    const links = makeLinks();
    const summary = makeSummary();
    const { html, text } = renderDigestEmail(summary, links);

    const ps = await paragraphs(html);
    const intros = ps.filter((p) => p.startsWith("Developing story:"));
    expect(intros).toEqual([
      "Developing story: North Korean troops in RussiaEarlier: Week 42, 2024, Week 40, 2024",
    ]);
    // The intro stands right before the story's first item; its second item follows, unlabelled.
    const at = ps.indexOf(intros[0]!);
    expect(ps[at + 1]).toBe(`${summary.developments[0]!.text} Read\u00a0→Asia Times`);
    expect(ps[at + 2]).toBe(`${summary.developments[1]!.text} Read\u00a0→Blog`);
    const anchors = await htmlLinks(html);
    const story = anchors.findIndex((a) => a.text === "North Korean troops in Russia");
    expect(anchors.slice(story, story + 4)).toEqual([
      { href: `${BASE}/stories/nk-troops-russia`, text: "North Korean troops in Russia" },
      { href: `${BASE}/digests/2024-W42`, text: "Week 42, 2024" },
      { href: `${BASE}/digests/2024-W40`, text: "Week 40, 2024" },
      // The item's link is short; its sentence is text (see "keeps each key development's …").
      { href: links.articleUrl(summary.developments[0]!.articleSlug), text: "Read\u00a0→" },
    ]);

    expect(text.split("DEVELOPING STORY:")).toHaveLength(2);
    expect(text).toContain(
      [
        "DEVELOPING STORY: North Korean troops in Russia",
        `  ${BASE}/stories/nk-troops-russia`,
        `  Earlier: Week 42, 2024, ${BASE}/digests/2024-W42`,
        `  Earlier: Week 40, 2024, ${BASE}/digests/2024-W40`,
        "",
        `* ${summary.developments[0]!.text}`,
        `  Asia Times: ${links.articleUrl(summary.developments[0]!.articleSlug)}`,
        "",
        `* ${summary.developments[1]!.text}`,
      ].join("\n"),
    );
  });

  it("introduces a story without earlier weeks with no Earlier line, and items without a story with no label", async () => {
    const base = makeSummary();
    const summary = makeSummary({
      developments: base.developments.map((d) =>
        d.story ? { ...d, story: { ...d.story, earlierWeeks: [] } } : d,
      ),
    });
    const { html, text } = renderDigestEmail(summary, makeLinks());
    const ps = await paragraphs(html);
    expect(ps.filter((p) => p.startsWith("Developing story:"))).toEqual([
      "Developing story: North Korean troops in Russia",
    ]);
    expect(text).not.toContain("Earlier:");
    expect(text).toContain(
      `DEVELOPING STORY: North Korean troops in Russia\n  ${BASE}/stories/nk-troops-russia\n\n* `,
    );

    const none = makeSummary({
      developments: base.developments.map((d) => ({ ...d, story: null })),
    });
    const plain = renderDigestEmail(none, makeLinks());
    expect(plain.html).not.toContain("Developing story");
    expect(plain.text).not.toContain("DEVELOPING STORY");
  });

  it("shows every figure with who claims it, and different parties' figures on one subject side by side", async () => {
    const { html, text } = renderDigestEmail(makeSummary(), makeLinks());
    const ps = await paragraphs(html);
    const heading = ps.indexOf("Different parties give different figures:");
    expect(heading).toBeGreaterThan(-1);
    expect(ps.filter((p) => p === "Different parties give different figures:")).toHaveLength(1);
    expect(ps.slice(heading, heading + 4)).toEqual([
      "Different parties give different figures:",
      "1,500 North Korean troops in Russia (claimed by South Korea's National Intelligence Service)",
      "3,000 North Korean troops in Russia (claimed by Ukraine's defence intelligence)",
      "12 warships (claimed by China's defence ministry, confirmed by Japan's Joint Staff)",
    ]);
    expect(text).toContain(
      [
        "KEY FIGURES",
        "",
        "Different parties give different figures:",
        "* 1,500 North Korean troops in Russia (claimed by South Korea's National Intelligence Service)",
        `  ${BASE}/articles/the-danger-of-the-pyongyang-moscow-axis`,
        "* 3,000 North Korean troops in Russia (claimed by Ukraine's defence intelligence)",
        `  ${BASE}/articles/a-truly-unholy-alliance`,
        "* 12 warships (claimed by China's defence ministry, confirmed by Japan's Joint Staff)",
      ].join("\n"),
    );
  });

  it("says a figure was denied, and by whom", async () => {
    const base = makeSummary();
    const summary = makeSummary({
      figures: [{ ...base.figures[0]!, subject: null, status: "denied", by: "the Kremlin" }],
    });
    const { html, text } = renderDigestEmail(summary, makeLinks());
    expect(await paragraphs(html)).toContain(
      "1,500 North Korean troops in Russia (claimed by South Korea's National Intelligence Service, denied by the Kremlin)",
    );
    expect(text).not.toContain("Different parties give different figures");
    expect(text).toContain(
      "* 1,500 North Korean troops in Russia (claimed by South Korea's National Intelligence Service, denied by the Kremlin)\n",
    );
  });

  it("labels an approximate date, and gives each article its editor's note and a link to its original", async () => {
    const links = makeLinks();
    const summary = makeSummary();
    const { html, text } = renderDigestEmail(summary, links);
    const ps = await paragraphs(html);
    const [withNote, approximate] = summary.articles;
    expect(ps).toContain(
      `${withNote!.title}Asia Times · Tue, 22 Oct 2024${withNote!.summary}Editor's note: ${EDITOR_NOTE}Read the original at Asia Times`,
    );
    // No editor's note, no original link: neither line appears.
    expect(ps).toContain(
      `${approximate!.title}Blog · Mon, 21 Oct 2024 (approximate date)${approximate!.summary}`,
    );
    expect(await htmlLinks(html)).toContainEqual({
      href: withNote!.sourceUrl!,
      text: "Asia Times",
    });

    expect(text).toContain(
      [
        `* ${withNote!.title}`,
        "  Asia Times · Tue, 22 Oct 2024",
        `  ${links.articleUrl(withNote!.slug)}`,
        `  ${withNote!.summary}`,
        `  Editor's note: ${EDITOR_NOTE}`,
        `  Read the original at Asia Times: ${withNote!.sourceUrl}`,
        "",
        `* ${approximate!.title}`,
        "  Blog · Mon, 21 Oct 2024 (approximate date)",
        `  ${links.articleUrl(approximate!.slug)}`,
        `  ${approximate!.summary}`,
        "",
      ].join("\n"),
    );
    expect(text.split("Editor's note:")).toHaveLength(2);
    expect(text.split("Read the original at")).toHaveLength(2);
  });

  it("lists a one-article week's actors, most named first, without counts", async () => {
    const summary = makeSummary({
      pairs: [],
      actors: ["North Korea", "Russia", "Ukraine"],
    });
    const { html, text } = renderDigestEmail(summary, makeLinks());
    const ps = await paragraphs(html);
    expect(ps).toContain("North Korea, Russia, Ukraine");
    expect(ps.some((p) => p.includes("together in"))).toBe(false);
    expect(text).toContain("WHO WAS ACTIVE\n\n* North Korea, Russia, Ukraine\n");

    const nobody = renderDigestEmail(makeSummary({ pairs: [], actors: [] }), makeLinks());
    expect(nobody.html).not.toContain("Who was active");
    expect(nobody.text).not.toContain("WHO WAS ACTIVE");
  });
});

describe("stored digests and the site's origin", () => {
  it("keep BASE_URL out of the stored rendering and fill it when served (regression: emails kept the origin they were built under)", () => {
    const config = parseConfig({ BASE_URL: "http://localhost:8787" });
    const { html, text } = renderDigestEmail(makeSummary(), digestEmailLinks(config, "2024-W43"));
    expect(html).not.toContain("localhost:8787");
    expect(html).toContain(BASE_URL_SLOT);
    const moved = fillRecipientSlots(html, "html", {
      unsubscribeUrl: `${BASE}/unsubscribe/1.x`,
      baseUrl: BASE,
    });
    const hrefs = [...attributes(moved, "href"), ...attributes(moved, "src")];
    // Every link is the site's, under the serving origin, except the links to original reports.
    const originals = new Set(makeSummary().articles.flatMap((a) => a.sourceUrl ?? []));
    expect(hrefs.filter((url) => originals.has(url))).toEqual([...originals]);
    for (const url of hrefs.filter((u) => !originals.has(u)))
      expect(url.startsWith(`${BASE}/`), url).toBe(true);
    expect(
      fillRecipientSlots(text, "text", {
        unsubscribeUrl: `${BASE}/unsubscribe/1.x`,
        baseUrl: BASE,
      }),
    ).toContain(`${BASE}/digests/2024-W43`);
  });
});
