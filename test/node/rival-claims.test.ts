/**
 * Claims that share a subject are printed side by side as rival estimates ("Different parties
 * give different figures"), so the build holds them to counting the same thing. Regression:
 * a brief gave 1,500 (a first shipment), 10,000 (troops preparing) and 12,000 (a planned total)
 * one subject, and the digest presented three different quantities as rival estimates.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildContent } from "../../scripts/build-content.ts";
import { formatError, parseContent } from "../../scripts/content/parse.ts";

const NOW = new Date("2026-01-01T00:00:00Z");

/** A valid brief whose front matter ends with `claims`, the YAML given. */
function brief(n: number, claims: string): { path: string; text: string } {
  return {
    path: `content/brief-${n}.md`,
    text: `---
id: "urn:uuid:0a000000-0000-4000-8000-00000000000${n}"
title: "Seoul reports troops in Russia"
date: "2024-10-2${n}T12:00:00Z"
source: "Test Wire"
tags: [north-korea, russia]
summary: "South Korea's intelligence service reported troops in Russia on 18 October 2024."
claims:
${claims}
---

The body.
`,
  };
}

const claim = (figure: string, counts: string, claimant: string, subject: string | null) =>
  [
    `  - figure: "${figure}"`,
    `    counts: "${counts}"`,
    ...(subject === null ? [] : [`    subject: ${subject}`]),
    `    claimant: "${claimant}"`,
    `    status: claimed`,
  ].join("\n");

const errorsOf = (...files: { path: string; text: string }[]) =>
  parseContent(files, NOW).errors.map(formatError);

describe("claims that share a subject", () => {
  it("must count the same thing: different counts are a file:line error naming the other claim", () => {
    const errors = errorsOf(
      brief(
        1,
        [
          claim(
            "1,500",
            "North Korean special forces sent to Russia's Far East",
            "the NIS",
            "nk-troops",
          ),
          claim(
            "12,000",
            "North Korean troops to be sent to Russia in all",
            "South Korean media",
            "nk-troops",
          ),
        ].join("\n"),
      ),
      brief(
        2,
        claim(
          "10,000",
          "North Korean troops preparing to join Russian forces",
          "Kyiv",
          "nk-troops",
        ),
      ),
    );
    expect(errors).toEqual([
      `content/brief-1.md:14: claim 2 has subject "nk-troops" but counts "North Korean troops to be sent to Russia in all", while claim 1 at content/brief-1.md:9 with that subject counts "North Korean special forces sent to Russia's Far East": claims share a subject only when they are rival figures for the same thing; expected the same "counts", or a subject of its own (or none)`,
      `content/brief-2.md:9: claim 1 has subject "nk-troops" but counts "North Korean troops preparing to join Russian forces", while claim 1 at content/brief-1.md:9 with that subject counts "North Korean special forces sent to Russia's Far East": claims share a subject only when they are rival figures for the same thing; expected the same "counts", or a subject of its own (or none)`,
    ]);
  });

  it("may differ in case, spacing and apostrophes, and claims without a subject are never rivals", () => {
    expect(
      errorsOf(
        brief(
          1,
          claim("1,500", "North Korean troops in Russia's Far East", "the NIS", "nk-troops"),
        ),
        brief(
          2,
          [
            claim("3,000", "north korean  troops in Russia’s Far East", "Kyiv", "nk-troops"),
            claim("12,000", "North Korean troops to be sent in all", "South Korean media", null),
          ].join("\n"),
        ),
      ),
    ).toEqual([]);
  });

  it("stop the build, which names the files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "axis-rivals-"));
    writeFileSync(join(dir, "actors.yaml"), "actors: []\n");
    const a = brief(1, claim("1,500", "special forces sent", "the NIS", "nk-troops"));
    const b = brief(2, claim("12,000", "troops planned in all", "media", "nk-troops"));
    writeFileSync(join(dir, "brief-1.md"), a.text);
    writeFileSync(join(dir, "brief-2.md"), b.text);
    const result = await buildContent(dir, NOW);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /brief-2\.md:9: claim 1 has subject "nk-troops" but counts "troops planned in all", while claim 1 at .*brief-1\.md:9 /,
    );
  });
});
