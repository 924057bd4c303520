/**
 * The admin in Debian's Chromium: the 401's challenge as it arrives on the wire (one
 * WWW-Authenticate line holding Basic alone, which Chromium answers with its login), a login
 * through that challenge, and the admin pages at 375 px and 1280 px without sideways scrolling.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { adminToken, axeViolations, overflowProblems, WIDTHS } from "./browser.ts";
import { check, fail, failIfAny, ROOT } from "./harness.ts";

const CHROMIUM = "/usr/bin/chromium";

/** The response's header lines as received (node keeps repeated fields apart in rawHeaders). */
function rawHeaderLines(url: string, headers: Record<string, string>): Promise<[string, string][]> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const lines: [string, string][] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2)
        lines.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
      res.resume();
      res.on("end", () => resolve(lines));
    });
    req.on("error", reject);
    req.end();
  });
}

export async function checkAdmin(origin: string): Promise<void> {
  await check(
    "/admin answers a browser's navigation with one WWW-Authenticate line: Basic alone",
    async () => {
      const lines = await rawHeaderLines(`${origin}/admin`, {
        Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Sec-Fetch-Mode": "navigate",
        "Sec-Fetch-Dest": "document",
      });
      const challenges = lines.filter(([name]) => name.toLowerCase() === "www-authenticate");
      if (
        challenges.length !== 1 ||
        !/^Basic realm="admin"(, charset="UTF-8")?$/.test(challenges[0]![1])
      )
        fail(`WWW-Authenticate lines: ${JSON.stringify(challenges)}`);
    },
  );

  if (!existsSync(CHROMIUM)) return;
  const profile = mkdtempSync(join(tmpdir(), "e2e-admin-"));
  // The token is given only when the site challenges (send: "unauthorized"): Chromium must accept
  // the 401's challenge for the login to happen at all.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
    httpCredentials: { username: "admin", password: adminToken(), send: "unauthorized" },
  });
  try {
    for (const path of ["/admin", "/admin/subscribers", "/admin/outbox"]) {
      for (const width of WIDTHS) {
        await check(
          `${path} in Chromium at ${width}px: logs in through the challenge, no horizontal overflow, no axe-core violations`,
          async () => {
            const problems: string[] = [];
            const page = await context.newPage();
            try {
              await page.setViewportSize({ width, height: 900 });
              page.on("console", (msg) => {
                if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
              });
              const res = await page.goto(origin + path, { waitUntil: "load" });
              if (res?.status() !== 200) problems.push(`status ${res?.status()}`);
              problems.push(...(await overflowProblems(page)));
              problems.push(...(await axeViolations(page)));
              const name = path.slice(1).replace(/\//g, "-");
              await page.screenshot({
                path: join(ROOT, "e2e-artifacts", `${name}-${width}.png`),
                fullPage: true,
              });
            } finally {
              await page.close();
            }
            failIfAny(problems);
          },
        );
      }
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
