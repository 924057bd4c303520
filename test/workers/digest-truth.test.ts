/**
 * A digest that says only what is true (issue 16): figures side by side only when they count
 * the same thing, no figure said twice, old news marked with the week that had it and put after
 * the new, a lead line that stands alone, and "Who was active" counting who acts in the items
 * shown. Fixture articles only (test/helpers/fixtures.ts); each test says what broke.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { digestLinks } from "../../src/digest/email/links.ts";
import { renderDigestEmail } from "../../src/digest/email/render.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { digestSummaryHtml } from "../../src/digest/summary-html.ts";
import { findFigures } from "../../src/digest/summary/figures.ts";
import { type DigestSummary, upgradeSummary } from "../../src/digest/summary/model.ts";
import { summarizeWeek } from "../../src/digest/summary/summarize-week.ts";
import { ExtractiveSummarizer } from "../../src/digest/summary/summarizer.ts";
import { weekRange } from "../../src/lib/time.ts";
import type { Article, Story } from "../../src/model/article.ts";
import { makeActors, makeApp, makeArticle, makeClaim } from "../helpers/fixtures.ts";
import { htmlLinks, htmlTexts } from "../helpers/html.ts";
import { parseXml } from "../helpers/xml.ts";

const BASE = "http://localhost:8787";
const STORY: Story = { id: "nk-troops-russia", title: "North Korean troops in Russia" };

function summarize(week: string, list: readonly Article[]) {
  return summarizeWeek({
    week,
    timeZone: "UTC",
    articles: list,
    actors: makeActors(),
    summarizer: new ExtractiveSummarizer(),
    storyTitles: new Map([[STORY.id, STORY.title]]),
  }) as Promise<DigestSummary>;
}

/** An instant `days` days into `week` (UTC), as RFC 3339. */
const inWeek = (week: string, days: number) =>
  new Date(weekRange(week, "UTC").start.getTime() + days * 86_400_000 + 36_000_000).toISOString();

const links = (week: string) => digestLinks(parseConfig(env), week);
const texts = (s: DigestSummary) => s.developments.map((d) => d.text);
const RIVALS = "Different parties give different figures:";

describe("key figures", () => {
  it("are not rivals when they count different things, even under one subject (regression: a first shipment, troops preparing and a planned total were shown as rival estimates)", async () => {
    const subject = "nk-troops-for-russia";
    const seoul = makeArticle({
      published: inWeek("2024-W42", 3),
      keyPoints: [
        "South Korea's National Intelligence Service said on 18 October 2024 that Russian ships had carried North Korean special forces to Vladivostok.",
        "Ukrainian President Volodymyr Zelenskyy said on 17 October 2024 that North Korean troops were preparing to join Russian forces.",
      ],
      claims: [
        makeClaim({ counts: "North Korean special forces carried to Vladivostok", subject }),
        makeClaim({
          figure: "10,000",
          counts: "North Korean troops preparing to join Russian forces",
          claimant: "Ukrainian President Volodymyr Zelenskyy",
          subject,
        }),
        makeClaim({
          figure: "12,000",
          counts: "North Korean troops to be sent to Russia in all",
          claimant: "South Korean media",
          subject,
        }),
      ],
    });
    const s = await summarize("2024-W42", [seoul]);
    expect(s.figures.map((f) => f.text)).toEqual([
      "1,500 North Korean special forces carried to Vladivostok",
      "10,000 North Korean troops preparing to join Russian forces",
      "12,000 North Korean troops to be sent to Russia in all",
    ]);
    const { html, text } = renderDigestEmail(s, links("2024-W42"));
    expect(await htmlTexts(html, "p")).not.toContain(RIVALS);
    expect(text).not.toContain(RIVALS);
    const web = await digestSummaryHtml(s, links("2024-W42"));
    expect((await htmlTexts(web, "li")).join("\n")).not.toContain(RIVALS);
  });

  it("are rivals when different parties count the same thing, and then shown side by side", async () => {
    const subject = "nk-troops-in-russia";
    const counts = "North Korean troops in Russia";
    const list = [
      makeArticle({
        published: inWeek("2024-W44", 1),
        keyPoints: [
          "South Korea's National Intelligence Service said on 29 October 2024 that North Korean troops had reached Kursk.",
          "Japan protested on 29 October 2024 to China over a coast guard incident near the Senkaku islands.",
        ],
        claims: [
          makeClaim({ counts, subject }),
          makeClaim({ figure: "12", counts: "coast guard ships", claimant: "Japan" }),
        ],
      }),
      makeArticle({
        published: inWeek("2024-W44", 2),
        keyPoints: [
          "Ukraine's defence intelligence said on 30 October 2024 that North Korean troops were training in Russia's Far East.",
        ],
        claims: [
          makeClaim({
            figure: "3,000",
            counts,
            claimant: "Ukraine's defence intelligence",
            subject,
          }),
        ],
      }),
    ];
    const s = await summarize("2024-W44", list);
    const { html } = renderDigestEmail(s, links("2024-W44"));
    const ps = await htmlTexts(html, "p");
    const at = ps.indexOf(RIVALS);
    expect(ps.slice(at, at + 3)).toEqual([
      RIVALS,
      "3,000 North Korean troops in Russia (claimed by Ukraine's defence intelligence)",
      "1,500 North Korean troops in Russia (claimed by South Korea's National Intelligence Service)",
    ]);
    expect(ps.filter((p) => p === RIVALS)).toHaveLength(1);
  });

  it("leave out a figure an item already states (regression: 1,500, 10,000 and 12,000 were items 1 to 3 and Key figures again)", async () => {
    const a = makeArticle({
      published: inWeek("2024-W42", 3),
      keyPoints: [
        "South Korea's National Intelligence Service said on 18 October 2024 that Russian ships had carried 1,500 North Korean special forces to Vladivostok.",
        "Japan said on 18 October 2024 that Chinese and Russian warships had sailed together near Hokkaido.",
      ],
      claims: [
        makeClaim({ counts: "North Korean special forces carried to Vladivostok" }),
        makeClaim({ figure: "11", counts: "Chinese and Russian warships", claimant: "Japan" }),
      ],
    });
    const s = await summarize("2024-W42", [a]);
    expect(texts(s)[0]).toContain("1,500 North Korean special forces");
    expect(s.figures.map((f) => f.text)).toEqual(["11 Chinese and Russian warships"]);
    const { text } = renderDigestEmail(s, links("2024-W42"));
    expect(text.match(/1,500/g)).toHaveLength(1);
  });

  it("are counts of something: '3 official' is not one (regression: a bogus key figure '3 official')", () => {
    expect(findFigures("Pyongyang sent 3 official delegations to Moscow in 2024.")).toEqual([
      { text: "3 official delegations", value: "3" },
    ]);
    expect(findFigures("Seoul named 3 official at the talks in May 2024.")).toEqual([]);
    expect(findFigures("The 3 official said on 2 May 2024 that it was over.")).toEqual([]);
    expect(findFigures("Russia sent 1 official to Pyongyang on 2 May 2024.")).toEqual([
      { text: "1 official", value: "1" },
    ]);
  });
});

