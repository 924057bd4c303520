/**
 * The weekly digest: the extractive summary, building and storing a week's digest, its dates, and
 * the digest routes. Fixture articles and the fixture watch list only (test/helpers/fixtures.ts),
 * so editing content/ cannot break these. Storage is shared by a file's tests: each test uses its
 * own weeks, and reads through a fresh app.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { digestLinks } from "../../src/digest/email/links.ts";
import { buildDigest, runWeeklyDigest } from "../../src/digest/service.ts";
import { getDigest } from "../../src/digest/store.ts";
import { digestSummaryHtml } from "../../src/digest/summary-html.ts";
import { figureAttribution } from "../../src/digest/summary/key-figures.ts";
import { SUMMARY_WORD_LIMIT, type DigestSummary } from "../../src/digest/summary/model.ts";
import { pairLine } from "../../src/digest/summary/pairs.ts";
import { summarizeWeek } from "../../src/digest/summary/summarize-week.ts";
import { ExtractiveSummarizer } from "../../src/digest/summary/summarizer.ts";
import { countWords } from "../../src/digest/summary/text.ts";
import { weekRange } from "../../src/lib/time.ts";
import type { Article, Story } from "../../src/model/article.ts";
import { danglingOpening, relativeDate } from "../../src/model/standalone.ts";
import { analysed, fixtureMarkdown } from "../helpers/analysed.ts";
import {
  makeActors,
  makeApp,
  makeArticle as makeFixtureArticle,
  makeClaim,
  makeDigestDeps,
} from "../helpers/fixtures.ts";

/** A fixture article with the analysis `npm run publish` stores for it. */
const makeArticle = (overrides: Partial<Article> = {}) => analysed(makeFixtureArticle(overrides));
import { htmlLinks, htmlText, htmlTexts } from "../helpers/html.ts";
import { parseXml } from "../helpers/xml.ts";

const BASE = "http://localhost:8787";

function summarize(
  week: string,
  list: readonly Article[],
  options: { timeZone?: string; stories?: readonly Story[] } = {},
) {
  return summarizeWeek({
    week,
    timeZone: options.timeZone ?? "UTC",
    articles: list,
    actors: makeActors(),
    summarizer: new ExtractiveSummarizer(),
    storyTitles: new Map((options.stories ?? []).map((s) => [s.id, s.title])),
  });
}

/** An instant `days` days and `hours` hours into `week` (UTC), as RFC 3339. */
function inWeek(week: string, days: number, hours = 10): string {
  const start = weekRange(week, "UTC").start.getTime();
  return new Date(start + days * 86_400_000 + hours * 3_600_000).toISOString();
}

const texts = (s: DigestSummary) => s.developments.map((d) => d.text);

/** The sentences the publish-time analysis stored for the article. */
function bodySentences(a: Article): string[] {
  return (a.analysis?.candidates ?? []).map((c) => c.text);
}

/**
 * Every item can be traced to the brief it names: a key point as the editor wrote it, or a
 * sentence of the body (two, when the second leans on the first) with its dates made absolute.
 * Every figure is one of the brief's claims, or is in its body and credited to its source.
 * Every item stands alone, and the word count adds up to at most the limit.
 */
function expectTraceable(s: DigestSummary, articles: readonly Article[]) {
  for (const d of s.developments) {
    const source = articles.find((a) => a.id === d.articleId);
    expect(source, d.text).toBeDefined();
    expect(d.articleSlug).toBe(source!.slug);
    expect(d.articleTitle).toBe(source!.title);
    expect(d.source).toBe(source!.source);
    if (source!.keyPoints.length > 0) {
      expect(source!.keyPoints, d.text).toContain(d.text);
    } else {
      // A stored candidate, whose original is the body's own words.
      expect(bodySentences(source!), d.text).toContain(d.text);
      expect(d.provenance.kind).toBe("extracted");
      expect(fixtureMarkdown(source!.html)).toContain(d.provenance.original);
    }
    expect(danglingOpening(d.text), d.text).toBeNull();
    expect(relativeDate(d.text), d.text).toBeNull();
  }
  for (const f of s.figures) {
    const source = articles.find((a) => a.id === f.articleId)!;
    expect(f.articleSlug).toBe(source.slug);
    if (source.claims.length > 0) {
      expect(
        source.claims.map((c) => ({
          text: `${c.figure} ${c.counts}`,
          claimant: c.claimant,
          status: c.status,
          by: c.by,
          subject: c.subject,
        })),
      ).toContainEqual({
        text: f.text,
        claimant: f.claimant,
        status: f.status,
        by: f.by,
        subject: f.subject,
      });
    } else {
      // From a chosen or candidate sentence: a key point, or the body.
      expect([...source.keyPoints, ...bodySentences(source)].join(" "), f.text).toContain(f.text);
      expect(f.claimant).toBe(source.source);
    }
  }
  const active = s.pairs.length > 0 ? s.pairs.map(pairLine) : [s.actors.join(", ")];
  const words = [
    ...texts(s),
    ...active,
    ...s.figures.map((f) => `${f.text} ${figureAttribution(f)}`),
  ].reduce((n, t) => n + countWords(t), 0);
  expect(s.summaryWords).toBe(words);
  expect(s.summaryWords).toBeLessThanOrEqual(SUMMARY_WORD_LIMIT);
}

const DEPLOYMENT =
  "South Korea's National Intelligence Service reported on Friday that 1,500 North Korean special forces had been sent to Russia's Far East.";
/** DEPLOYMENT in an article of Wednesday 23 October 2024. */
const DEPLOYMENT_23_OCTOBER =
  "South Korea's National Intelligence Service reported on 18 October 2024 that 1,500 North Korean special forces had been sent to Russia's Far East.";

/** A week shaped like a real one: a lead report under commentary, a caption, a heading and a list. */
function busyWeek(): Article[] {
  return [
    makeArticle({
      slug: "deployment",
      title: "Deployment reported",
      published: "2024-10-23T08:00:00Z",
      html: [
        "<h2>Russia, North Korea and China: what next?</h2>",
        '<blockquote><p>"Russia, North Korea and China are forming an unholy alliance against Ukraine and South Korea," one analyst said.</p></blockquote>',
        `<p>${DEPLOYMENT}</p>`,
        "<p><em>North Korean troops at a parade in Pyongyang in 2023.</em></p>",
        "<p>Some observers think the Kremlin may perhaps want many more soldiers from Pyongyang.</p>",
      ].join(""),
    }),
    makeArticle({
      slug: "drills",
      title: "Joint drills",
      published: "2024-10-22T10:00:00Z",
      html: "<p>China and Russia held joint naval drills in the Sea of Okhotsk on 22 October, with 12 warships taking part.</p><ul><li>Beijing sent four destroyers to the drills on Tuesday.</li></ul>",
    }),
    makeArticle({
      slug: "ukraine",
      title: "Ukraine says",
      published: "2024-10-24T12:00:00Z",
      html: "<p>Ukraine's defence intelligence confirmed on Thursday that North Korean officers arrived in Russia's Kursk region in October.</p>",
    }),
  ];
}

