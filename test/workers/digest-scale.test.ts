/**
 * Digests at scale: a week of 1,000 articles is built by one run of the weekly cron job, its
 * email in compact mode and under Gmail's clipping size with the longest slots filled in. (Its
 * time is measured in Node by `npm run bench`, digest section: workerd's clock stands still
 * between I/O.)
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { digestEmailLinks } from "../../src/digest/email/links.ts";
import { HTML_BUDGET_BYTES } from "../../src/digest/email/budget.ts";
import { renderDigestEmail } from "../../src/digest/email/render.ts";
import { fillRecipientSlots } from "../../src/digest/email/slots.ts";
import { runWeeklyDigest } from "../../src/digest/service.ts";
import { getDigest } from "../../src/digest/store.ts";
import { weekRange } from "../../src/lib/time.ts";
import { makeArticle, makeDigestDeps } from "../helpers/fixtures.ts";

const WEEK = "2023-W45";
const SOURCES = ["Asia Times", "Reuters", "NK News", "Yonhap", "Kyiv Independent"];
const PLACES = ["Vladivostok", "Pyongyang", "Moscow", "Seoul", "Kyiv", "Beijing"];

/** `n` articles spread over WEEK, each with a summary and two paragraphs naming watch-list actors. */
function weekOf(n: number) {
  const { start } = weekRange(WEEK, "UTC");
  return Array.from({ length: n }, (_, i) => {
    const place = PLACES[i % PLACES.length]!;
    return makeArticle({
      slug: `scale-${i}`,
      title: `Shipments through ${place} draw new scrutiny, report ${i} says`,
      source: SOURCES[i % SOURCES.length]!,
      sourceUrl: i % 3 === 0 ? `https://news.example/${i}` : null,
      published: new Date(start.getTime() + 3_600_000 + (i * 160 * 3_600_000) / n).toISOString(),
      summary: `North Korea and Russia moved artillery shells through ${place}, officials said in report ${i}; the shipments continued for a third week, according to the report.`,
      html: `<p>North Korean troops arrived in ${place} on 6 November 2023, Ukraine's intelligence said in report ${i}.</p><p>Russia and North Korea signed a logistics agreement, the report said.</p>`,
    });
  });
}

describe("digests at scale", () => {
  it("a week of 1,000 articles is built in one run of the cron job, compact and under Gmail's clipping size", async () => {
    const config = parseConfig(env);
    const articles = weekOf(1000);
    const { week, outcome } = await runWeeklyDigest(
      env.DB,
      config,
      makeDigestDeps(articles),
      Date.parse("2023-11-13T06:00:00Z"),
    );
    expect({ week, outcome }).toEqual({ week: WEEK, outcome: "created" });

    const stored = (await getDigest(env.DB, WEEK))!;
    expect(stored.articleCount).toBe(1000);
    expect(stored.summary.articles).toHaveLength(1000);
    // What the cron stored is what rendering the stored summary gives.
    const email = renderDigestEmail(stored.summary, digestEmailLinks(config, WEEK));
    expect(email.compact).toBe(true);
    expect(stored.html).toBe(email.html);
    expect(stored.text).toBe(email.text);

    // Filled with a 300-character unsubscribe URL and a 100-character BASE_URL: within the budget.
    const filled = fillRecipientSlots(stored.html, "html", {
      unsubscribeUrl: `https://${"u".repeat(292)}`,
      baseUrl: `https://${"b".repeat(92)}`,
    });
    expect(new TextEncoder().encode(filled).byteLength).toBeLessThanOrEqual(HTML_BUDGET_BYTES);

    const shown = /Articles: top (\d+) of 1000/.exec(stored.html);
    expect(shown).not.toBeNull();
    const n = Number(shown![1]);
    expect(n).toBeGreaterThan(50);
    expect(stored.html).toContain(`${1000 - n} more articles in the web version`);
    expect(stored.text).toContain(`${1000 - n} more articles in the web version: `);
    // The articles shown are the first n of the week's, newest first.
    const articlesPart = stored.text.slice(stored.text.indexOf("THIS WEEK'S ARTICLES"));
    const listed = [...articlesPart.matchAll(/\/articles\/(scale-\d+)\n/g)].map((m) => m[1]);
    expect(listed).toEqual(stored.summary.articles.slice(0, n).map((a) => a.slug));
  });
});
