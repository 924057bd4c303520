/** Pages in Debian's headless Chromium: errors, overflow and a full-page screenshot. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
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
}

/**
 * One check: the page loads with 200, logs no console or page errors, requests nothing outside
 * the site (anything else is reported and never fetched), does not scroll sideways; then a
 * full-page screenshot.
 */
export async function checkPage(
  context: BrowserContext,
  origin: string,
  { name, path, width }: PageCase,
): Promise<void> {
  const screenshot = join("e2e-artifacts", `${name}-${width}.png`);
  await check(
    `page ${path} at ${width}px: loads, no console/page errors, no horizontal overflow (${screenshot})`,
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
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        if (scrollWidth > innerWidth)
          problems.push(
            `horizontal overflow: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`,
          );
        await page.screenshot({ path: join(ROOT, screenshot), fullPage: true });
      } finally {
        await page.close();
      }
      failIfAny(problems);
    },
  );
}