describe("the summary: key points", () => {
  it("leads with each brief's first key point and keeps the editor's order, never the body of a brief that has key points", async () => {
    const nis = makeArticle({
      slug: "nis",
      published: "2024-10-23T08:00:00Z",
      keyPoints: [
        "South Korea's National Intelligence Service said on 18 October 2024 that North Korea had sent 1,500 special forces to Russia's Far East.",
        "Russian navy ships carried the troops from Chongjin and Hamhung to Vladivostok between 8 and 13 October 2024, the agency said.",
        "Japan, Ukraine and China were briefed on the findings by Seoul on 19 October 2024.",
      ],
      // Names every actor and has figures and a date: it would outscore every key point.
      html: "<p>Russia, North Korea, China and Japan held talks in Vladivostok on 20 October 2024 with 40 delegates.</p>",
    });
    const drills = makeArticle({
      slug: "drills",
      published: "2024-10-22T10:00:00Z",
      keyPoints: [
        // One actor: still before the brief's second point, which names three.
        "China's navy began a ten-day exercise in the East China Sea on 21 October 2024, its defence ministry said.",
        "Russian and North Korean observers watched the exercise alongside Chinese officers on 21 October 2024, Beijing said.",
      ],
    });
    const s = (await summarize("2024-W43", [drills, nis]))!;
    expectTraceable(s, [nis, drills]);
    expect(new Set(texts(s).slice(0, 2))).toEqual(new Set([nis.keyPoints[0], drills.keyPoints[0]]));
    for (const a of [nis, drills]) {
      const mine = s.developments.filter((d) => d.articleId === a.id).map((d) => d.text);
      expect(mine).toEqual(a.keyPoints.slice(0, mine.length));
    }
    expect(texts(s)).not.toContain(nis.keyPoints[2]); // two per article in a week of several
    expect(texts(s).join(" ")).not.toContain("40 delegates");
  });

  it("takes at most two items from any one article in a week of several, and up to six from a one-article week", async () => {
    // Distinct events, so that no two points are near-duplicates of each other.
    const events = [
      "opened a freight terminal at the Tumen River crossing",
      "signed a fisheries agreement covering the northern Pacific",
      "launched a weather satellite from its eastern spaceport",
      "hosted parliamentary delegates for a forum on tourism",
      "deployed engineers to repair a damaged hydroelectric dam",
      "announced higher grain quotas for collective farms",
      "tested a coastal artillery battery near Wonsan",
      "published customs rules for imported machinery",
      "appointed a new ambassador to Mongolia",
      "reopened a university exchange programme with Minsk",
      "shipped fertiliser by barge along the Amur",
      "completed a pipeline survey across the Gobi",
    ];
    const points = (who: string, first: number, n: number) =>
      events.slice(first, first + n).map((e, i) => `${who} ${e} on ${10 + i} June 2024.`);
    const three = ["Russia", "China", "North Korea"].map((who, i) =>
      makeArticle({ published: `2024-06-1${i + 1}T10:00:00Z`, keyPoints: points(who, 4 * i, 4) }),
    );
    const several = (await summarize("2024-W24", three))!;
    expectTraceable(several, three);
    expect(several.developments).toHaveLength(6);
    for (const a of three)
      expect(texts(several).filter((t) => a.keyPoints.includes(t))).toEqual(
        a.keyPoints.slice(0, 2),
      );

    const two = three.slice(0, 2);
    const pair = (await summarize("2024-W24", two))!;
    expect(pair.developments).toHaveLength(4); // room for six, but two per article

    const one = makeArticle({
      published: "2024-06-12T10:00:00Z",
      keyPoints: points("Russia", 0, 8),
    });
    const alone = (await summarize("2024-W24", [one]))!;
    expectTraceable(alone, [one]);
    expect(texts(alone)).toEqual(one.keyPoints.slice(0, 6));
  });
});

describe("the summary: sentences from a brief's body", () => {
  it("resolves relative dates against the article's date, and drops those it cannot resolve", async () => {
    // Tuesday 22 October 2024.
    const a = makeArticle({
      published: "2024-10-22T09:00:00Z",
      html: [
        "<p>Russian officials met North Korean envoys in Moscow on Friday to discuss 12 new rail projects.</p>",
        "<p>North Korea launched a missile toward Japan on October 17, Tokyo said.</p>",
        "<p>China sent a delegation to Pyongyang yesterday.</p>",
        "<p>Russia and North Korea opened a new road bridge last June, Moscow said.</p>",
        "<p>Russia announced new sanctions on Japan last week.</p>",
      ].join(""),
    });
    const s = (await summarize("2024-W43", [a]))!;
    expectTraceable(s, [a]);
    expect(texts(s).sort()).toEqual(
      [
        "Russian officials met North Korean envoys in Moscow on 18 October 2024 to discuss 12 new rail projects.",
        "North Korea launched a missile toward Japan on 17 October 2024, Tokyo said.",
        "China sent a delegation to Pyongyang on 21 October 2024.",
        "Russia and North Korea opened a new road bridge in June 2024, Moscow said.",
        "Russia announced new sanctions on Japan in the week of 14 October 2024.",
      ].sort(),
    );

    // Across a new year: "December 28" in a report of 3 January 2025 was in 2024.
    const january = makeArticle({
      published: "2025-01-03T09:00:00Z",
      html: "<p>Russia delivered 20 tanks to North Korea on December 28, Seoul said.</p>",
    });
    expect(texts((await summarize("2025-W01", [january]))!)).toEqual([
      "Russia delivered 20 tanks to North Korea on 28 December 2024, Seoul said.",
    ]);
  });

  it("does not place a weekday or 'yesterday' in an article whose own date is approximate", async () => {
    const a = makeArticle({
      published: "2024-10-15T00:00:00Z",
      dateApproximate: true,
      html: [
        "<p>Russian officials met North Korean envoys in Moscow on Friday.</p>",
        "<p>China sent a delegation to Pyongyang yesterday.</p>",
        "<p>North Korea launched a missile toward Japan on October 11, Tokyo said.</p>",
        "<p>Russia shipped 300 containers of shells to North Korea's Rajin port on 9 October 2024.</p>",
      ].join(""),
    });
    const s = (await summarize("2024-W42", [a]))!;
    expectTraceable(s, [a]);
    expect(texts(s).sort()).toEqual(
      [
        "North Korea launched a missile toward Japan on 11 October 2024, Tokyo said.",
        "Russia shipped 300 containers of shells to North Korea's Rajin port on 9 October 2024.",
      ].sort(),
    );
  });

  it("leaves out a sentence that leans on the one before it, and keeps the one it leans on", async () => {
    const long =
      "China and Russia signed a grain and fertiliser agreement worth 2 billion dollars in the northern city of Harbin on 4 October 2024, after three days of talks between trade ministers, customs officials, railway operators and the heads of twelve state-owned agricultural companies from both sides.";
    const a = makeArticle({
      published: "2024-10-08T09:00:00Z",
      html: [
        "<p>Russia sent 1,500 troops to North Korea on 3 October 2024. They arrived in Pyongyang by train on 5 October 2024.</p>",
        "<p>This means China will watch the border with North Korea closely.</p>",
        `<p>${long} However, the agreement still needs the approval of Beijing's customs administration.</p>`,
        "<p>Additional North Korean units reached Russia's Kursk region on 6 October 2024.</p>",
        "<p>Russia moved 20 trains of shells to its border with North Korea on 2 October 2024. They could reach the front within days.</p>",
      ].join(""),
    });
    const s = (await summarize("2024-W41", [a]))!;
    expectTraceable(s, [a]);
    expect(texts(s).sort()).toEqual(
      [
        // "They", "This", "However", "Additional" lean back: left out, never joined.
        "Russia sent 1,500 troops to North Korea on 3 October 2024.",
        long,
        "Russia moved 20 trains of shells to its border with North Korea on 2 October 2024.",
      ].sort(),
    );
  });

  it("never takes rumours, teasers, unattributed speculation or rhetorical questions, and keeps attributed statements", async () => {
    const kept = [
      "South Korea's defence ministry said Russia could supply North Korea with fighter jets in exchange for troops.",
      '"Russia will never forget North Korea\'s help," Kim Jong Un said at a banquet on 12 September 2024.',
      // "May" the month is not the modal "may".
      "Russia and North Korea signed a trade agreement in May 2024.",
    ];
    const a = makeArticle({
      published: "2024-10-01T09:00:00Z",
      html: [
        "<p>Rumour has it that Russia will send fighter jets to North Korea in November 2024.</p>",
        "<p>The most tantalizing detail is a Chinese freighter seen at North Korea's Rajin port on 28 September 2024.</p>",
        "<p>Most troubling of all is China's silence about North Korean troops in Russia.</p>",
        "<p>Why would Russia need North Korean shells in 2024?</p>",
        "<p>China may join Russia's naval drills near Japan.</p>",
        "<p>Russia could supply North Korea with fighter jets.</p>",
        "<p>Pyongyang would probably welcome more Russian oil.</p>",
        '<p>"Pyongyang is now Moscow\'s arsenal."</p>',
        ...kept.map((k) => `<p>${k}</p>`),
      ].join(""),
    });
    const s = (await summarize("2024-W40", [a]))!;
    expectTraceable(s, [a]);
    expect(texts(s).sort()).toEqual([...kept].sort());
  });

  it("skips headings, photo captions and pull quotes; list items count", async () => {
    const a = makeArticle({
      published: "2024-09-24T09:00:00Z",
      html: [
        "<h2>Russia and North Korea sign a treaty in Pyongyang on 23 September 2024</h2>",
        "<blockquote><p>Russia and North Korea will defend each other, an analyst said on 20 September 2024.</p></blockquote>",
        "<p><em>North Korean troops at a parade in Pyongyang in 2023.</em></p>",
        "<p>Russia and North Korea ratified a defence treaty on 23 September 2024.</p>",
        "<ul><li>China sent observers to the ceremony in Pyongyang on 23 September 2024.</li></ul>",
      ].join(""),
    });
    const s = (await summarize("2024-W39", [a]))!;
    expectTraceable(s, [a]);
    expect(texts(s).sort()).toEqual(
      [
        "Russia and North Korea ratified a defence treaty on 23 September 2024.",
        "China sent observers to the ceremony in Pyongyang on 23 September 2024.",
      ].sort(),
    );
  });

  it("takes the reported deployment, not the commentary, heading and caption around it", async () => {
    const articles = busyWeek();
    const s = (await summarize("2024-W43", articles))!;
    expectTraceable(s, articles);
    expect(s.developments.filter((d) => d.articleSlug === "deployment").map((d) => d.text)).toEqual(
      [DEPLOYMENT_23_OCTOBER],
    );
    for (const d of s.developments)
      expect(d.text).not.toMatch(/what next\?|at a parade|unholy|observers/);
    expect(texts(s)).toContain(
      "China and Russia held joint naval drills in the Sea of Okhotsk on 22 October 2024, with 12 warships taking part.",
    );
    expect(s.articles.map((a) => a.slug)).toEqual(["ukraine", "deployment", "drills"]);
    expect(s.start).toBe("2024-10-21T00:00:00.000Z");
    expect(s.end).toBe("2024-10-28T00:00:00.000Z");
  });
});

