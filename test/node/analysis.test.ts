/**
 * The publish-time analysis of an article body (scripts/analysis/): which sentences may become
 * summary items, and how they are rewritten to stand alone. Each page is written here, small,
 * with what the tester found in digests made from pasted pages: captions and the preheader as
 * items, share lines, a repeated headline, "Mr. X" and pronoun subjects never introduced,
 * "…, he added." tails, "these two countries", a quote starting mid-sentence, "On Monday" and
 * "told reporters Tuesday" left unresolved, a hedge dropped.
 */
import { describe, expect, it } from "vitest";
import {
  ANALYSIS_VERSION,
  type AnalysisInput,
  analyzeBody,
  pastedPageWarnings,
} from "../../scripts/analysis/analyze.ts";

/** A page published on Tuesday 22 October 2024 (Seoul time), body from line 12 of its file. */
function page(lines: readonly string[], overrides: Partial<AnalysisInput> = {}): AnalysisInput {
  return {
    title: "Seoul says North Korean troops are in Russia",
    summary: "South Korea's spy agency reports a deployment.",
    published: "2024-10-22T09:30:00+09:00",
    dateApproximate: false,
    markdown: lines.join("\n\n"),
    markdownLine: 12,
    ...overrides,
  };
}

const texts = (input: AnalysisInput) => analyzeBody(input).analysis.candidates.map((c) => c.text);

describe("page chrome", () => {
  it("never becomes a candidate: captions, credits, bylines, dates, promos, share lines, ads, copyright, related stories, the headline again", () => {
    const news =
      "South Korea's National Intelligence Service said on 18 October 2024 that 1,500 North Korean special forces had reached Vladivostok.";
    const input = page([
      "Seoul says North Korean troops are in Russia",
      "By Kim Min-ji and John Smith",
      "Posted: 22 October 2024 09:30 KST",
      "North Korean soldiers at a parade in Pyongyang on 10 October 2024. Photo: KCNA via Reuters",
      "Share on Facebook Twitter WhatsApp Email",
      "Home | World | Asia | Politics",
      news,
      "Advertisement",
      "Sign up for our newsletter to get the news in your inbox every morning.",
      "Related: Russia and North Korea sign a defence pact in Pyongyang.",
      "© 2024 Example News. All rights reserved.",
      "0 Comments:",
    ]);
    expect(texts(input)).toEqual([news]);
  });

  it("is told from reporting that mentions a network or opens with 'By'", () => {
    const reporting = [
      "Zelenskyy said on Twitter on 20 October 2024 that Russia had 10,000 North Korean troops.",
      "By 21 October 2024, Russia had moved 20 trains of shells to its border with North Korea.",
      "Countries that subscribe to the Non-Proliferation Treaty met in Geneva on 3 May 2024, Russia said.",
    ];
    expect(texts(page(reporting))).toEqual(reporting);
    expect(pastedPageWarnings("content/news.md", page(reporting))).toEqual([]);
  });

  it("is warned about with file:line, one line each, naming what it is", () => {
    const input = page([
      "Russia sent 1,500 troops to North Korea on 3 October 2024.",
      "Advertisement",
      "Share on Facebook Twitter WhatsApp Email",
    ]);
    const warnings = pastedPageWarnings("content/pasted.md", input);
    // Blocks are separated by a blank line: lines 12, 14, 16.
    expect(warnings.map((w) => w.split(": ")[0])).toEqual([
      "content/pasted.md:14",
      "content/pasted.md:16",
    ]);
    expect(warnings[0]).toContain("an advertisement");
    expect(warnings[1]).toContain("a share or menu line");
    expect(pastedPageWarnings("content/clean.md", page(["Russia sent 1,500 troops."]))).toEqual([]);
  });
});