/** A story with a brief in week 42, and week 43 with one brief that says one thing again. */
function storyWeeks() {
  const earlier = makeArticle({
    slug: "w42-nis",
    published: inWeek("2024-W42", 4),
    story: STORY.id,
    keyPoints: [
      "South Korea's National Intelligence Service said on 18 October 2024 that Russian navy ships carried 1,500 North Korean special forces to Vladivostok.",
      "Ukraine said on 17 October 2024 that North Korean soldiers were being issued Russian uniforms.",
    ],
  });
  const later = makeArticle({
    slug: "w43-yoon",
    published: inWeek("2024-W43", 1),
    story: STORY.id,
    keyPoints: [
      "South Korea's National Intelligence Service reported on 18 October 2024 that about 1,500 North Korean special forces had been sent to Russia's Far East.",
      "Kim Jong Un told troops on 17 October 2024 that force used against South Korea would target a hostile country.",
      "Russia and North Korea ratified their defence treaty in Moscow on 24 October 2024.",
    ],
    summary:
      "Russia and North Korea ratified their defence treaty in Moscow on 24 October 2024, as Seoul said North Korean troops were in Russia.",
  });
  return { earlier, later, all: [earlier, later] };
}

describe("news an earlier digest already had", () => {
  it("is marked with that week and comes after the new news (regression: W43 repeated W42 unmarked, first)", async () => {
    const { all } = storyWeeks();
    const s = await summarize("2024-W43", all);
    expect(s.developments.map((d) => [d.text.slice(0, 30), d.reportedIn])).toEqual([
      ["Kim Jong Un told troops on 17 ", null],
      ["Russia and North Korea ratifie", null],
      ["South Korea's National Intelli", "2024-W42"],
    ]);

    const { html, text } = renderDigestEmail(s, links("2024-W43"));
    expect(text).toContain(
      "had been sent to Russia's Far East.\n" +
        `  (reported in Week 42, 2024: ${BASE}/digests/2024-W42)\n`,
    );
    // The new items carry no such mark.
    expect(text.match(/reported in Week/g)).toHaveLength(1);
    const ps = await htmlTexts(html, "p");
    expect(ps.find((p) => p.includes("Russia's Far East."))).toMatch(
      /Russia's Far East\.\s*Read\u00a0→\s*Test Wire · reported in Week 42, 2024$/,
    );
    expect(await htmlLinks(html)).toContainEqual({
      href: `${BASE}/digests/2024-W42`,
      text: "Week 42, 2024",
    });
    // The story is introduced once: its three items are one run.
    expect(ps.filter((p) => p.startsWith("Developing story:"))).toHaveLength(1);

    const web = await digestSummaryHtml(s, links("2024-W43"));
    const items = await htmlTexts(web, "ol > li");
    expect(items[2]).toMatch(/Russia's Far East\. \(Test Wire\) \(reported in Week 42, 2024\)$/);
    expect(items.slice(0, 2).join()).not.toContain("reported in");
  });

  it("is marked on the web page and in the feeds as in the email", async () => {
    const { all } = storyWeeks();
    const { request, env: appEnv } = makeApp(all, {}, [STORY]);
    const config = parseConfig(appEnv);
    const { makeDigestDeps } = await import("../helpers/fixtures.ts");
    expect(await buildDigest(appEnv.DB, config, makeDigestDeps(all, [STORY]), "2024-W43")).toBe(
      "created",
    );
    const page = await (await request("/digests/2024-W43")).text();
    expect((await htmlTexts(page, "ol > li")).filter((t) => t.includes("reported in"))).toEqual([
      expect.stringMatching(/Far East\. \(Test Wire\) \(reported in Week 42, 2024\)$/),
    ]);
    const rss = parseXml(await (await request("/digests/feed.xml")).text()).rss.channel;
    const items = Array.isArray(rss.item) ? rss.item : [rss.item];
    const item = items.find((i: any) => i.link === `${BASE}/digests/2024-W43`);
    const content = await htmlTexts(item["content:encoded"], "ol > li");
    expect(content.filter((t) => t.includes("reported in Week 42, 2024"))).toHaveLength(1);
  });

  it("reintroduces its story when the story's repeats follow another story's news, listing the earlier weeks once", async () => {
    const { earlier } = storyWeeks();
    const inStory = (slug: string, keyPoint: string) =>
      makeArticle({
        slug,
        published: inWeek("2024-W43", 1),
        story: STORY.id,
        keyPoints: [keyPoint],
      });
    const fresh = inStory(
      "w43-treaty",
      "Russia and North Korea ratified their defence treaty in Moscow on 24 October 2024, China's state media reported.",
    );
    const again = inStory(
      "w43-nis",
      "South Korea's National Intelligence Service reported on 18 October 2024 that about 1,500 North Korean special forces had been sent to Russia's Far East.",
    );
    const other = makeArticle({
      slug: "w43-drills",
      published: inWeek("2024-W43", 2),
      story: "drills",
      keyPoints: [
        "China held naval drills in the Sea of Japan on 23 October 2024.",
        "Japan protested to China on 24 October 2024 over the drills near Hokkaido.",
      ],
    });
    const all = [earlier, fresh, again, other];
    const s = await summarizeWeek({
      week: "2024-W43",
      timeZone: "UTC",
      articles: [...all, other],
      actors: makeActors(),
      summarizer: new ExtractiveSummarizer(),
      storyTitles: new Map([
        [STORY.id, STORY.title],
        ["drills", "Joint drills"],
      ]),
    });
    const order = s!.developments.map((d) => `${d.story?.id ?? "-"} ${d.reportedIn ?? "new"}`);
    expect(order).toEqual([`${STORY.id} new`, "drills new", "drills new", `${STORY.id} 2024-W42`]);
    const { text } = renderDigestEmail(s!, links("2024-W43"));
    const intros = text.split("\n").filter((l) => l.startsWith("DEVELOPING STORY:"));
    expect(intros).toEqual([
      `DEVELOPING STORY: ${STORY.title}`,
      "DEVELOPING STORY: Joint drills",
      `DEVELOPING STORY: ${STORY.title}`,
    ]);
    expect(text.match(/Earlier: Week 42, 2024/g)).toHaveLength(1);
  });

  it("in a digest stored before repeats were marked is read as unmarked, and its figures as nobody's rivals", () => {
    const stored = {
      week: "2024-W43",
      timeZone: "UTC",
      start: "2024-10-21T00:00:00.000Z",
      end: "2024-10-28T00:00:00.000Z",
      developments: [
        {
          text: "Russia and North Korea ratified their defence treaty on 24 October 2024.",
          articleSlug: "a",
          articleId: "urn:uuid:a",
          articleTitle: "A",
          source: "Wire",
          story: null,
        },
      ],
      pairs: [],
      actors: [],
      // Grouped by subject alone when stored: nobody recorded what each counts.
      figures: ["1,500 special forces", "12,000 troops planned"].map((text) => ({
        text,
        claimant: text.startsWith("1,500") ? "the NIS" : "South Korean media",
        status: "claimed",
        by: null,
        subject: "nk-troops",
        articleSlug: "a",
        articleId: "urn:uuid:a",
      })),
      articles: [],
      summaryWords: 10,
    } as unknown as DigestSummary;
    const upgraded = upgradeSummary(stored);
    expect(upgraded.developments[0]!.reportedIn).toBeNull();
    expect(upgraded.figures.map((f) => f.counts)).toEqual([null, null]);
    // Not shown as rival estimates: that they count the same thing was never said.
    const { text } = renderDigestEmail(upgraded, links("2024-W43"));
    expect(text).toContain("* 12,000 troops planned (claimed by South Korean media)");
    expect(text).not.toContain(RIVALS);
  });
});

describe("the lead line (preheader, feed teaser, page description)", () => {
  const leaning =
    "South Korean President Yoon Suk Yeol held an emergency security meeting after the NIS report of 18 October 2024; his office called the deployment a threat to South Korea and the world.";
  const standalone =
    "Kim Jong Un told troops on 17 October 2024 that force used against South Korea would target a hostile country.";

  it("is the first item only if it stands alone (regression: the preheader said 'the NIS report… the deployment' without saying what either was)", async () => {
    const a = makeArticle({
      slug: "yoon",
      published: inWeek("2024-W43", 1),
      keyPoints: [leaning, standalone],
    });
    const s = await summarize("2024-W43", [a]);
    expect(texts(s)[0]).toBe(leaning);
    const { html } = renderDigestEmail(s, links("2024-W43"));
    const preheader = /<body[^>]*>\s*<div style="display:none;[^"]*">([^<]*)<\/div>/.exec(
      html,
    )?.[1];
    expect(await htmlTexts(`<p>${preheader}</p>`, "p")).toEqual([standalone]);

    const { request, env: appEnv } = makeApp([a]);
    const { makeDigestDeps } = await import("../helpers/fixtures.ts");
    await buildDigest(appEnv.DB, parseConfig(appEnv), makeDigestDeps([a]), "2024-W43");
    const json = (await (await request("/digests/feed.json")).json()) as {
      items: { url: string; summary: string }[];
    };
    expect(json.items.find((i) => i.url === `${BASE}/digests/2024-W43`)!.summary).toBe(standalone);
  });

  it("is not news an earlier week had, and falls back to the brief's summary when no item stands alone", async () => {
    const { all, later } = storyWeeks();
    const s = await summarize("2024-W43", all);
    const lead = (x: DigestSummary) => {
      const { html } = renderDigestEmail(x, links("2024-W43"));
      return /<body[^>]*>\s*<div style="display:none;[^"]*">([^<]*)<\/div>/.exec(html)?.[1];
    };
    // Only the repeated item and one leaning on outside text: the summary of the week's brief.
    const repeatFirst: DigestSummary = {
      ...s,
      developments: [
        s.developments.find((d) => d.reportedIn !== null)!,
        { ...s.developments[0]!, text: leaning },
      ],
    };
    expect(lead(repeatFirst)).toBe(later.summary);
  });
});