describe("the summary: an article that is a pasted web page", () => {
  it("takes no chrome, no dangling item and no unresolved date; names the speaker of a hedge (regression: captions, share lines, the headline, 'Mr. X', 'he added', 'these two countries', a quote opening mid-sentence, 'On Monday' and 'told reporters Tuesday' became items or lost the week's main fact)", async () => {
    // Tuesday 22 October 2024. The body is the page as an operator pastes it, chrome and all.
    const a = makeArticle({
      title: "Seoul says North Korean troops are in Russia",
      published: "2024-10-22T09:00:00Z",
      html: [
        "Seoul says North Korean troops are in Russia",
        "North Korean soldiers at a parade in Pyongyang. Photo: KCNA via Reuters",
        "Share on Facebook Twitter WhatsApp Email",
        "Home | World | Asia | North Korea",
        "On Monday, South Korea's National Intelligence Service said 1,500 North Korean special forces had reached Vladivostok.",
        "Mr. Yoon called an emergency meeting in Seoul about North Korea's troops in Russia.",
        "They are expected to fight for Russia in Ukraine by December 2024.",
        "These two countries signed a defence pact in Pyongyang in June 2024.",
        "Chinese Foreign Ministry spokesperson Lin Jian said on Tuesday that Beijing was watching North Korea and Russia closely.",
        "Beijing fears Russia may share missile technology with North Korea, he said.",
        "“and Russia will pay for North Korea's help,” Kim Jong Un said on Tuesday.",
        "Russian officials told reporters Tuesday that 3,000 more North Korean troops would arrive in Russia.",
        "“Russia and China are watching North Korea’s troops,” he added.",
        "Advertisement",
      ]
        .map((p) => `<p>${p}</p>`)
        .join(""),
    });
    const s = (await summarize("2024-W43", [a]))!;
    expectTraceable(s, [a]);
    expect(texts(s).sort()).toEqual(
      [
        "On 21 October 2024, South Korea's National Intelligence Service said 1,500 North Korean special forces had reached Vladivostok.",
        "Chinese Foreign Ministry spokesperson Lin Jian said on 22 October 2024 that Beijing was watching North Korea and Russia closely.",
        // The hedge and the attribution stay; "he" is named.
        "Beijing fears Russia may share missile technology with North Korea, Lin Jian said.",
        "Russian officials told reporters on 22 October 2024 that 3,000 more North Korean troops would arrive in Russia.",
        // "…, he added." after "Russian officials told reporters": nobody named is "he".
      ].sort(),
    );
    const hedge = s.developments.find((d) => d.text.startsWith("Beijing fears"))!;
    expect(hedge.provenance).toEqual({
      kind: "extracted",
      original: "Beijing fears Russia may share missile technology with North Korea, he said.",
      rewrites: ['"he said" → "Lin Jian said"'],
      reason: expect.stringContaining("hedged"),
    });
  });
});

