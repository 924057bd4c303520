/**
 * One week (2024-W43) of two briefs for the reader-topics tests, built fresh on each call: one in
 * the story troops-to-russia (tags north-korea, russia), one not (china, russia), each with a key
 * point and a claim, so items, figures and articles can all be filtered by topic.
 */
import type { Article } from "../../src/model/article.ts";
import { makeArticle, makeClaim } from "./fixtures.ts";

export const TOPIC_STORIES = [{ id: "troops-to-russia", title: "Troops to Russia" }];

export function topicWeekArticles(): Article[] {
  return [
    makeArticle({
      slug: "troops-sent",
      title: "Special forces sent to the Far East",
      published: "2024-10-22T09:00:00Z",
      story: "troops-to-russia",
      tags: ["north-korea", "russia"],
      keyPoints: [
        "South Korea's National Intelligence Service said on 18 October 2024 that North Korea had sent 1,500 special forces to Russia's Far East.",
      ],
      claims: [makeClaim()],
    }),
    makeArticle({
      slug: "joint-drills",
      title: "Joint naval drills in the Sea of Japan",
      published: "2024-10-23T09:00:00Z",
      story: null,
      tags: ["china", "russia"],
      keyPoints: [
        "China and Russia began joint naval drills in the Sea of Japan on 21 October 2024, Russia's defence ministry said.",
      ],
      claims: [
        makeClaim({
          figure: "12",
          counts: "warships in the drills",
          claimant: "Russia's defence ministry",
        }),
      ],
    }),
  ];
}
