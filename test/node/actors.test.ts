/**
 * The watch list (content/actors.yaml) as the operator meets it: a valid list becomes the
 * summary's actors, and every bad entry stops the content build with `file:line: what is wrong:
 * what is expected`. Fixtures are written here, never read from content/.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildContent, loadContent } from "../../scripts/build-content.ts";
import { parseActors } from "../../scripts/content/actors.ts";
import { formatError } from "../../scripts/content/parse.ts";

const PATH = "content/actors.yaml";

/** The YAML of a watch list: line 1 is `actors:`, each actor's `- id:` line follows. */
function watchList(...actors: string[][]): string {
  return ["actors:", ...actors.flat()].join("\n") + "\n";
}

/** One actor's lines; `fields` replace (or, with null, drop) the defaults, in their order. */
function actor(fields: Record<string, string | null> = {}): string[] {
  const all: Record<string, string | null> = {
    id: "russia",
    name: "Russia",
    kind: "country",
    side: "axis",
    aliases: "[Russia, Moscow]",
    ...fields,
  };
  return Object.entries(all)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([key, value], i) => `${i === 0 ? "  - " : "    "}${key}: ${value}`);
}

function errorsFor(text: string): string[] {
  return parseActors({ path: PATH, text }).errors.map(formatError);
}

describe("watch list: a valid file", () => {
  it("gives each actor with its aliases trimmed and deduplicated, and part_of as partOf", () => {
    const text = [
      "# The axis",
      "actors:",
      "  - id: north-korea",
      "    name: North Korea",
      "    kind: country",
      "    side: axis",
      '    aliases: [North Korea, DPRK, " Pyongyang ", DPRK]',
      "  - id: kim-jong-un",
      "    name: Kim Jong Un",
      "    kind: leader",
      "    side: axis",
      "    part_of: north-korea",
      "    aliases:",
      "      - Kim Jong Un",
    ].join("\n");
    expect(parseActors({ path: PATH, text })).toEqual({
      actors: [
        {
          id: "north-korea",
          name: "North Korea",
          kind: "country",
          side: "axis",
          partOf: null,
          aliases: ["North Korea", "DPRK", "Pyongyang"],
        },
        {
          id: "kim-jong-un",
          name: "Kim Jong Un",
          kind: "leader",
          side: "axis",
          partOf: "north-korea",
          aliases: ["Kim Jong Un"],
        },
      ],
      errors: [],
    });
  });
});