describe("the summary: who was active", () => {
  it("counts a pair once per shown item in which both act, ranked by count then prominence (regression: it counted sentences that were not shown)", async () => {
    const list = [
      makeArticle({
        published: "2024-06-20T10:00:00Z",
        html: [
          "<p>Russia and North Korea signed a defence treaty in Pyongyang on 19 June 2024.</p>",
          "<p>China held naval drills near Taiwan on 20 June 2024.</p>",
          "<p>Russian jets escorted North Korean cargo planes over the Pacific on 20 June 2024.</p>",
          "<p>Russia shelled Ukraine's Kharkiv region on 20 June 2024.</p>",
          "<p>Russia raised its key interest rate to 18 percent on 20 June 2024.</p>",
          "<p>North Korea fired artillery near a South Korean border island on 19 June 2024.</p>",
        ].join(""),
      }),
      makeArticle({
        published: "2024-06-21T10:00:00Z",
        html: [
          "<p>North Korea sent 12 trains of shells to Russia on 18 June 2024.</p>",
          "<p>Japan protested to China on 19 June 2024 over a coast guard incident.</p>",
          "<p>Kim Jong Un met Russian officials in Vladivostok on 21 June 2024.</p>",
          "<p>Japan and South Korea held talks in Seoul on 20 June 2024.</p>",
          "<p>Chinese coast guard ships left Japanese waters on 21 June 2024.</p>",
          // Here, not in the first article: the analysis keeps six sentences an article.
          "<p>Ukraine received 20 air defence systems from its allies on 21 June 2024.</p>",
        ].join(""),
      }),
    ];
    const s = (await summarize("2024-W25", list))!;
    expectTraceable(s, list);
    // Two items an article are shown: North Korea and Russia act together in three of them
    // (Kim Jong Un counts as North Korea), North Korea and South Korea in one. The sentences
    // not shown (Russia and Ukraine, China and Japan) are not counted; they used to be, so
    // the digest claimed "together in 4 items" beside four items of which three had both.
    expect(s.developments).toHaveLength(4);
    expect(s.pairs.map(pairLine)).toEqual([
      "North Korea – Russia: together in 3 items",
      "North Korea – South Korea: together in 1 item",
    ]);
    // Counted again from the shown items' words, with the watch list's aliases.
    const actors = makeActors();
    const names = (id: string) =>
      actors.filter((x) => x.id === id || x.partOf === id).flatMap((x) => x.aliases);
    const both = (ids: readonly [string, string]) =>
      texts(s).filter((t) => ids.every((id) => names(id).some((n) => t.includes(n)))).length;
    for (const p of s.pairs) expect(p.mentions, pairLine(p)).toBe(both(p.ids));
    expect(s.actors).toEqual([]);
  });

  it("lists a one-article week's actors, most named first, instead of pairs", async () => {
    const a = makeArticle({
      published: "2024-06-11T10:00:00Z",
      html: [
        "<p>Russia and North Korea held talks in Moscow on 10 June 2024.</p>",
        "<p>Russian officials visited the Chinese border on 10 June 2024.</p>",
        "<p>Russia sent grain to North Korea on 9 June 2024.</p>",
        "<p>Japan protested on 11 June 2024.</p>",
      ].join(""),
    });
    const s = (await summarize("2024-W24", [a]))!;
    expectTraceable(s, [a]);
    expect(s.pairs).toEqual([]);
    expect(s.actors).toEqual(["Russia", "North Korea", "China", "Japan"]);
  });
});

describe("the summary: key figures", () => {
  it("gives every figure its claimant and status, and puts rival figures for one count side by side", async () => {
    const troops = "nk-troops-in-russia";
    const nis = makeArticle({
      published: "2024-10-31T10:00:00Z",
      keyPoints: [
        "South Korea's National Intelligence Service said on 30 October 2024 that North Korean troops had reached Russia's Kursk region.",
      ],
      claims: [
        makeClaim({ counts: "North Korean troops in Russia", subject: troops }),
        makeClaim({
          figure: "12",
          counts: "warships in the joint drills",
          claimant: "China's defence ministry",
          status: "confirmed",
          by: "Japan's Joint Staff",
        }),
      ],
    });
    const kyiv = makeArticle({
      published: "2024-10-30T10:00:00Z",
      keyPoints: [
        "Ukraine's defence intelligence said on 29 October 2024 that North Korean troops were training in Russia's Far East.",
      ],
      claims: [
        makeClaim({
          figure: "3,000",
          counts: "North Korean troops in Russia",
          claimant: "Ukraine's defence intelligence",
          subject: troops,
        }),
        makeClaim({
          figure: "10,000",
          counts: "North Korean troops in Russia",
          claimant: "the Pentagon",
          status: "denied",
          by: "Russia's defence ministry",
          subject: troops,
        }),
      ],
    });
    const dailyNk = makeArticle({
      published: "2024-10-29T10:00:00Z",
      source: "Daily NK",
      html: "<p>Russia paid North Korea for 5,000 containers of shells delivered to Russia, the paper reported on 28 October 2024.</p>",
    });
    const list = [dailyNk, kyiv, nis];
    const s = (await summarize("2024-W44", list))!;
    expectTraceable(s, list);
    expect(
      s.figures.map((f) => ({
        text: f.text,
        by: `${figureAttribution(f)}`,
        subject: f.subject,
        slug: f.articleSlug,
      })),
    ).toEqual([
      {
        text: "1,500 North Korean troops in Russia",
        by: "claimed by South Korea's National Intelligence Service",
        subject: troops,
        slug: nis.slug,
      },
      {
        text: "3,000 North Korean troops in Russia",
        by: "claimed by Ukraine's defence intelligence",
        subject: troops,
        slug: kyiv.slug,
      },
      {
        text: "10,000 North Korean troops in Russia",
        by: "claimed by the Pentagon, denied by Russia's defence ministry",
        subject: troops,
        slug: kyiv.slug,
      },
      {
        text: "12 warships in the joint drills",
        by: "claimed by China's defence ministry, confirmed by Japan's Joint Staff",
        subject: null,
        slug: nis.slug,
      },
    ]);
    // The Daily NK item already says "5,000 containers": Key figures does not say it again.
    expect(texts(s).some((t) => t.includes("5,000 containers"))).toBe(true);

    // The web version (and the digest feeds' content) shows them so, introducing the group once.
    const web = await digestSummaryHtml(s, digestLinks(parseConfig(env), "2024-W44"));
    const figures = (await htmlTexts(web, "li")).filter((t) => t.endsWith("(brief)"));
    expect(figures).toEqual([
      "Different parties give different figures:1,500 North Korean troops in Russia (claimed by South Korea's National Intelligence Service) (brief)",
      "3,000 North Korean troops in Russia (claimed by Ukraine's defence intelligence) (brief)",
      "10,000 North Korean troops in Russia (claimed by the Pentagon, denied by Russia's defence ministry) (brief)",
      "12 warships in the joint drills (claimed by China's defence ministry, confirmed by Japan's Joint Staff) (brief)",
    ]);
  });
});