describe("who was active", () => {
  it("counts the actors acting in the items, not the nationality of someone commenting nor what they speak about (regression: W06 listed the commentators' countries)", async () => {
    const a = makeArticle({
      published: inWeek("2015-W06", 1),
      keyPoints: [
        "South Korean analyst Yune Hyeong-jin said in early 2015 that Russia was unlikely to help modernise North Korean weapons.",
        "Former Japanese ambassador to Ukraine Taro Yamada said in early 2015 that Moscow may be courting Pyongyang's military to show it is not isolated over Ukraine.",
        "Carl Schuster, a retired Japanese navy captain, said in February 2015 that Russia and North Korea would drill at sea.",
      ],
    });
    const s = await summarize("2015-W06", [a]);
    expect(s.developments).toHaveLength(3);
    expect(s.actors).toEqual(["North Korea", "Russia"]);
  });

  it("still counts an official speaking for a state", async () => {
    const a = makeArticle({
      published: inWeek("2015-W06", 1),
      keyPoints: [
        "South Korea's defence ministry said on 3 February 2015 that Russia and North Korea had held talks.",
        "A Chinese foreign ministry spokesman said on 4 February 2015 that Beijing had no objection.",
      ],
    });
    const s = await summarize("2015-W06", [a]);
    expect([...s.actors].sort()).toEqual(["China", "North Korea", "Russia", "South Korea"]);
  });
});
