/**
 * The site's stylesheet on any screen (issue 11): a dark scheme for `prefers-color-scheme: dark`,
 * print styles, every colour pair readable (WCAG 2.2 AA contrast, computed here from the
 * stylesheet the page serves), nothing wider than a phone, the policy still allowing the style,
 * and the layout's link to the page of every feed.
 */
import { type DefaultTreeAdapterMap, parse } from "parse5";
import { describe, expect, it } from "vitest";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";

const BASE = "http://localhost:8787";

type Element = DefaultTreeAdapterMap["element"];
type Node = DefaultTreeAdapterMap["node"];

function elements(node: Node, tag: string, found: Element[] = []): Element[] {
  if ("tagName" in node && node.tagName === tag) found.push(node);
  if ("childNodes" in node) for (const child of node.childNodes) elements(child, tag, found);
  return found;
}

function textOf(node: Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterMap["textNode"]).value;
  return "childNodes" in node ? node.childNodes.map(textOf).join("") : "";
}

interface Rule {
  /** The enclosing at-rule's prelude (`@media print`), or "" at the top level. */
  readonly media: string;
  readonly selector: string;
  readonly declarations: Map<string, string>;
}

/** The style rules of a stylesheet, one level of at-rules deep (all this one uses). */
function cssRules(css: string): Rule[] {
  const rules: Rule[] = [];
  const text = css.replace(/\/\*[\s\S]*?\*\//g, "");
  let media = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{", i);
    const close = text.indexOf("}", i);
    if (close !== -1 && (open === -1 || close < open)) {
      media = ""; // the end of the at-rule
      i = close + 1;
      continue;
    }
    if (open === -1) break;
    const prelude = text.slice(i, open).trim();
    if (prelude.startsWith("@")) {
      media = prelude.replace(/\s+/g, " ");
      i = open + 1;
      continue;
    }
    const end = text.indexOf("}", open);
    const declarations = new Map<string, string>();
    for (const part of text.slice(open + 1, end).split(";")) {
      const colon = part.indexOf(":");
      if (colon > 0) declarations.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
    }
    rules.push({ media, selector: prelude, declarations });
    i = end + 1;
  }
  return rules;
}

/** The colour custom properties in effect under `media` (the top level's, overridden). */
function palette(rules: readonly Rule[], media: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const rule of rules) {
    if (rule.selector !== ":root" || (rule.media !== "" && rule.media !== media)) continue;
    for (const [name, value] of rule.declarations) if (name.startsWith("--")) vars.set(name, value);
  }
  return vars;
}