describe("the summary: developing stories", () => {
  const STORY: Story = { id: "nk-troops-russia", title: "North Korean troops in Russia" };

  /** A story with briefs in weeks 41 and 42, and week 43 with two of its briefs and another. */
  function storyArticles(year: number) {
    const w = (n: number) => `${year}-W${n}`;
    const earlier = [
      makeArticle({
        slug: `story-w41-${year}`,
        published: inWeek(w(41), 2),
        story: STORY.id,
        keyPoints: [
          "South Korea's National Intelligence Service said on 8 October that North Korea had sent 1,500 special forces to Russia's Far East.",
        ],
      }),
      makeArticle({
        slug: `story-w42-${year}`,
        published: inWeek(w(42), 2),
        story: STORY.id,
        keyPoints: [
          "Russian instructors issued uniforms to North Korean soldiers in Primorye on 15 October, Seoul's spy agency said.",
        ],
      }),
      makeArticle({
        slug: `other-story-${year}`,
        published: inWeek(w(40), 2),
        story: "another-story",
        keyPoints: ["China and Russia signed a gas contract in Beijing on 1 October."],
      }),
    ];
    const kursk = makeArticle({
      slug: `kursk-${year}`,
      published: inWeek(w(43), 2),
      story: STORY.id,
      keyPoints: [
        "North Korean troops reached Russia's Kursk region on 21 October, Ukraine's defence intelligence said.",
        "Russia's defence ministry declined on 22 October to comment on the reports.",
      ],
    });
    const drills = makeArticle({
      slug: `drills-${year}`,
      published: inWeek(w(43), 1),
      keyPoints: [
        "China and Russia held joint naval drills in the Sea of Okhotsk from 15 to 20 October, China's defence ministry said.",
        "Beijing sent four destroyers and a supply ship to the drills.",
      ],
    });
    const base = makeArticle({
      slug: `base-${year}`,
      published: inWeek(w(43), 0),
      story: STORY.id,
      keyPoints: [
        "Kim Jong Un visited a special forces training base near Pyongyang on 20 October, state media reported.",
      ],
    });
    return { earlier, week: [kursk, drills, base], kursk, drills, base };
  }

  it("keeps a story's items together, each carrying the story and the earlier weeks that had it", async () => {
    const { earlier, week, kursk, drills, base } = storyArticles(2024);
    const s = (await summarize("2024-W43", [...earlier, ...week], { stories: [STORY] }))!;
    expectTraceable(s, week);
    const story = { ...STORY, earlierWeeks: ["2024-W42", "2024-W41"] };
    // The Kim Jong Un visit ranks below the drills, but comes with its story.
    expect(s.developments.map((d) => [d.text, d.story])).toEqual([
      [kursk.keyPoints[0], story],
      [base.keyPoints[0], story],
      [kursk.keyPoints[1], story],
      [drills.keyPoints[0], null],
      [drills.keyPoints[1], null],
    ]);
    expect(s.articles.map((a) => a.slug)).toEqual([kursk.slug, drills.slug, base.slug]);
  });

  it("shows the story once in the web version and the email, with links to the earlier weeks' digests", async () => {
    const { earlier, week } = storyArticles(2021);
    const articles = [...earlier, ...week];
    const { request, env: appEnv } = makeApp(articles, {}, [STORY]);
    expect(
      await buildDigest(
        appEnv.DB,
        parseConfig(appEnv),
        makeDigestDeps(articles, [STORY]),
        "2021-W43",
      ),
    ).toBe("created");

    const page = await (await request("/digests/2021-W43")).text();
    const intros = (await htmlTexts(page, "li p.meta")).filter((t) =>
      t.startsWith("Developing story:"),
    );
    expect(intros).toEqual([
      "Developing story: North Korean troops in Russia · earlier: Week 42, 2021, Week 41, 2021",
    ]);
    const links = await htmlLinks(page, "li p.meta a");
    expect(links).toEqual([
      { href: `${BASE}/stories/nk-troops-russia`, text: "North Korean troops in Russia" },
      { href: `${BASE}/digests/2021-W42`, text: "Week 42, 2021" },
      { href: `${BASE}/digests/2021-W41`, text: "Week 41, 2021" },
    ]);

    const text = await (await request("/digests/2021-W43/email.txt")).text();
    expect(text.split("DEVELOPING STORY:")).toHaveLength(2);
    expect(text).toContain(
      `DEVELOPING STORY: North Korean troops in Russia\n  ${BASE}/stories/nk-troops-russia\n  Earlier: Week 42, 2021, ${BASE}/digests/2021-W42\n  Earlier: Week 41, 2021, ${BASE}/digests/2021-W41\n`,
    );
  });

  it("ranks what an earlier week of the story already said after everything new", async () => {
    const story = "second-story";
    const said =
      "South Korea's National Intelligence Service said on 4 November 2024 that North Korea had sent 1,500 special forces to Russia's Far East.";
    const before = makeArticle({ published: "2024-11-05T10:00:00Z", story, keyPoints: [said] });
    const again = makeArticle({
      published: "2024-11-20T10:00:00Z",
      story,
      keyPoints: [
        // The editor put it first, and it names three actors: without the rule it would lead.
        "South Korea's National Intelligence Service said on 19 November 2024 that North Korea had sent some 1,500 special forces to Russia's Far East.",
        "North Korean artillery crews fired on Ukrainian positions near Kursk on 18 November 2024, Kyiv said.",
      ],
    });
    const denial = makeArticle({
      published: "2024-11-19T10:00:00Z",
      story,
      keyPoints: [
        "Russia's defence ministry denied on 19 November 2024 that North Korean soldiers were fighting in Ukraine.",
      ],
    });
    const s = (await summarize("2024-W47", [before, again, denial]))!;
    expectTraceable(s, [again, denial]);
    expect(texts(s)).toEqual([denial.keyPoints[0], again.keyPoints[1], again.keyPoints[0]]);
    for (const d of s.developments)
      expect(d.story).toEqual({ id: story, title: story, earlierWeeks: ["2024-W45"] });
  });

  it("leaves out what an earlier week already said when the week has enough that is new", async () => {
    const story = "third-story";
    const said =
      "South Korea's National Intelligence Service said on 4 November 2024 that North Korea had sent 1,500 special forces to Russia's Far East.";
    const before = makeArticle({ published: "2024-11-05T10:00:00Z", story, keyPoints: [said] });
    const repeat =
      "South Korea's National Intelligence Service said on 26 November 2024 that North Korea had sent some 1,500 special forces to Russia's Far East.";
    const week = [
      makeArticle({
        published: "2024-11-27T10:00:00Z",
        story,
        keyPoints: [
          repeat,
          "North Korean artillery crews fired on Ukrainian positions near Kursk on 25 November 2024, Kyiv said.",
        ],
      }),
      makeArticle({
        published: "2024-11-26T10:00:00Z",
        story,
        keyPoints: [
          "Russia's defence ministry denied on 26 November 2024 that North Korean soldiers were fighting in Ukraine.",
          "Russian state television showed Kim Jong Un greeting returning officers on 25 November 2024.",
        ],
      }),
      makeArticle({
        published: "2024-11-28T10:00:00Z",
        story,
        keyPoints: [
          "China's foreign ministry called on 27 November 2024 for restraint on the Korean peninsula after Russian drills.",
          "Japan summoned the Russian ambassador in Tokyo on 28 November 2024 over the troop transfers.",
        ],
      }),
    ];
    const s = (await summarize("2024-W48", [before, ...week]))!;
    expectTraceable(s, week);
    // Five new items; a sixth slot and the brief's second were free, but the repeat stays out.
    expect(s.developments).toHaveLength(5);
    expect(texts(s)).not.toContain(repeat);
    expect(new Set(texts(s))).toEqual(
      new Set(week.flatMap((a) => a.keyPoints).filter((t) => t !== repeat)),
    );
  });

  it("labels a one-article week's items with their story only when the story had earlier weeks", async () => {
    const alone = makeArticle({
      published: "2024-12-03T10:00:00Z",
      story: "new-story",
      keyPoints: [
        "Russia opened a consulate in the North Korean city of Chongjin on 2 December 2024.",
      ],
    });
    const s = (await summarize("2024-W49", [alone], {
      stories: [{ id: "new-story", title: "New" }],
    }))!;
    expect(s.developments.map((d) => d.story)).toEqual([null]);

    const earlier = makeArticle({
      published: "2024-11-12T10:00:00Z",
      story: "old-story",
      keyPoints: ["Russia announced a consulate in North Korea on 11 November 2024."],
    });
    const follow = makeArticle({
      published: "2024-12-04T10:00:00Z",
      story: "old-story",
      keyPoints: [
        "Russia opened its new consulate in the North Korean city of Rason on 3 December 2024.",
      ],
    });
    const t = (await summarize("2024-W49", [earlier, follow]))!;
    // No title in the library: the story is called by its id.
    expect(t.developments.map((d) => d.story)).toEqual([
      { id: "old-story", title: "old-story", earlierWeeks: ["2024-W46"] },
    ]);
  });
});