describe("a sentence stands alone as a whole", () => {
  it("leaves out pronoun and demonstrative subjects, vague references and connectives", () => {
    const kept = "Russia sent 1,500 troops to North Korea on 3 October 2024.";
    expect(
      texts(
        page([
          kept,
          "They arrived in Pyongyang by train on 5 October 2024.",
          "This means China will watch the border closely.",
          "Their commanders met Russian officers on 6 October 2024.",
          "These two countries have held joint drills every year since 2015.",
          "The visit was the first since 2019.",
          "However, the agreement still needs approval in Beijing.",
        ]),
      ),
    ).toEqual([kept]);
  });

  it("rewrites Mr. X with the full name and role the article gave earlier, and records it", () => {
    const { candidates } = analyzeBody(
      page([
        "Ukrainian President Volodymyr Zelenskyy met NATO officials in Brussels on 17 October 2024.",
        "Mr. Zelenskyy asked NATO for long-range missiles on 17 October 2024.",
      ]),
    ).analysis;
    expect(candidates[1]).toEqual({
      text: "Ukrainian President Volodymyr Zelenskyy asked NATO for long-range missiles on 17 October 2024.",
      original: "Mr. Zelenskyy asked NATO for long-range missiles on 17 October 2024.",
      rewrites: ['"Mr. Zelenskyy" → "Ukrainian President Volodymyr Zelenskyy"'],
      reason: expect.stringContaining("rewritten to stand alone"),
    });
  });

  it("names in full a person the sentence calls by one name, whom the article introduced with a role", () => {
    const { candidates } = analyzeBody(
      page([
        "South Korean President Yoon Suk Yeol convened an emergency security meeting on 19 October 2024.",
        "NATO Secretary General Mark Rutte spoke with Yoon about North Korean troops in Russia on 21 October 2024.",
      ]),
    ).analysis;
    expect(candidates[1]!.text).toBe(
      "NATO Secretary General Mark Rutte spoke with South Korean President Yoon Suk Yeol about North Korean troops in Russia on 21 October 2024.",
    );
    expect(candidates[1]!.rewrites).toEqual(['"Yoon" → "South Korean President Yoon Suk Yeol"']);
  });

  it("leaves out a demonstrative 'that' pointing back, and keeps 'said that'", () => {
    expect(
      texts(
        page([
          "Russian General Sergei Shoigu made that declaration during talks in Moscow on 8 December 2017.",
          "Russia's defence ministry said that the plan for joint drills with China was approved on 8 December 2017.",
        ]),
      ),
    ).toEqual([
      "Russia's defence ministry said that the plan for joint drills with China was approved on 8 December 2017.",
    ]);
  });

  it("rewrites 'the two countries' to the pair of countries the article last named, and leaves it out when none", () => {
    const lines = [
      "Russia and China held joint air defence drills in Beijing from 11 to 16 December 2017.",
      "In 2017, the two countries held more joint military exercises than ever.",
    ];
    const countries = ["Russia", "China", "North Korea"];
    const { candidates } = analyzeBody(page(lines, { countries })).analysis;
    expect(candidates[1]).toMatchObject({
      text: "In 2017, Russia and China held more joint military exercises than ever.",
      rewrites: ['"the two countries" → "Russia and China"'],
    });
    // Without a watch list nothing says they are countries: left out.
    expect(texts(page(lines))).toEqual([lines[0]]);
    expect(
      texts(
        page(["Since then, Russia and China have held joint drills every year."], { countries }),
      ),
    ).toEqual([]);
  });

  it("leaves out Mr. X when the article never names him in full", () => {
    expect(
      texts(page(["Mr. Kim inspected a missile factory in Pyongyang on 19 October 2024."])),
    ).toEqual([]);
  });

  it("names the speaker of a '…, he added' tail, and leaves the tail out when nobody was named", () => {
    const named = page([
      "Professor Carl Schuster of Hawaii Pacific University said Russia and China's drills were a message to Washington.",
      "Russia and China will hold more joint exercises in 2025, he added.",
    ]);
    expect(texts(named)).toEqual([
      "Professor Carl Schuster of Hawaii Pacific University said Russia and China's drills were a message to Washington.",
      "Russia and China will hold more joint exercises in 2025, Professor Carl Schuster added.",
    ]);
    expect(
      texts(page(["Russia and China will hold more joint exercises in 2025, he added."])),
    ).toEqual([]);
  });

  it("leaves out a quote that opens before the sentence, or in the middle of a word", () => {
    const input = page([
      "“We have forces there. They are operationally ready,” Schuster said of Russia and China on 12 December 2017.",
      "North Korea’s army is ready“to fight alongside Russia” in Ukraine, Kim Jong Un said on 19 October 2024.",
      "and China’s support for Russia is growing,” the analyst said on 20 October 2024.",
    ]);
    const out = texts(input);
    expect(out).not.toContainEqual(expect.stringMatching(/^They are operationally/));
    expect(out).not.toContainEqual(expect.stringMatching(/^and China/));
  });

  it("keeps hedges and attribution word for word", () => {
    const hedged = [
      "Beijing fears that Russia may share missile technology with North Korea, a Chinese official said on 21 October 2024.",
      "North Korea reportedly sent 1,500 special forces to Vladivostok in October 2024.",
      "It is assumed that the troops will reach the front by December 2024, Seoul's spy agency said on 18 October 2024.",
    ];
    const { candidates } = analyzeBody(page(hedged)).analysis;
    // "It is assumed…" opens with an "It" the content build's rules call dangling: left out,
    // as a hedge in the middle of an attributed sentence is not.
    expect(candidates.map((c) => c.text)).toEqual(hedged.slice(0, 2));
    expect(candidates[0]!.reason).toContain("hedged");
    expect(candidates[1]!.reason).toContain('hedged ("reportedly")');
  });
});

