/**
 * The digest email renders to the same bytes as before its templates were compiled to functions
 * and its byte-budget search stopped rendering every attempt: renderDigestEmail against the
 * previous implementation, kept verbatim in test/helpers/digest-email-reference.ts (Mustache.render
 * on the template strings, the whole view sanitized and rendered per attempt, bytes counted with
 * TextEncoder). Weeks of 1 to 1,000 articles, compact mode at many sizes, every phase of the
 * search, hostile text, both kinds of links, and a few hundred random weeks.
 */
import Mustache from "mustache";
import { describe, expect, it } from "vitest";
import { random } from "../helpers/random.ts";
import { parseConfig } from "../../src/config.ts";
import { type DigestLinks, digestEmailLinks, digestLinks } from "../../src/digest/email/links.ts";
import { budgetWeight, HTML_BUDGET_BYTES } from "../../src/digest/email/budget.ts";
import {
  digestEmailView,
  type RenderedDigestEmail,
  renderDigestEmail,
} from "../../src/digest/email/render.ts";
import { cleanText, sanitizeView } from "../../src/digest/email/sanitize.ts";
import { BASE_URL_SLOT, UNSUBSCRIBE_SLOT } from "../../src/digest/email/slots.ts";
import { prepareEmail } from "../../src/digest/email/view.ts";
import { type ArticleRef, type DigestSummary, KEY_POINT } from "../../src/digest/summary/model.ts";
import {
  DIGEST_HTML_TEMPLATE,
  DIGEST_TEXT_TEMPLATE,
  renderDigestHtml,
  renderDigestText,
} from "../../src/generated/email-templates.ts";
import {
  referenceCleanText,
  referencePrepareEmail,
  referenceRenderDigestEmail,
  referenceSanitizeView,
} from "../helpers/digest-email-reference.ts";

const config = parseConfig({ BASE_URL: "https://dispatch.example.org" });
const WEEK = "2024-W43";
/** The stored email's links (BASE_URL as a slot, as the cron renders it) and the site's. */
const LINKS: readonly [string, DigestLinks][] = [
  ["email links", digestEmailLinks(config, WEEK)],
  ["site links", digestLinks(config, WEEK)],
];

/** Everything text can hold that escaping, sanitizing, clipping or byte counting treats apart. */
const HOSTILE = [
  ..."&<>\"'/`=",
  "é",
  "–",
  "東",
  "🛰️",
  "👩🏽‍🚀",
  "\uD800", // lone surrogates
  "\uDFFF",
  "\u0000",
  "\u0007",
  "\u001A",
  "\u001B[31m",
  "\u0085", // NEL
  "\u0080",
  "\u009F",
  "\u00A0",
  "\u2028",
  "\u202E", // bidi override
  "\u2066",
  "\u3000",
  "\uFEFF",
  "\uFFFE",
  "\t",
  "\r\n",
  "  ",
  " ",
  UNSUBSCRIBE_SLOT,
  BASE_URL_SLOT,
  "{{siteTitle}}",
  "$&",
  "…",
];

const WORDS = "troops shells drills sanctions envoy missile pact border port talks".split(" ");

function makeText(rnd: () => number, words: number, hostility: number): string {
  let s = "";
  for (let i = 0; i < words; i++) {
    s +=
      rnd() < hostility ? HOSTILE[Math.floor(rnd() * HOSTILE.length)]! : WORDS[i % WORDS.length]!;
    s += rnd() < 0.9 ? " " : "";
  }
  return s;
}

interface WeekShape {
  readonly articles: number;
  /** Words in a title and a summary (before the caps clip them). */
  readonly titleWords?: number;
  readonly summaryWords?: number;
  /** Share of words replaced by hostile text. */
  readonly hostility?: number;
  readonly developments?: number;
  readonly figures?: number;
  readonly pairs?: number;
  readonly timeZone?: string;
  readonly seed?: number;
}