describe("the summary: limits and determinism", () => {
  it("fills the summary up to the word limit and no further on a busy week", async () => {
    const sentences = [
      "Russian railway crews finished laying 42 kilometres of new track between Khasan and the North Korean port of Rajin on 30 September 2024, completing a project that triples the volume of coal, fertiliser and grain moving across the border every month.",
      "Chinese customs data released on 1 October 2024 showed exports of machine tools, ball bearings and microelectronics to Russia rising by 38 percent in September compared with September 2023, with most shipments crossing at Manzhouli and Suifenhe.",
      "North Korean workers arrived at 17 construction sites across the Russian Far East during October 2024, filling jobs in Khabarovsk and Nakhodka that had stood empty since labour shortages began, regional employment offices confirmed in written statements.",
      "Pyongyang launched a solid-fuel missile from a site near Sunan airport on 2 October 2024, sending it 950 kilometres into the sea east of the peninsula before Japanese and American radar lost track of the object over open water.",
      "Beijing hosted a delegation of 60 Russian defence industry executives for three days of meetings on drone components, satellite navigation chips and armoured vehicle engines, ending with signed supply contracts worth roughly 400 million dollars on 3 October 2024.",
      "Ukrainian forces captured two North Korean soldiers near Kursk on 3 October 2024, the first prisoners from Pyongyang's expeditionary corps, and released photographs of identity papers issued by a Russian military unit based in the Primorye region.",
      "Moscow transferred 24 fighter jets and spare engines to the North Korean air force in early October 2024, and ground crews at Wonsan airfield received the aircraft after a long voyage by cargo ship from the Pacific coast.",
      "China and Russia conducted a joint bomber patrol over the Sea of Okhotsk and the western Pacific on 4 October 2024, flying 11 aircraft for nine hours while destroyers from both navies escorted a supply convoy through the Tsugaru Strait.",
    ];
    const list = sentences.map((text, i) =>
      makeArticle({
        slug: `busy-${i}`,
        published: `2024-10-0${1 + (i % 6)}T10:00:00Z`,
        html: `<p>${text}</p>`,
      }),
    );
    const s = (await summarize("2024-W40", list))!;
    expectTraceable(s, list);
    expect(s.developments.length).toBeGreaterThan(1);
    expect(s.developments.length).toBeLessThan(6); // the words ran out, not the slots
    const chosen = new Set(texts(s));
    const left = sentences.filter((t) => !chosen.has(t));
    expect(left.length).toBeGreaterThan(0);
    // Every sentence left out would have taken the summary past the limit.
    for (const t of left)
      expect(s.summaryWords + countWords(t), t).toBeGreaterThan(SUMMARY_WORD_LIMIT);
  });

  it("is deterministic, whatever order the articles come in", async () => {
    const list = busyWeek();
    const first = JSON.stringify(await summarize("2024-W43", list));
    expect(JSON.stringify(await summarize("2024-W43", list))).toBe(first);
    expect(JSON.stringify(await summarize("2024-W43", [...list].reverse()))).toBe(first);
    expect(JSON.stringify(await summarize("2024-W43", [list[1]!, list[2]!, list[0]!]))).toBe(first);
  });

  it("gives a week without articles no summary", async () => {
    expect(await summarize("2024-W44", busyWeek())).toBeNull();
  });
});

describe("building the week that just ended (the cron trigger's job)", () => {
  it("builds the week once; a second run changes nothing; an empty week is skipped", async () => {
    const config = parseConfig(env);
    const articles = [
      makeArticle({
        slug: "w38-a",
        published: "2024-09-17T10:00:00Z",
        html: `<p>${DEPLOYMENT}</p>`,
      }),
      makeArticle({
        slug: "w38-b",
        published: "2024-09-19T10:00:00Z",
        html: "<p>China and Russia held joint naval drills in the Sea of Okhotsk on 19 September.</p>",
      }),
    ];
    const run = (iso: string) =>
      runWeeklyDigest(env.DB, config, makeDigestDeps(articles), Date.parse(iso));

    expect(await run("2024-09-23T06:00:00Z")).toEqual({ week: "2024-W38", outcome: "created" });
    const first = (await getDigest(env.DB, "2024-W38"))!;
    expect(first.status).toBe("built");
    expect(first.articleCount).toBe(2);
    // "on Friday" in a report of Tuesday 17 September 2024.
    expect(first.summary.developments.map((d) => d.text)).toContain(
      "South Korea's National Intelligence Service reported on 13 September 2024 that 1,500 North Korean special forces had been sent to Russia's Far East.",
    );
    expect(first.html).toContain('lang="en"');

    expect(await run("2024-09-23T06:00:00Z")).toEqual({ week: "2024-W38", outcome: "unchanged" });
    expect(await getDigest(env.DB, "2024-W38")).toEqual(first);
    const { results } = await env.DB.prepare(
      "SELECT week FROM digests WHERE week = '2024-W38'",
    ).all();
    expect(results).toHaveLength(1);

    expect(await run("2024-09-30T06:00:00Z")).toEqual({ week: "2024-W39", outcome: "empty" });
    expect(await getDigest(env.DB, "2024-W39")).toBeNull();
  });
});