/** WCAG 2.2 relative luminance of an sRGB `#rgb` or `#rrggbb` colour. */
function luminance(hex: string): number {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join("") : digits;
  expect(full, hex).toMatch(/^[0-9a-f]{6}$/i);
  const [r, g, b] = [0, 2, 4].map((at) => {
    const c = parseInt(full.slice(at, at + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG 2.2 contrast ratio, (L1 + 0.05) / (L2 + 0.05), lighter over darker. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/**
 * Which colours meet: text over the backgrounds it sits on (4.5:1, WCAG 1.4.3) and the input
 * border a control is found by (3:1, WCAG 1.4.11).
 */
const PAIRS: [fg: string, bg: string, minimum: number][] = [
  ["--ink", "--bg", 4.5],
  ["--ink", "--surface", 4.5],
  ["--muted", "--bg", 4.5],
  ["--muted", "--surface", 4.5],
  ["--accent", "--bg", 4.5],
  ["--accent", "--surface", 4.5],
  ["--accent", "--chip", 4.5],
  ["--quote", "--bg", 4.5],
  ["--on-accent", "--accent", 4.5],
  ["--field", "--surface", 3],
];

async function servedStyle(): Promise<{ css: string; page: string; csp: string }> {
  const { request } = makeApp([makeArticle({ slug: "style" })]);
  const res = await request("/articles/style");
  const page = await res.text();
  const styles = elements(parse(page), "style");
  expect(styles).toHaveLength(1);
  return { css: textOf(styles[0]!), page, csp: res.headers.get("Content-Security-Policy")! };
}

describe("the site's stylesheet", () => {
  it("has a light, a dark and a print palette, each pair readable (WCAG AA)", async () => {
    const rules = cssRules((await servedStyle()).css);
    const schemes = {
      light: "",
      dark: "@media (prefers-color-scheme:dark)",
      print: "@media print",
    };
    const light = palette(rules, "");
    for (const [scheme, media] of Object.entries(schemes)) {
      const colours = palette(rules, media);
      if (media !== "") {
        // Each scheme sets every colour itself, rather than leaning on the light ones.
        const own = rules.find((r) => r.media === media && r.selector === ":root");
        expect(own, scheme).toBeDefined();
        expect([...own!.declarations.keys()].filter((k) => k.startsWith("--")).sort()).toEqual(
          [...light.keys()].sort(),
        );
      }
      for (const [fg, bg, minimum] of PAIRS) {
        const ratio = contrast(colours.get(fg)!, colours.get(bg)!);
        expect(ratio, `${scheme}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(minimum);
      }
    }
    expect(palette(rules, schemes.dark).get("--bg")).not.toBe(light.get("--bg"));
    const darkRoot = rules.find((r) => r.media === schemes.dark && r.selector === ":root")!;
    expect(darkRoot.declarations.get("color-scheme")).toBe("dark");
  });

  it("takes every colour from the palette, so the contrast check covers all of them", async () => {
    const rules = cssRules((await servedStyle()).css);
    for (const rule of rules.filter((r) => r.selector !== ":root"))
      for (const [name, value] of rule.declarations)
        expect(value, `${rule.media} ${rule.selector} { ${name} }`).not.toMatch(
          /#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(|\b(white|black)\b/i,
        );
  });

  it("prints the content alone: no navigation, forms, feed links or pager", async () => {
    const rules = cssRules((await servedStyle()).css);
    const hidden = rules
      .filter((r) => r.media === "@media print" && r.declarations.get("display") === "none")
      .flatMap((r) => r.selector.split(",").map((s) => s.trim()));
    expect(hidden).toEqual(
      expect.arrayContaining(["header.site nav", "form", ".feeds", ".pager", "footer.site"]),
    );
  });

  it("keeps wide content inside a phone's width: tables scroll, long words and code wrap", async () => {
    const rules = cssRules((await servedStyle()).css).filter((r) => r.media === "");
    const rule = (selector: string) => rules.find((r) => r.selector === selector)?.declarations;
    expect(rule("table")?.get("overflow-x")).toBe("auto");
    expect(rule("table")?.get("display")).toBe("block");
    expect(rule("pre")?.get("white-space")).toBe("pre-wrap");
    const anywhere = rules
      .filter((r) => r.declarations.get("overflow-wrap") === "anywhere")
      .flatMap((r) => r.selector.split(","));
    expect(anywhere).toEqual(expect.arrayContaining(["a", "p", "li", "code"]));
    // Not in tables, whose columns would shrink to a letter: there cells wrap at words.
    expect(rule("td,th,table :is(a,p,li,code)")?.get("overflow-wrap")).toBe("break-word");
  });

  it("is allowed by the page's Content-Security-Policy, by its hash", async () => {
    const { css, csp } = await servedStyle();
    const digest = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(css)),
    );
    const styleSrc = csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .find(([name]) => name === "style-src")!;
    expect(styleSrc).toContain(`'sha256-${btoa(String.fromCharCode(...digest))}'`);
  });
});

describe("the layout's links", () => {
  it("lead to the page of every feed, next to RSS in the navigation and in the footer", async () => {
    const { page } = await servedStyle();
    const document = parse(page);
    const nav = elements(document, "nav")[0]!;
    const navLinks = elements(nav, "a").map((a) => ({
      href: a.attrs.find((x) => x.name === "href")!.value,
      text: textOf(a),
    }));
    const rss = navLinks.findIndex((l) => l.text === "RSS");
    expect(navLinks[rss + 1]).toEqual({ href: `${BASE}/feeds`, text: "All feeds" });
    const footer = elements(document, "footer")[0]!;
    expect(
      elements(footer, "a").map((a) => a.attrs.find((x) => x.name === "href")!.value),
    ).toContain(`${BASE}/feeds`);
  });
});