/** A week of `articles` articles with developments (stories among them), pairs and figures. */
function makeWeek(shape: WeekShape): DigestSummary {
  const rnd = random(shape.seed ?? shape.articles);
  const h = shape.hostility ?? 0;
  const words = (n: number) => makeText(rnd, Math.max(1, Math.round(n * (0.5 + rnd()))), h);
  const articles: ArticleRef[] = Array.from({ length: shape.articles }, (_, i) => ({
    id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    slug: rnd() < h ? `article-${i}-${words(2)}`.toWellFormed() : `article-${i}`,
    title: words(shape.titleWords ?? 8),
    source: rnd() < 0.5 ? "Asia Times" : words(3),
    published:
      rnd() < 0.05
        ? "not a date"
        : new Date(Date.UTC(2024, 9, 21) + Math.floor(rnd() * 7 * 86_400_000)).toISOString(),
    summary: rnd() < 0.05 ? "" : words(shape.summaryWords ?? 40),
    sourceUrl: rnd() < 0.4 ? `https://news.example/${i}?a=1&b=${words(1)}` : null,
    dateApproximate: rnd() < 0.2,
    editorNote: rnd() < 0.15 ? words(20) : null,
  }));
  const ref = (i: number) => articles[i % Math.max(1, articles.length)];
  const stories = ["nk-troops", "arms-<deals>", "drills"];
  return {
    week: WEEK,
    timeZone: shape.timeZone ?? "UTC",
    start: "2024-10-21T00:00:00.000Z",
    end: "2024-10-28T00:00:00.000Z",
    developments: Array.from({ length: shape.developments ?? 6 }, (_, i) => {
      const a = ref(i);
      const story = rnd() < 0.5 ? stories[Math.floor(rnd() * stories.length)]! : null;
      return {
        text: words(25),
        articleSlug: a?.slug ?? "gone",
        articleId: a?.id ?? "gone",
        articleTitle: a?.title ?? "",
        source: a?.source ?? words(2),
        provenance: KEY_POINT,
        reportedIn: rnd() < 0.3 ? (rnd() < 0.8 ? "2024-W42" : "bad") : null,
        story:
          story === null
            ? null
            : {
                id: story,
                title: words(6),
                earlierWeeks: rnd() < 0.5 ? ["2024-W42", "2024-W40"] : rnd() < 0.5 ? [] : ["bad"],
              },
      };
    }),
    pairs: Array.from({ length: shape.pairs ?? 4 }, (_, i) => ({
      names: [words(2), words(2)] as const,
      ids: [`a${i}`, `b${i}`] as const,
      mentions: 1 + Math.floor(rnd() * 5),
    })),
    actors: shape.pairs === 0 ? ["North Korea", words(2)] : [],
    figures: Array.from({ length: shape.figures ?? 5 }, (_, i) => ({
      text: words(6),
      claimant: words(4),
      status: (["claimed", "confirmed", "denied"] as const)[i % 3]!,
      by: rnd() < 0.5 ? words(3) : null,
      subject: rnd() < 0.6 ? `subject-${i % 2}` : null,
      counts: rnd() < 0.8 ? `count-${i % 2}` : null,
      articleSlug: ref(i)?.slug ?? "gone",
      articleId: ref(i)?.id ?? "gone",
    })),
    articles,
    summaryWords: 200,
  };
}

