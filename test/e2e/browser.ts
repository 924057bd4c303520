/** Pages in Debian's headless Chromium: errors, overflow and a full-page screenshot. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { check, fail, failIfAny, ROOT } from "./harness.ts";

const CHROMIUM = "/usr/bin/chromium";
const PAGE_TIMEOUT_MS = 20_000;

/** The widths every site page is checked at: a phone and a desktop. */
export const WIDTHS = [375, 1280] as const;

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: PAGE_TIMEOUT_MS,
    // No sandbox: we run as root in a container. The rest keeps Chromium off the network.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Starts Chromium, or reports (as a failed check) why it cannot and returns null. */
export async function openBrowser(): Promise<Browser | null> {
  if (!existsSync(CHROMIUM)) {
    await check("pages in Chromium", () =>
      fail(`${CHROMIUM} not found: apt-get install -y chromium`),
    );
    return null;
  }
  try {
    return await launchChromium();
  } catch (error) {
    await check("Chromium starts", () =>
      fail(error instanceof Error ? error.message : String(error)),
    );
    return null;
  }
}

export interface PageCase {
  /** Screenshot name: e2e-artifacts/{name}-{width}.png. */
  readonly name: string;
  readonly path: string;
  readonly width: number;
  /**
   * An email's HTML rather than a page: axe's WCAG rules only, without its best practices for
   * pages (one `main` landmark, all content in landmarks), which mail clients do not follow.
   */
  readonly email?: boolean;
}

/**
 * One check: the page loads with 200, logs no console or page errors, requests nothing outside
 * the site (anything else is reported and never fetched), does not scroll sideways; then a
 * full-page screenshot.
 */
export async function checkPage(
  context: BrowserContext,
  origin: string,
  { name, path, width, email = false }: PageCase,
): Promise<void> {
  const screenshot = join("e2e-artifacts", `${name}-${width}.png`);
  await check(
    `page ${path} at ${width}px: loads, no console/page errors, no horizontal overflow, no axe-core violations (${screenshot})`,
    async () => {
      const problems: string[] = [];
      const page = await context.newPage();
      try {
        await page.setViewportSize({ width, height: 900 });
        page.on("console", (msg) => {
          if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
        });
        page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
        await page.route("**/*", (route) => {
          const url = route.request().url();
          if (url.startsWith(`${origin}/`)) return route.continue();
          problems.push(`request outside the site: ${url}`);
          return route.abort();
        });
        const res = await page.goto(origin + path, { waitUntil: "load" });
        if (res?.status() !== 200) problems.push(`status ${res?.status()}`);
        problems.push(...(await overflowProblems(page)));
        problems.push(...(await axeViolations(page, email ? WCAG_TAGS : null)));
        await page.screenshot({ path: join(ROOT, screenshot), fullPage: true });
      } finally {
        await page.close();
      }
      failIfAny(problems);
    },
  );
}

/** Sideways scrolling: the page is wider than the window (e.g. at 375 px). */
export async function overflowProblems(page: Page): Promise<string[]> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  return scrollWidth > innerWidth
    ? [`horizontal overflow: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`]
    : [];
}

/** The local ADMIN_TOKEN `npm start` created in .dev.vars. */
export function adminToken(): string {
  const vars = readFileSync(join(ROOT, ".dev.vars"), "utf8");
  const token = /^ADMIN_TOKEN=(.+)$/m.exec(vars)?.[1]?.trim();
  if (!token) fail(".dev.vars has no ADMIN_TOKEN");
  return token;
}

/** axe-core's WCAG 2.0–2.2 A and AA rules. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] as const;

/** axe-core's engine, injected by evaluation: the pages' CSP (rightly) lets no script tag in. */
const AXE_SOURCE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Accessibility violations axe-core finds on the page (WCAG 2.x A and AA rules and axe's best
 * practices), one line each: rule, impact, how many elements, and the first element's selector.
 */
export async function axeViolations(
  page: Page,
  onlyTags: readonly string[] | null = null,
): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            ctx: unknown,
            o: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      resultTypes: ["violations"],
      ...(tags ? { runOnly: { type: "tag", values: tags } } : {}),
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      count: v.nodes.length,
      first: JSON.stringify(v.nodes[0]?.target ?? []),
    }));
  }, onlyTags);
  return violations.map(
    (v) => `axe ${v.id} (${v.impact ?? "?"}): ${v.count} element(s), first ${v.first}`,
  );
}