describe("digest dates", () => {
  /** One brief in `week`; `title` is what a correction changes. */
  const brief = (week: string, title = "Talks in Moscow") =>
    makeArticle({
      id: `urn:uuid:00000000-0000-4000-8000-${week.replace("-W", "0000")}00`,
      slug: `talks-${week}`,
      title,
      summary: "Talks.",
      published: inWeek(week, 1),
      html: "<p>Russia and North Korea held talks in Moscow with 30 delegates.</p>",
    });

  /** The week's item in each digest feed, read through a fresh app (a cold cache). */
  async function feedItems(week: string) {
    const { request } = makeApp([]);
    const url = `${BASE}/digests/${week}`;
    const rss = parseXml(await (await request("/digests/feed.xml")).text()).rss.channel.item;
    const atom = parseXml(await (await request("/digests/atom.xml")).text()).feed.entry;
    const json = ((await (await request("/digests/feed.json")).json()) as any).items;
    return {
      rss: rss.find((i: any) => i.link === url),
      atom: atom.find((e: any) => e.link[0]["@href"] === url),
      json: json.find((i: any) => i.url === url),
      order: {
        rss: rss.map((i: any) => i.link),
        atom: atom.map((e: any) => e.link[0]["@href"]),
        json: json.map((i: any) => i.url),
      },
    };
  }

  it("publishes a digest at its week's end, however late it was built, and moves its update time only when a rebuild changes it", async () => {
    const week = "2022-W10"; // 7–13 March 2022; ends Monday 14 March 2022 00:00 UTC
    const end = "2022-03-14T00:00:00.000Z";
    const config = parseConfig(env);
    const deps = (title: string, now: string) => ({
      ...makeDigestDeps([brief(week, title)]),
      now: () => new Date(now),
    });

    // A backfill, ten months late.
    expect(
      await buildDigest(env.DB, config, deps("Talks in Moscow", "2023-01-05T12:00:00Z"), week),
    ).toBe("created");
    const stored = (await getDigest(env.DB, week))!;
    expect(stored.createdAt).toBe("2023-01-05T12:00:00.000Z");
    expect(stored.updatedAt).toBe(end);
    let items = await feedItems(week);
    expect(items.rss.pubDate).toBe("Mon, 14 Mar 2022 00:00:00 GMT");
    expect(items.atom.published).toBe(end);
    expect(items.atom.updated).toBe(end);
    expect(items.json.date_published).toBe(end);
    expect(items.json.date_modified).toBe(end);

    // A rebuild that changes nothing leaves the dates alone.
    expect(
      await buildDigest(env.DB, config, deps("Talks in Moscow", "2023-02-01T00:00:00Z"), week, {
        rebuild: true,
      }),
    ).toBe("unchanged");
    expect((await getDigest(env.DB, week))!.updatedAt).toBe(end);
    items = await feedItems(week);
    expect(items.atom.updated).toBe(end);
    expect(items.json.date_modified).toBe(end);

    // One that changes the content is an update, at the time of the rebuild.
    expect(
      await buildDigest(
        env.DB,
        config,
        deps("Talks in Moscow, corrected", "2023-03-01T08:30:00Z"),
        week,
        {
          rebuild: true,
        },
      ),
    ).toBe("replaced");
    const replaced = (await getDigest(env.DB, week))!;
    expect(replaced.updatedAt).toBe("2023-03-01T08:30:00.000Z");
    expect(replaced.createdAt).toBe(stored.createdAt);
    expect(replaced.id).toBe(stored.id);
    items = await feedItems(week);
    expect(items.rss.pubDate).toBe("Mon, 14 Mar 2022 00:00:00 GMT");
    expect(items.atom.published).toBe(end);
    expect(items.atom.updated).toBe("2023-03-01T08:30:00.000Z");
    expect(items.json.date_published).toBe(end);
    expect(items.json.date_modified).toBe("2023-03-01T08:30:00.000Z");
    expect(items.atom.id).toBe(stored.id);
  });

  it("never dates an update before the digest's publication", async () => {
    const week = "2022-W12"; // ends Monday 28 March 2022 00:00 UTC
    const end = "2022-03-28T00:00:00.000Z";
    const config = parseConfig(env);
    const deps = (title: string, now: string) => ({
      ...makeDigestDeps([brief(week, title)]),
      now: () => new Date(now),
    });
    // Built, then rebuilt with new content, while the week was still running.
    expect(await buildDigest(env.DB, config, deps("Talks", "2022-03-23T09:00:00Z"), week)).toBe(
      "created",
    );
    expect((await getDigest(env.DB, week))!.updatedAt).toBe(end);
    expect(
      await buildDigest(env.DB, config, deps("Talks, corrected", "2022-03-24T09:00:00Z"), week, {
        rebuild: true,
      }),
    ).toBe("replaced");
    expect((await getDigest(env.DB, week))!.updatedAt).toBe(end);
    const items = await feedItems(week);
    expect(items.atom.published).toBe(end);
    expect(items.atom.updated).toBe(end);
  });

  it("lists the newest week first in every digest feed and the archive, whatever order they were built in", async () => {
    const config = parseConfig(env);
    const weeks = ["2022-W20", "2022-W18", "2022-W19"];
    for (const week of weeks)
      expect(await buildDigest(env.DB, config, makeDigestDeps([brief(week)]), week)).toBe(
        "created",
      );
    const { order } = await feedItems("2022-W20");
    const mine = ["2022-W20", "2022-W19", "2022-W18"].map((w) => `${BASE}/digests/${w}`);
    for (const links of [order.rss, order.atom, order.json]) {
      expect(links.filter((l: string) => mine.includes(l))).toEqual(mine);
      // The whole feed, not just these weeks, runs newest first.
      expect([...links].sort().reverse()).toEqual(links);
    }
    const archive = await (await makeApp([]).request("/digests")).text();
    const listed = (await htmlLinks(archive, "article.card h2 a")).map((l) => l.href);
    expect(listed.filter((l) => mine.includes(l))).toEqual(mine);
  });

  it("says on the digest page and in the archive when the digest was published", async () => {
    const week = "2022-W22"; // ends Monday 6 June 2022
    const config = parseConfig(env);
    await buildDigest(
      env.DB,
      config,
      { ...makeDigestDeps([brief(week)]), now: () => new Date("2023-05-01T00:00:00Z") },
      week,
    );
    const { request } = makeApp([]);
    const page = await (await request(`/digests/${week}`)).text();
    expect(await htmlText(page, "article.body > p.meta")).toContain(
      `${week} (UTC) · published 6 June 2022 · 1 article`,
    );
    expect(page).toContain('published <time datetime="2022-06-06T00:00:00Z">6 June 2022</time>');
    // A one-article week: who was active is its actors, without counts.
    expect(await htmlTexts(page, "li")).toContain("North Korea, Russia");
    expect(page).not.toContain("together in");
    const archive = await (await request("/digests")).text();
    expect(await htmlTexts(archive, "article.card p.meta")).toContain(
      `${week} · 1 article · published 6 June 2022`,
    );
  });
});

