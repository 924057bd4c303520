/**
 * Signing up as a person does it, in Debian's Chromium at 375 px and 1280 px: the form on the
 * home page, the "check your inbox" page, the emailed link (read from the local outbox) opening a
 * page that confirms in one step, the "you are subscribed" page, and the welcome mail in the
 * outbox. Every page is checked with axe-core.
 */
import { adminToken, axeViolations, type Browser, WIDTHS } from "./browser.ts";
import { check, fail, failIfAny } from "./harness.ts";

const DEADLINE_MS = 10_000;

interface OutboxMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Polls the outbox (sign-up mail is sent after the answer) until `find` matches, or fails. */
async function waitForMail(
  origin: string,
  find: (m: OutboxMessage) => boolean,
  what: string,
): Promise<OutboxMessage> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const res = await fetch(`${origin}/admin/outbox.json`, {
      headers: { Authorization: `Bearer ${adminToken()}` },
    });
    if (res.status !== 200) fail(`/admin/outbox.json answered ${res.status}`);
    const found = ((await res.json()) as OutboxMessage[]).find(find);
    if (found) return found;
    if (Date.now() > deadline) fail(`no ${what} in the outbox after ${DEADLINE_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function checkSubscribeFlow(browser: Browser, origin: string): Promise<void> {
  for (const width of WIDTHS) {
    await check(
      `sign-up in Chromium at ${width}px: form → "Check your inbox" → emailed link confirms in one step → "You are subscribed" → welcome mail; no axe-core violations`,
      async () => {
        const email = `e2e-signup-${width}-${Date.now()}@example.org`;
        const problems: string[] = [];
        const page = await browser.context.newPage();
        try {
          await page.setViewportSize({ width, height: 900 });
          // A person's browser: the confirmation page's script holds back in automated ones.
          await page.addInitScript(() =>
            Object.defineProperty(Navigator.prototype, "webdriver", { get: () => false }),
          );
          page.on("console", (msg) => {
            if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
          });
          await page.goto(`${origin}/`, { waitUntil: "load" });
          const form = page.locator("form.subscribe").first();
          await form.locator('input[name="email"]').fill(email);
          await Promise.all([
            page.waitForURL(`${origin}/subscribe`),
            form.locator('button[type="submit"]').click(),
          ]);
          const inbox = await page.locator("h1").innerText();
          if (inbox !== "Check your inbox") problems.push(`after the form: h1 "${inbox}"`);
          problems.push(...(await axeViolations(page)));

          const confirmation = await waitForMail(
            origin,
            (m) => m.to === email && /^Confirm your subscription/.test(m.subject),
            `confirmation mail to ${email}`,
          );
          const link = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/.exec(confirmation.text)?.[0];
          if (!link) fail(`no confirmation link in: ${confirmation.text.slice(0, 200)}`);
          await page.goto(link, { waitUntil: "load" });
          // The page submits itself: no click here.
          await page.waitForFunction(
            () => document.querySelector("h1")?.textContent === "You are subscribed",
            undefined,
            { timeout: DEADLINE_MS },
          );
          problems.push(...(await axeViolations(page)));
          const welcome = await waitForMail(
            origin,
            (m) => m.to === email && /^Welcome to /.test(m.subject),
            `welcome mail to ${email}`,
          );
          if (!/\/digests(\/\d{4}-W\d{2})?\b/.test(welcome.text))
            problems.push("the welcome mail links no digest");
          if (!/\/unsubscribe\//.test(welcome.text))
            problems.push("the welcome mail has no unsubscribe link");
        } finally {
          await page.close();
        }
        failIfAny(problems);
      },
    );
  }
}