describe("relative dates", () => {
  it("are resolved against the article's date, bare weekdays included, each rewrite recorded", () => {
    // Tuesday 22 October 2024.
    const { candidates } = analyzeBody(
      page([
        "On Monday, Russia's defence ministry said 12 North Korean generals had visited Moscow.",
        "Russian officials told reporters Tuesday that the treaty with North Korea takes effect in December 2024.",
        "North Korea and Russia held a meeting Saturday in Vladivostok, Tass reported.",
        "South Korea summoned the Russian ambassador this week over the deployment of North Korean troops.",
        "China sent a trade delegation to Pyongyang earlier this month, Beijing said.",
        "Russia and North Korea signed a military pact 10 years ago, Seoul said.",
      ]),
    ).analysis;
    expect(candidates.map((c) => c.text)).toEqual([
      "On 21 October 2024, Russia's defence ministry said 12 North Korean generals had visited Moscow.",
      "Russian officials told reporters on 22 October 2024 that the treaty with North Korea takes effect in December 2024.",
      "North Korea and Russia held a meeting on 19 October 2024 in Vladivostok, Tass reported.",
      "South Korea summoned the Russian ambassador in the week of 21 October 2024 over the deployment of North Korean troops.",
      "China sent a trade delegation to Pyongyang earlier in October 2024, Beijing said.",
      "Russia and North Korea signed a military pact in 2014, Seoul said.",
    ]);
    expect(
      texts(
        page([
          "Russia's Pacific Fleet will hold drills with North Korea's navy through Wednesday, Moscow said.",
        ]),
      ),
    ).toEqual([
      "Russia's Pacific Fleet will hold drills with North Korea's navy through 23 October 2024, Moscow said.",
    ]);
    expect(candidates[0]!.rewrites).toEqual(['"On Monday" → "On 21 October 2024"']);
    expect(candidates[1]!.original).toBe(
      "Russian officials told reporters Tuesday that the treaty with North Korea takes effect in December 2024.",
    );
  });

  it("place a month the sentence looks ahead to in the coming year, and one it looks back on in the past year", () => {
    // Tuesday 22 October 2024.
    expect(
      texts(
        page([
          "Seoul's spy agency said Kim Jong Un will attend Russian celebrations of the end of World War II in May.",
          "Russia and North Korea opened a new road bridge on their border in June, Moscow said.",
        ]),
      ),
    ).toEqual([
      "Seoul's spy agency said Kim Jong Un will attend Russian celebrations of the end of World War II in May 2025.",
      "Russia and North Korea opened a new road bridge on their border in June 2024, Moscow said.",
    ]);
  });

  it("keep their sentence out when they cannot be placed", () => {
    const approximate = page(
      [
        "On Monday, Russia's defence ministry said 12 North Korean generals had visited Moscow.",
        "Russia shipped 300 containers of shells to North Korea's Rajin port on 9 October 2024.",
      ],
      { dateApproximate: true },
    );
    expect(texts(approximate)).toEqual([
      "Russia shipped 300 containers of shells to North Korea's Rajin port on 9 October 2024.",
    ]);
    expect(
      texts(page(["Russia has recently sent more shells to North Korea, Seoul said."])),
    ).toEqual([]);
  });
});