describe("digest routes", () => {
  function w43(): Article[] {
    return [
      makeArticle({
        slug: "nis-report",
        title: "Deployment reported",
        published: "2024-10-23T08:00:00Z",
        sourceUrl: "https://example.com/nis-report",
        editorNote: "The source gives the unit as a brigade; the NIS said special forces.",
        html: `<p>${DEPLOYMENT}</p>`,
      }),
      makeArticle({
        slug: "naval-drills",
        title: "Joint drills",
        published: "2024-10-22T10:00:00Z",
        dateApproximate: true,
        html: "<p>China and Russia held joint naval drills in the Sea of Okhotsk on 22 October, with 12 warships taking part.</p>",
      }),
    ];
  }

  it("serve the archive, the web version, the emails and the digest feeds", async () => {
    const articles = w43();
    const { request, env: appEnv } = makeApp(articles);
    expect(
      await buildDigest(appEnv.DB, parseConfig(appEnv), makeDigestDeps(articles), "2024-W43"),
    ).toBe("created");

    const archive = await request("/digests");
    expect(archive.status).toBe(200);
    const archiveHtml = await archive.text();
    expect(archiveHtml).toMatch(
      new RegExp(`<a href="${BASE}/digests/2024-W43">21\\s–\\s27 October 2024</a>`, "u"),
    );
    expect(archiveHtml).toContain(
      `type="application/rss+xml" title="Axis Dispatch: weekly digest (RSS)" href="${BASE}/digests/feed.xml"`,
    );

    const page = await request("/digests/2024-W43");
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain("Key developments");
    expect(await htmlTexts(pageHtml, "li")).toContain(`${DEPLOYMENT_23_OCTOBER} (Test Wire)`);
    // The item says "1,500 North Korean special forces" itself: Key figures does not repeat it.
    expect(pageHtml).not.toContain("1,500 North Korean special forces (claimed by Test Wire)");
    expect(await htmlTexts(pageHtml, "h2")).not.toContain("Key figures");
    expect(pageHtml).toContain(`href="${BASE}/articles/nis-report"`);
    expect(pageHtml).toContain(`href="${BASE}/articles/naval-drills"`);
    // Each brief with its date (labelled when estimated), editor's note and original.
    const items = await htmlTexts(pageHtml, "li");
    expect(items).toContain(
      `Deployment reported · Test Wire · Wed, 23 Oct 2024${articles[0]!.summary}` +
        "Editor’s note: The source gives the unit as a brigade; the NIS said special forces." +
        "Read the original at Test Wire",
    );
    expect(items).toContain(
      `Joint drills · Test Wire · Tue, 22 Oct 2024 (approximate date)${articles[1]!.summary}`,
    );
    expect(await htmlLinks(pageHtml)).toContainEqual({
      href: "https://example.com/nis-report",
      text: "Test Wire",
    });

    const email = await request("/digests/2024-W43/email.html");
    expect(email.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const emailHtml = await email.text();
    expect(emailHtml).toContain('<html lang="en"');
    expect(emailHtml).toContain(`${BASE}/unsubscribe`);
    expect(emailHtml).not.toContain("\u001a");
    const text = await request("/digests/2024-W43/email.txt");
    expect(text.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    const plain = await text.text();
    expect(plain).not.toContain("KEY FIGURES");
    expect(plain).toContain("  Test Wire · Tue, 22 Oct 2024 (approximate date)\n");
    expect(plain).toContain("  Read the original at Test Wire: https://example.com/nis-report\n");

    const rss = parseXml(await (await request("/digests/feed.xml")).text()).rss.channel;
    const item = rss.item.find((i: any) => i.link === `${BASE}/digests/2024-W43`);
    expect(item.guid["#text"]).toMatch(/^urn:uuid:/);
    expect(item["content:encoded"]).toContain("Key developments");
    expect(item["content:encoded"]).toContain("Who was active");
    const json = (await (await request("/digests/feed.json")).json()) as any;
    expect(json.items.find((i: any) => i.url === `${BASE}/digests/2024-W43`).title).toContain(
      "2024-W43",
    );
  });

  it("answer conditional requests and HEAD like the article feeds", async () => {
    const articles = [
      makeArticle({ slug: "w42", published: "2024-10-15T08:00:00Z", html: `<p>${DEPLOYMENT}</p>` }),
    ];
    const { request, env: appEnv } = makeApp(articles);
    await buildDigest(appEnv.DB, parseConfig(appEnv), makeDigestDeps(articles), "2024-W42");
    for (const path of [
      "/digests",
      "/digests/feed.xml",
      "/digests/2024-W42",
      "/digests/2024-W42/email.html",
    ]) {
      const res = await request(path);
      const etag = res.headers.get("ETag")!;
      expect(etag, path).toMatch(/^"[0-9a-f]{32}"$/);
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
      const again = await request(path, { headers: { "If-None-Match": etag } });
      expect(again.status, path).toBe(304);
      const head = await request(path, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
    }
  });

  it("answer an empty or unknown week with 404 and a malformed one with 400", async () => {
    const { request } = makeApp(w43());
    const empty = await request("/digests/2024-W44");
    expect(empty.status).toBe(404);
    expect(await empty.text()).toContain("There is no digest for 2024-W44");
    for (const bad of ["2024-W99", "2024-W53", "last-week"]) {
      const res = await request(`/digests/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(await res.text()).toContain("is not an ISO week: expected YYYY-Www");
      expect((await request(`/digests/${bad}/email.html`)).status).toBe(400);
    }
  });

  it("read a digest stored before stories, claims and actor lists existed", async () => {
    const week = "2020-W10"; // 2–8 March 2020
    const old = {
      week,
      timeZone: "UTC",
      start: "2020-03-02T00:00:00.000Z",
      end: "2020-03-09T00:00:00.000Z",
      developments: [
        {
          text: "Russia and North Korea signed a rail agreement on 3 March 2020.",
          articleSlug: "old-rail",
          articleId: "urn:uuid:00000000-0000-4000-8000-999999999991",
          articleTitle: "Rail agreement",
          source: "Old Wire",
        },
      ],
      pairs: [{ names: ["Russia", "North Korea"], ids: ["russia", "north-korea"], articles: 2 }],
      figures: [
        {
          text: "300 wagons",
          articleSlug: "old-rail",
          articleId: "urn:uuid:00000000-0000-4000-8000-999999999991",
        },
      ],
      articles: [
        {
          id: "urn:uuid:00000000-0000-4000-8000-999999999991",
          slug: "old-rail",
          title: "Rail agreement",
          source: "Old Wire",
          published: "2020-03-03T10:00:00Z",
          summary: "A rail agreement.",
        },
      ],
      summaryWords: 20,
    };
    await env.DB.prepare(
      `INSERT INTO digests (week, id, status, created_at, updated_at, time_zone, article_count, summary_json, html, text, content_hash)
       VALUES (?1, 'urn:uuid:00000000-0000-4000-8000-999999999990', 'sent', '2020-03-09T06:00:00.000Z', '2020-03-09T06:00:00.000Z', 'UTC', 1, ?2, '<html lang="en"></html>', 'old', 'old-hash')`,
    )
      .bind(week, JSON.stringify(old))
      .run();

    const stored = (await getDigest(env.DB, week))!;
    expect(stored.summary.pairs).toEqual([
      { names: ["Russia", "North Korea"], ids: ["russia", "north-korea"], mentions: 2 },
    ]);
    expect(stored.summary.developments[0]!.story).toBeNull();
    expect(stored.summary.actors).toEqual([]);
    expect(stored.summary.articles[0]).toMatchObject({
      sourceUrl: null,
      dateApproximate: false,
      editorNote: null,
    });

    const { request } = makeApp([]);
    const page = await request(`/digests/${week}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(await htmlTexts(html, "li")).toContain("Russia – North Korea: together in 2 items");
    expect(html).toContain("Russia and North Korea signed a rail agreement on 3 March 2020.");
    expect(html).not.toContain("Developing story");
    const rss = parseXml(await (await request("/digests/feed.xml")).text()).rss.channel;
    const item = rss.item.find((i: any) => i.link === `${BASE}/digests/${week}`);
    expect(item["content:encoded"]).toContain("together in 2 items");
  });

  it("keep hostile article text inert in the page, the emails and the feed", async () => {
    const hostile = makeArticle({
      slug: "hostile",
      published: "2023-03-01T10:00:00Z",
      title: `<script>alert("t")</script> ]]> \u202Egnp.exe`,
      summary: `"><img src=x onerror=alert(1)>`,
      editorNote: `<script>note()</script>`,
      story: "<b>story</b>",
      claims: [makeClaim({ claimant: `<img src=y onerror=alert(2)>` })],
      html: `<p>Russia sent &lt;script&gt;alert(1)&lt;/script&gt; 500 troops ]]&gt; to North Korea on Monday \u0007 after talks.</p>`,
    });
    const { request, env: appEnv } = makeApp([hostile]);
    await buildDigest(appEnv.DB, parseConfig(appEnv), makeDigestDeps([hostile]), "2023-W09");
    for (const path of ["/digests/2023-W09", "/digests/2023-W09/email.html"]) {
      const body = await (await request(path)).text();
      expect(body, path).not.toMatch(/<script>alert|<script>note|<img src=|\u202E|\u0007/);
      expect(body, path).toContain("&lt;script&gt;");
    }
    const text = await (await request("/digests/2023-W09/email.txt")).text();
    expect(text).not.toMatch(/[\u202E\u0007]/);
    const rss = await (await request("/digests/feed.xml")).text();
    const item = parseXml(rss).rss.channel.item.find((i: any) =>
      i.link.endsWith("/digests/2023-W09"),
    );
    // The item's content is HTML: the markup must arrive as text, not as elements.
    expect(item["content:encoded"]).not.toMatch(/<script|<img/);
    expect(item["content:encoded"]).toContain("&lt;script&gt;");
  });
});
