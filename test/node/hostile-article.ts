/**
 * Random articles with hostile text in every field a writer fills in (title, source, summary,
 * authors, key points, claims, notes, the original's author), for the feed properties. The
 * fields the content build constrains to a form (slug and tags: kebab case; id: a UUID URN;
 * dates: RFC 3339; source_url: an http(s) URL) take random values of that form; `html` is the
 * caller's, since what a body may hold depends on where it comes from.
 */
import fc from "fast-check";
import type { Article, Claim } from "../../src/model/article.ts";
import { hostileText } from "./properties.ts";

const kebab = fc.stringMatching(/^[a-z0-9]{1,6}(?:-[a-z0-9]{1,6}){0,2}$/);

const claim: fc.Arbitrary<Claim> = fc.record({
  figure: hostileText({ minLength: 1 }),
  counts: hostileText({ minLength: 1 }),
  claimant: hostileText({ minLength: 1 }),
  status: fc.constantFrom("claimed", "confirmed", "denied"),
  subject: fc.constant(null),
  by: fc.option(hostileText({ minLength: 1 })),
});

export function hostileArticle(html: fc.Arbitrary<string>): fc.Arbitrary<Article> {
  return fc.record({
    id: fc.uuid({ version: 4 }).map((u) => `urn:uuid:${u}`),
    slug: kebab,
    title: hostileText({ minLength: 1 }),
    published: fc
      .date({
        min: new Date("2000-01-01T00:00:00Z"),
        max: new Date("2030-01-01T00:00:00Z"),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().replace(/\.\d{3}Z$/, "Z")),
    updated: fc.constant(null),
    dateNote: fc.option(hostileText({ minLength: 1 })),
    dateApproximate: fc.boolean(),
    source: hostileText({ minLength: 1 }),
    sourceUrl: fc.option(fc.webUrl({ validSchemes: ["https", "http"] })),
    sourceAuthor: fc.option(hostileText({ minLength: 1 })),
    authors: fc.array(hostileText({ minLength: 1 }), { maxLength: 3 }),
    editorNote: fc.option(hostileText({ minLength: 1 })),
    keyPoints: fc.array(hostileText({ minLength: 1 }), { maxLength: 4 }),
    claims: fc.array(claim, { maxLength: 2 }),
    story: fc.constant(null),
    tags: fc.uniqueArray(kebab, { minLength: 1, maxLength: 3 }),
    summary: hostileText({ minLength: 1 }),
    html,
  });
}

/** A few hostile articles with distinct ids and slugs, as one feed holds them. */
export function hostileArticles(html: fc.Arbitrary<string>): fc.Arbitrary<Article[]> {
  return fc
    .uniqueArray(hostileArticle(html), {
      minLength: 1,
      maxLength: 3,
      selector: (a) => a.slug,
    })
    .filter((list) => new Set(list.map((a) => a.id)).size === list.length);
}