describe("watch list: each kind of bad entry names the file, the line and what was expected", () => {
  const cases: [string, string, string][] = [
    [
      "no actors list",
      "actor:\n  - id: russia\n",
      `${PATH}:1: expected a top-level "actors:" list`,
    ],
    [
      "an entry that is not a mapping",
      "actors:\n  - russia\n",
      `${PATH}:2: each actor must be a mapping with id, name, kind, side and aliases`,
    ],
    [
      "an unknown key (on its line)",
      watchList(actor({ colour: "red" })),
      `${PATH}:7: unknown key "colour": expected one of id, name, kind, side, part_of, aliases`,
    ],
    [
      "a missing id",
      watchList(actor({ id: null })),
      `${PATH}:2: actor id is missing: expected e.g. north-korea`,
    ],
    [
      "an id not in kebab case",
      watchList(actor({ id: "North_Korea" })),
      `${PATH}:2: actor id "North_Korea" is not kebab case: expected e.g. north-korea`,
    ],
    [
      "a duplicate id",
      watchList(actor(), actor({ aliases: "[Kremlin]" })),
      `${PATH}:7: duplicate actor id "russia", already used on line 2: expected each id once`,
    ],
    [
      "a missing name",
      watchList(actor({ name: null })),
      `${PATH}:2: actor "russia" has no name: expected the name to show, e.g. North Korea`,
    ],
    [
      "an unknown kind",
      watchList(actor({ kind: "state" })),
      `${PATH}:2: actor "russia" has kind "state": expected one of country, leader, institution, organization`,
    ],
    [
      "an unknown side",
      watchList(actor({ side: "ally" })),
      `${PATH}:2: actor "russia" has side "ally": expected one of axis, counterpart`,
    ],
    [
      "no aliases",
      watchList(actor({ aliases: "[]" })),
      `${PATH}:2: actor "russia" has no aliases: expected a list of the names articles use, e.g. [North Korea, DPRK, Pyongyang]`,
    ],
    [
      "an empty alias (on its line)",
      watchList(actor({ aliases: null }), ["    aliases:", "      - Russia", '      - ""']),
      `${PATH}:8: an alias of "russia" is empty: expected a name`,
    ],
    [
      "an alias of two actors (on that alias's line)",
      watchList(
        actor(),
        actor({
          id: "kremlin",
          name: "Kremlin",
          kind: "institution",
          part_of: "russia",
          aliases: "[Kremlin, Moscow]",
        }),
      ),
      `${PATH}:11: alias "Moscow" of "kremlin" is also an alias of "russia": expected each alias to name one actor`,
    ],
    [
      "a part_of that is no actor",
      watchList(
        actor(),
        actor({
          id: "putin",
          name: "Vladimir Putin",
          kind: "leader",
          part_of: "russa",
          aliases: "[Putin]",
        }),
      ),
      `${PATH}:7: actor "putin" has part_of "russa", which is not an actor id: expected the id of a country or organization in this file`,
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      expect(errorsFor(text)).toEqual([expected]);
    });
  }

  it("invalid YAML, with the line it broke on", () => {
    const errors = errorsFor("actors:\n  - id: russia\n    aliases: [Russia, Moscow\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${PATH}:\\d+: not valid YAML: .+`));
  });

  it("reports every problem in the file, not just the first, and keeps the good actors", () => {
    const { actors, errors } = parseActors({
      path: PATH,
      text: watchList(
        actor({ kind: "state" }),
        actor({ id: "china", name: "China", aliases: "[China]" }),
        actor({ id: "iran", side: "ally", aliases: "[Iran]" }),
      ),
    });
    expect(errors.map(formatError)).toEqual([
      `${PATH}:2: actor "russia" has kind "state": expected one of country, leader, institution, organization`,
      `${PATH}:12: actor "iran" has side "ally": expected one of axis, counterpart`,
    ]);
    expect(actors.map((a) => a.id)).toEqual(["china"]);
  });
});

describe("watch list in the content build", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "actors-test-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  /** The actors file's path as the build prints it (relative to where it runs). */
  const shown = () => relative(process.cwd(), join(dir, "actors.yaml"));

  it("loads the parsed actors, which publish stores with the content version", async () => {
    writeFileSync(
      join(dir, "actors.yaml"),
      watchList(
        actor(),
        actor({
          id: "kremlin",
          name: "Kremlin",
          kind: "institution",
          part_of: "russia",
          aliases: "[Kremlin]",
        }),
      ),
    );
    const loaded = await loadContent(dir);
    expect(loaded).toMatchObject({ articles: [], errors: [] });
    expect(loaded.actors).toEqual([
      {
        id: "russia",
        name: "Russia",
        kind: "country",
        side: "axis",
        partOf: null,
        aliases: ["Russia", "Moscow"],
      },
      {
        id: "kremlin",
        name: "Kremlin",
        kind: "institution",
        side: "axis",
        partOf: "russia",
        aliases: ["Kremlin"],
      },
    ]);
  });

  it("stops on a bad entry, naming the file where it is, and loads nothing", async () => {
    writeFileSync(join(dir, "actors.yaml"), watchList(actor({ side: "ally" })));
    expect(await buildContent(dir)).toEqual({
      count: 0,
      errors: [`${shown()}:2: actor "russia" has side "ally": expected one of axis, counterpart`],
    });
  });

  it("stops when the watch list is missing", async () => {
    expect((await buildContent(dir)).errors).toEqual([
      `${shown()}:1: missing: expected the summary's watch list of actors (see docs/digest.md)`,
    ]);
  });
});