/** The outcome of a render, or its error message. */
function outcome(render: () => RenderedDigestEmail): RenderedDigestEmail | { error: string } {
  try {
    return render();
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** renderDigestEmail and the reference give the same bytes (or the same error); returns the email. */
function expectSame(summary: DigestSummary, links: DigestLinks, what: string) {
  const got = outcome(() => renderDigestEmail(summary, links));
  const expected = outcome(() => referenceRenderDigestEmail(summary, links));
  if ("error" in expected || "error" in got) {
    expect(got, what).toEqual(expected);
    return null;
  }
  // Compared as strings first, so that a failure says where they part.
  for (const part of ["html", "text"] as const) {
    if (got[part] !== expected[part]) {
      let i = 0;
      while (got[part][i] === expected[part][i]) i++;
      expect(got[part].slice(i - 200, i + 200), `${what}: ${part} at ${i}`).toBe(
        expected[part].slice(i - 200, i + 200),
      );
    }
  }
  expect(got.compact, what).toBe(expected.compact);
  return got;
}

const utf8 = (s: string) => new TextEncoder().encode(s).byteLength;
const count = (s: string, slot: string) => s.split(slot).length - 1;
/** The HTML's weight as the previous implementation counted it (render.ts' budget). */
const budgetBytes = (html: string) =>
  utf8(html) +
  count(html, UNSUBSCRIBE_SLOT) * (300 - UNSUBSCRIBE_SLOT.length) +
  count(html, BASE_URL_SLOT) * (100 - BASE_URL_SLOT.length);

describe("digest email: the same bytes as Mustache and the rendering search", () => {
  it("a small week, whole", () => {
    for (const [name, links] of LINKS) {
      const email = expectSame(makeWeek({ articles: 3 }), links, name);
      expect(email?.compact).toBe(false);
    }
  });

  it("weeks of 200 and 1,000 articles, in compact mode", () => {
    for (const articles of [200, 1000])
      for (const [name, links] of LINKS) {
        const email = expectSame(makeWeek({ articles }), links, `${articles}, ${name}`);
        expect(email?.compact).toBe(true);
        expect(budgetBytes(email!.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
      }
  });

  it("compact mode at many sizes: from a few long articles to many short ones", () => {
    const shown = new Set<number>();
    for (const [articles, summaryWords, titleWords] of [
      [20, 200, 60],
      [40, 120, 30],
      [60, 80, 10],
      [90, 60, 8],
      [120, 40, 8],
      [150, 20, 4],
      [200, 15, 3],
      [300, 10, 3],
      [500, 2, 1],
    ] as const) {
      for (const [name, links] of LINKS) {
        const summary = makeWeek({ articles, summaryWords, titleWords });
        const email = expectSame(summary, links, `${articles} articles, ${name}`);
        if (email?.compact) shown.add(digestEmailView(summary, links).view.articles.length);
      }
    }
    expect(shown.size).toBeGreaterThan(8);
  });

  it("every character that escaping, sanitizing or byte counting treats apart", () => {
    for (const hostility of [0.2, 0.6, 1]) {
      for (const articles of [1, 30, 250]) {
        for (const [name, links] of LINKS) {
          const summary = makeWeek({ articles, hostility, seed: articles * 7 + hostility * 100 });
          expectSame(summary, links, `${articles} hostile articles (${hostility}), ${name}`);
          expectSame(
            summary,
            { ...links, siteTitle: "&\u0085<".repeat(60), contactLine: "'🛰 ".repeat(120) },
            `${articles} hostile articles (${hostility}), hostile site, ${name}`,
          );
        }
      }
    }
  });

  it("summaries beyond the summarizer's limits: figures, pairs and developments are cut after the articles", () => {
    for (const [developments, figures, pairs] of [
      [300, 300, 2],
      [60, 400, 300],
      [600, 0, 0],
    ] as const) {
      for (const [name, links] of LINKS) {
        const summary = makeWeek({
          articles: 50,
          developments,
          figures,
          pairs,
          hostility: 0.3,
          summaryWords: 100,
        });
        const email = expectSame(summary, links, `${developments}/${figures}/${pairs}, ${name}`);
        expect(email?.compact).toBe(true);
      }
    }
  });

  it("no articles, no developments, pairs or figures; one-article weeks; other time zones", () => {
    for (const [name, links] of LINKS) {
      expectSame(makeWeek({ articles: 0, developments: 0, figures: 0, pairs: 0 }), links, name);
      expectSame(makeWeek({ articles: 1, pairs: 0 }), links, name);
      for (const timeZone of ["Asia/Seoul", "America/New_York", "Not/AZone"])
        expectSame(makeWeek({ articles: 40, timeZone }), links, `${timeZone}, ${name}`);
    }
  });

  it("the same error when not even an email without list items fits", () => {
    const [, links] = LINKS[0]!;
    const huge = { ...links, webUrl: `${links.webUrl}?${"x".repeat(40_000)}` };
    const got = outcome(() => renderDigestEmail(makeWeek({ articles: 10 }), huge));
    expect(got).toEqual({
      error: `digest email: the template with no list items exceeds ${HTML_BUDGET_BYTES} bytes; check siteTitle, contactLine and the configured URLs`,
    });
    expectSame(makeWeek({ articles: 10 }), huge, "huge web URL");
  });

  it("300 random weeks", () => {
    const rnd = random(2024);
    for (let i = 0; i < 300; i++) {
      const shape: WeekShape = {
        articles: Math.floor(rnd() ** 2 * 400),
        titleWords: 1 + Math.floor(rnd() * 40),
        summaryWords: Math.floor(rnd() * 150),
        hostility: rnd() < 0.5 ? 0 : rnd(),
        developments: Math.floor(rnd() * 12),
        figures: Math.floor(rnd() * 10),
        pairs: Math.floor(rnd() * 6),
        seed: i,
      };
      const [name, links] = LINKS[i % 2]!;
      expectSame(makeWeek(shape), links, `${JSON.stringify(shape)}, ${name}`);
    }
  });
});

describe("digest email: the pieces the new path is built from", () => {
  it("the compiled templates fill views exactly as Mustache.render does", () => {
    const plain = { escape: (value: unknown) => String(value) };
    for (const articles of [0, 1, 200, 1000]) {
      for (const [, links] of LINKS) {
        const { view } = digestEmailView(makeWeek({ articles, hostility: 0.3 }), links);
        expect(renderDigestHtml(view)).toBe(Mustache.render(DIGEST_HTML_TEMPLATE, view));
        expect(renderDigestText(view)).toBe(
          Mustache.render(DIGEST_TEXT_TEMPLATE, view, undefined, plain),
        );
      }
    }
  });

  it("budgetWeight is the UTF-8 bytes, escaped as Mustache escapes, with slots at their budget length", () => {
    const weigh = (s: string, escape: boolean) => budgetBytes(escape ? Mustache.escape(s) : s);
    const units: string[] = [];
    for (let c = 0; c <= 0xffff; c++) units.push(String.fromCharCode(c));
    for (const escape of [false, true]) {
      for (const u of units) {
        // Alone (a lone surrogate is U+FFFD's 3 bytes), and between other text.
        expect(budgetWeight(u, escape)).toBe(weigh(u, escape));
        expect(budgetWeight(`a${u}b`, escape)).toBe(weigh(`a${u}b`, escape));
      }
      for (const s of [
        "🛰️",
        "\uD83D\uDEF0\uD83D",
        "\uDEF0\uD83D\uDEF0",
        `x${UNSUBSCRIBE_SLOT}${BASE_URL_SLOT}${BASE_URL_SLOT}/a`,
        `${BASE_URL_SLOT.slice(0, 5)}`,
        HOSTILE.join(""),
      ])
        expect(budgetWeight(s, escape)).toBe(weigh(s, escape));
    }
  });

  it("cleanText and sanitizeView: the same results as before for every UTF-16 code unit", () => {
    for (let c = 0; c <= 0xffff; c++) {
      const u = String.fromCharCode(c);
      for (const s of [u, `a${u}`, `${u}a`, `a${u}b`, ` ${u}`, `${u} `, `a ${u} b`, `é${u}${u}é`])
        if (cleanText(s) !== referenceCleanText(s))
          expect(cleanText(s), JSON.stringify(s)).toBe(referenceCleanText(s));
    }
    const odd = JSON.parse(
      '{"__proto__": {"a": " x "}, "list": [1, null, "a\\u0085b", [" y", {"z": "\\u202e"}]], "n": 2, "t": true}',
    ) as unknown;
    for (const keep of [undefined, BASE_URL_SLOT]) {
      const value = { odd, f: () => 1, s: `a ${BASE_URL_SLOT}\u0007 b` };
      const got = sanitizeView(value, keep);
      const expected = referenceSanitizeView(value, keep);
      expect(got).toEqual(expected);
      expect(Object.getOwnPropertyNames(got.odd)).toEqual(Object.getOwnPropertyNames(expected.odd));
      expect(Object.getPrototypeOf(got.odd)).toBe(Object.getPrototypeOf(expected.odd));
    }
  });

  it("prepareEmail (the web version's items) is what it was", () => {
    for (const articles of [0, 1, 60]) {
      const summary = makeWeek({ articles, hostility: 0.4 });
      for (const [, links] of LINKS)
        expect(prepareEmail(summary, links)).toEqual(referencePrepareEmail(summary, links));
    }
  });
});