describe("what a digest tester found leaning outside the item (issue 16)", () => {
  it("strips a dateline naming two cities, and records it", () => {
    const { candidates } = analyzeBody(
      page([
        "TOKYO/SEOUL, June 3 - Japan and South Korea held talks in Tokyo on 3 June 2024 about North Korean missiles.",
      ]),
    ).analysis;
    expect(candidates[0]).toMatchObject({
      text: "Japan and South Korea held talks in Tokyo on 3 June 2024 about North Korean missiles.",
    });
    expect(candidates[0]!.rewrites[0]).toBe('"TOKYO/SEOUL, June 3 -" → "" (dateline)');
  });

  it("drops an opener that only ties the sentence to the one before, and records it", () => {
    const { candidates } = analyzeBody(
      page([
        "In the latest development, Russia's defence ministry said on 18 October 2024 that 200 drones had reached Pyongyang.",
        "Instead, at a factory in Wonsan on 17 October 2024, Kim Jong Un told workers to build more drones.",
      ]),
    ).analysis;
    expect(candidates.map((c) => c.text)).toEqual([
      "Russia's defence ministry said on 18 October 2024 that 200 drones had reached Pyongyang.",
      "At a factory in Wonsan on 17 October 2024, Kim Jong Un told workers to build more drones.",
    ]);
    expect(candidates[0]!.rewrites).toContain(
      '"In the latest development," → "" (ties the sentence to the one before)',
    );
    expect(candidates[1]!.rewrites).toContain(
      '"Instead," → "" (ties the sentence to the one before)',
    );
  });

  it("leaves out 'lately' and a demonstrative subject anywhere in the sentence", () => {
    expect(
      texts(
        page([
          "Lately, China and Russia have flown more joint bomber patrols near Japan.",
          "Of late, Moscow has shipped more fuel to North Korea than the UN allows.",
          "According to Japan's defence ministry, this is the third joint bomber flight near Okinawa in 2024.",
          "Poland's prime minister called a cabinet meeting on 2 May 2024 and said this represents a new threat.",
        ]),
      ),
    ).toEqual([]);
  });

  it("leaves out a definite noun phrase that refers back, unless the sentence names it first", () => {
    const lines = [
      "The aircraft flew over the sea for two hours, Japan's defence ministry said on 3 June 2024.",
      "The spy agency also said on 3 June 2024 that 3,000 soldiers had been killed in Kursk.",
      "Tokyo said on 3 June 2024 that the patrol over the East China Sea lasted eight hours.",
      "Russia's embassy in Minsk posted photos of the meeting on its website on 3 June 2024.",
      "Japan scrambled jets on 3 June 2024 after six Chinese bombers neared Okinawa, and the bombers left an hour later.",
      "Moscow sent 24 fighter jets to Wonsan on 3 June 2024, and crews there received the aircraft on 5 June 2024.",
    ];
    expect(texts(page(lines))).toEqual([lines[4], lines[5]]);
  });

  it("drops a role that says 'the ministry' without which, keeping the person it names", () => {
    const { candidates } = analyzeBody(
      page([
        "China's air defence drill in Beijing is based on computer simulations, Li Wei, the ministry spokesperson, told reporters on 12 December 2017.",
      ]),
    ).analysis;
    expect(candidates[0]).toMatchObject({
      text: "China's air defence drill in Beijing is based on computer simulations, Li Wei told reporters on 12 December 2017.",
      rewrites: ['", the ministry spokesperson," → "" (a role that does not say which)'],
    });
  });

  it("keeps 'we' and 'our' inside a quote whose speaker is named, not 'they'", () => {
    const quoted =
      "“We are planning joint naval drills with Pyongyang in 2015,” Russian General Ivan Petrov said on 3 February 2015.";
    expect(
      texts(
        page([
          quoted,
          "“They are ready for war in 2015,” Russian General Ivan Petrov said on 3 February 2015.",
        ]),
      ),
    ).toEqual([quoted]);
  });

  it("keeps a sentence's first main clause when a later clause leans outside it, and records the cut", () => {
    const whole =
      "Poland's prime minister called a cabinet meeting on 2 May 2024, and his spokesman said this represents a new threat.";
    const { candidates } = analyzeBody(
      page([
        whole,
        "The evidence of ties between Minsk and Moscow has grown in recent days, alarming Warsaw.",
      ]),
    ).analysis;
    // The second sentence's "and Moscow has grown" is no clause of its own: nothing to cut.
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({
      text: "Poland's prime minister called a cabinet meeting on 2 May 2024.",
      original: whole,
    });
    expect(candidates[0]!.rewrites[0]).toMatch(
      /^", and his spokesman said this represents a new threat\." → "\." \(a clause that leans outside the sentence/,
    );
  });

  it("attributes a quote to the speaker a page names right after it, and leaves out a quote that leans outside", () => {
    const line =
      '"We will not send our army to Belarus in 2024.""Our border is closed."Polish Defence Minister Adam Nowak"There is a risk of it spreading in 2024."Lithuanian Foreign Minister Ona Petraitė';
    const { candidates } = analyzeBody(page([line])).analysis;
    expect(candidates.map((c) => c.text)).toEqual([
      '"Our border is closed," Polish Defence Minister Adam Nowak said.',
    ]);
    expect(candidates[0]).toMatchObject({
      original: '"Our border is closed."Polish Defence Minister Adam Nowak',
      rewrites: [
        `'"Our border is closed."Polish Defence Minister Adam Nowak' → '"Our border is closed," Polish Defence Minister Adam Nowak said.' (the page names the speaker after the quote)`,
      ],
    });
  });

  it("names a bare 'the exercises' as the sentences just before introduced them, and the pair the article names most", () => {
    const countries = ["Russia", "China", "Japan", "Taiwan"];
    const lines = [
      "Russia and China began a series of joint naval exercises in the Sea of Japan on 3 August 2024, a warning to Japan and Taiwan.",
      "Admiral Li Bo, a navy spokesman, said the exercises would last until 10 August 2024.",
      "Analyst Anna Berg of Lund University says the exercises show that the two countries trust each other more.",
    ];
    const title = "Russia and China warn Japan with naval drills";
    const { candidates } = analyzeBody(page(lines, { countries, title })).analysis;
    expect(candidates.at(-1)).toMatchObject({
      text: "Analyst Anna Berg of Lund University says the joint naval exercises show that Russia and China trust each other more.",
      rewrites: [
        '"the two countries" → "Russia and China"',
        '"the exercises" → "the joint naval exercises"',
      ],
    });
    // Without the headline, two pairs are named as often: no telling which, left out.
    expect(texts(page(lines, { countries }))).toHaveLength(2);
    // Three sentences on, with nothing between speaking of them, nobody can say which.
    const far = [
      lines[0]!,
      "Japan scrambled 12 jets on 4 August 2024.",
      "Taiwan put its coast guard on alert on 4 August 2024.",
      "Tokyo protested to Beijing on 5 August 2024.",
      "Anna Berg of Lund University says the exercises show a new trust.",
    ];
    expect(texts(page(far, { countries }))).not.toContain(
      "Anna Berg of Lund University says the joint naval exercises show a new trust.",
    );
  });

  it("leaves out 'this military aircraft' in the writer's words, and keeps 'this' inside a named speaker's quote", () => {
    const quoted =
      "“We will hold this line until 2025,” Ukrainian Defence Minister Olena Koval said on 3 June 2024.";
    expect(
      texts(
        page([
          "Nobody has said who boarded this military aircraft in Minsk on 3 June 2024.",
          "Poland moved these brigades to its border with Belarus on 3 June 2024.",
          quoted,
        ]),
      ),
    ).toEqual([quoted]);
  });

  it("keeps a view that a named group holds, hedge and all, and leaves out the writer's own guess", () => {
    const held =
      "Joint drills by Russia and North Korea could raise tensions, but analysts believe Moscow will give Pyongyang little.";
    expect(
      texts(
        page([
          held,
          "Joint drills by Russia and North Korea could raise tensions in Asia.",
          // "Some analysts" names nobody: still the writer's guess.
          "Joint drills by Russia and North Korea could raise tensions, but some analysts believe Moscow will give Pyongyang little.",
        ]),
      ),
    ).toEqual([held]);
  });
});

it("keeps the first six sentences that stand alone, each original stored only when rewritten", () => {
  const sentences = Array.from(
    { length: 9 },
    (_, i) => `Russia sent ${i + 1} trains of shells to North Korea on ${i + 1} October 2024.`,
  );
  const { candidates } = analyzeBody(page(sentences)).analysis;
  expect(candidates.map((c) => c.text)).toEqual(sentences.slice(0, 6));
  expect(candidates.map((c) => c.original)).toEqual(Array(6).fill(undefined));
});

it("keeps the lead and then attributed sentences first when more than six stand alone, in the article's order", () => {
  const plain = (i: number) =>
    `Russia sent ${i} trains of shells to North Korea on ${i} October 2024.`;
  const quoted =
    "“Our army will answer any attack,” North Korean Defence Minister No Kwang Chol said on 9 October 2024.";
  const sentences = [1, 2, 3, 4, 5, 6, 7].map(plain).concat(quoted);
  expect(texts(page(sentences))).toEqual([
    plain(1),
    plain(2),
    plain(3),
    plain(4),
    plain(5),
    quoted,
  ]);
});

it("carries its version, so a new version re-analyses on the next publish", () => {
  expect(analyzeBody(page(["Russia sent troops."])).analysis.version).toBe(ANALYSIS_VERSION);
});
