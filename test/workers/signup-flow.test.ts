/**
 * The sign-up flow as a person meets it (issue 11): a confirmation link that confirms in one
 * step in a browser but never on a GET alone, a welcome email, "send the link again",
 * internationalized addresses, typos that cost no rate-limit budget, and result pages that lead
 * onwards.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.ts";
import { listOutbox } from "../../src/mail/outbox.ts";
import { confirmationTransport } from "../../src/mail/transports.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlLinks, htmlText, htmlTexts } from "../helpers/html.ts";
import { linksInHtml, listUnsubscribeUris, mailboxAddress, parseMime } from "../helpers/mime.ts";

const BASE = "http://localhost:8787";
const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };

const { app } = makeApp([makeArticle({ published: "2024-10-22T09:30:00+09:00" })]);

/** A request answered, then what the Worker does after answering (waitUntil) finished. */
async function send(path: string, init: RequestInit = {}, e: Env = env) {
  const ctx = createExecutionContext();
  const res = await app.request(path, init, e, ctx);
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, body };
}

let nextHost = 0;
/** A form POST, by default from a network of its own, so tests do not share a budget. */
const post = (
  fields: Record<string, string>,
  ip = `198.18.${++nextHost >> 8}.${nextHost & 255}`,
) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "CF-Connecting-IP": ip },
});

async function outboxTo(email: string) {
  return (await listOutbox(env.DB, 1000)).filter((m) => m.to === email).reverse();
}

async function status(email: string): Promise<string | null> {
  const row = await env.DB.prepare("SELECT status FROM subscribers WHERE email = ?1")
    .bind(email)
    .first<{ status: string }>();
  return row?.status ?? null;
}

function confirmToken(text: string): string {
  const m = /\/confirm\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error(`no confirmation link in:\n${text}`);
  return m[1]!;
}

/** Signs `email` up and returns its confirmation token, read from the email. */
async function pendingToken(email: string, ip?: string): Promise<string> {
  expect((await send("/subscribe", post({ email, form: "home" }, ip))).status).toBe(200);
  const [mail] = await outboxTo(email);
  return confirmToken(mail!.text);
}

/** A CSP header's directives, as a browser splits them (CSP3 §2.2.1). */
function directives(header: string | null): Map<string, string[]> {
  const policy = new Map<string, string[]>();
  for (const d of (header ?? "").split(";")) {
    const [name, ...sources] = d.trim().split(/\s+/);
    if (name && !policy.has(name.toLowerCase())) policy.set(name.toLowerCase(), sources);
  }
  return policy;
}

/** The text of each inline `<script>`, and each `<form>`'s id, method and action. */
async function scriptsAndForms(page: string) {
  const scripts: string[] = [];
  const forms: { id: string | null; method: string | null; action: string | null }[] = [];
  let current: string[] | null = null;
  await new HTMLRewriter()
    .on("script", {
      element(el) {
        const text: string[] = [];
        current = text;
        el.onEndTag(() => {
          scripts.push(text.join(""));
        });
      },
      text(chunk) {
        current?.push(chunk.text);
      },
    })
    .on("form", {
      element(el) {
        forms.push({
          id: el.getAttribute("id"),
          method: el.getAttribute("method"),
          action: el.getAttribute("action")?.replaceAll("&amp;", "&") ?? null,
        });
      },
    })
    .transform(new Response(page))
    .text();
  return { scripts, forms };
}

async function sha256Source(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

describe("the confirmation link", () => {
  it("confirms on no GET or HEAD, however often fetched", async () => {
    const email = "scanner-proof@example.org";
    const token = await pendingToken(email);
    for (const method of ["GET", "HEAD", "GET"]) {
      const res = await send(`/confirm/${token}`, { method });
      expect(res.status, method).toBe(200);
    }
    expect(await status(email)).toBe("pending");
    // The link still works afterwards.
    expect((await send(`/confirm/${token}`, { method: "POST" })).status).toBe(200);
    expect(await status(email)).toBe("active");
  });

  it("serves a form to the link, a button without script, and one script its CSP allows that submits that form", async () => {
    const token = await pendingToken("one-step@example.org");
    const res = await send(`/confirm/${token}`);
    const { scripts, forms } = await scriptsAndForms(res.body);
    const confirmForm = forms.find((f) => f.action === `${BASE}/confirm/${token}`);
    expect(confirmForm).toMatchObject({ method: "post" });
    expect(confirmForm!.id).toMatch(/^[a-z-]+$/);
    expect(await htmlTexts(res.body, `form#${confirmForm!.id} button[type="submit"]`)).toEqual([
      "Confirm my subscription",
    ]);

    expect(scripts).toHaveLength(1);
    const script = scripts[0]!;
    const policy = directives(res.headers.get("Content-Security-Policy"));
    expect(policy.get("script-src")).toContain(await sha256Source(script));
    expect(policy.get("script-src")).not.toContain("'unsafe-inline'");
    // It takes that form and submits it (requestSubmit: as a press of its button would).
    expect(script).toContain(`document.getElementById("${confirmForm!.id}")`);
    expect(script).toMatch(/\bform\.requestSubmit\(\)/);
    // It waits for the page to be seen, and leaves automated browsers to the button.
    expect(script).toContain('document.visibilityState !== "visible"');
    expect(script).toContain("navigator.webdriver");
  });

  it("allows no script on any other page", async () => {
    for (const path of ["/", "/subscribe", "/confirm/short"]) {
      const res = await send(path);
      const sources = directives(res.headers.get("Content-Security-Policy")).get("script-src");
      expect(sources, path).toBeDefined();
      expect(
        sources!.filter((s) => s.startsWith("'sha256-")),
        path,
      ).toEqual([]);
    }
  });
});

describe("the welcome email", () => {
  it("comes once after confirming, with the digest archive while there is none, and an unsubscribe link that works", async () => {
    const email = "welcome-first@example.org";
    const token = await pendingToken(email);
    const confirmed = await send(`/confirm/${token}`, { method: "POST" });
    expect(confirmed.status).toBe(200);
    const mails = await outboxTo(email);
    expect(mails.map((m) => m.subject)).toEqual([
      "Confirm your subscription to Axis Dispatch",
      "Welcome to Axis Dispatch",
    ]);

    // The message as it leaves, read with the test's MIME reader.
    const eml = await send(`/admin/outbox/${mails[1]!.id}.eml`, { headers: ADMIN });
    expect(eml.status).toBe(200);
    const message = parseMime(eml.body);
    expect(mailboxAddress(message.header("To"))).toBe(email);
    const [text, html] = message.parts;
    expect(text!.contentType.mediaType).toBe("text/plain");
    expect(html!.contentType.mediaType).toBe("text/html");
    const links = await linksInHtml(html!.body);
    expect(links).toContain(`${BASE}/digests`);
    expect(text!.body).toContain(`${BASE}/digests`);
    const [unsubscribeUrl] = listUnsubscribeUris(message.header("List-Unsubscribe"));
    expect(unsubscribeUrl).toMatch(new RegExp(`^${BASE}/unsubscribe/`));
    expect(links).toContain(unsubscribeUrl);
    expect(text!.body).toContain(unsubscribeUrl);
    expect(message.header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");

    // The link unsubscribes this address.
    const path = new URL(unsubscribeUrl!).pathname;
    const left = await send(path, { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(left.status).toBe(200);
    expect(await status(email)).toBe("unsubscribed");

    // A second POST of the spent link sends nothing more.
    expect((await send(`/confirm/${token}`, { method: "POST" })).status).toBe(404);
    expect(await outboxTo(email)).toHaveLength(2);
  });

  it("links the latest digest once there is one, and the subscribed page does too", async () => {
    const rebuilt = await send("/admin/digests/2024-W43/rebuild", {
      method: "POST",
      headers: ADMIN,
    });
    expect(rebuilt.status).toBeLessThan(400);
    const email = "welcome-latest@example.org";
    const token = await pendingToken(email);
    const confirmed = await send(`/confirm/${token}`, { method: "POST" });
    const pageLinks = (await htmlLinks(confirmed.body, 'nav[aria-label="Next steps"] a')).map(
      (l) => l.href,
    );
    expect(pageLinks).toContain(`${BASE}/digests/2024-W43`);
    const welcome = (await outboxTo(email))[1]!;
    expect(await linksInHtml(welcome.html)).toContain(`${BASE}/digests/2024-W43`);
    expect(welcome.text).toContain(`Read the latest digest now: ${BASE}/digests/2024-W43`);
  });
});

describe("the welcome email through the send_email binding", () => {
  it("goes the way the confirmation went, as raw MIME the binding accepts", async () => {
    const handed: string[] = [];
    const binding = {
      send: async (message: EmailMessage) => {
        // workerd's EmailMessage keeps its raw MIME under this key (send-email.test.ts).
        handed.push((message as unknown as Record<string, string>)["EmailMessage::raw"]!);
        return env.TEST_SEND_EMAIL.send(message);
      },
    } as SendEmail;
    const withBinding = { ...env, CONFIRM_EMAIL: binding };
    const email = "welcome-binding@example.org";
    expect((await send("/subscribe", post({ email, form: "home" }), withBinding)).status).toBe(200);
    const token = confirmToken(parseMime(handed[0]!).parts[0]!.body);
    expect((await send(`/confirm/${token}`, { method: "POST" }, withBinding)).status).toBe(200);
    expect(handed).toHaveLength(2);
    const welcome = parseMime(handed[1]!);
    expect(welcome.header("Subject")).toBe("Welcome to Axis Dispatch");
    expect(mailboxAddress(welcome.header("To"))).toBe(email);
    // The archive or the latest digest, whichever this file's earlier tests left.
    const links = await linksInHtml(welcome.parts[1]!.body);
    expect(links.some((l) => l.startsWith(`${BASE}/digests`))).toBe(true);
    expect(await outboxTo(email)).toEqual([]);
  });
});

describe("send the link again", () => {
  it("is a form on the check-your-inbox page that sends a new link within the address's limits", async () => {
    const email = "resend@example.org";
    const first = await send("/subscribe", post({ email, form: "home" }));
    const { forms } = await scriptsAndForms(first.body);
    expect(forms).toContainEqual({ id: null, method: "post", action: `${BASE}/subscribe` });
    expect(await htmlText(first.body, 'form label[for="resend-email"]')).toBe(
      "Send the link again",
    );

    // Straight away: within the 10 minutes, nothing more is sent, and the answer is the same.
    const again = await send("/subscribe", post({ email, form: "resend" }));
    expect(again.status).toBe(200);
    expect(again.body).toBe(first.body);
    expect(await outboxTo(email)).toHaveLength(1);

    // Eleven minutes later, a new link, and both work until one is used.
    await env.DB.prepare("UPDATE consents SET requested_at = ?2 WHERE email = ?1")
      .bind(email, new Date(Date.now() - 11 * 60_000).toISOString())
      .run();
    const later = await send("/subscribe", post({ email, form: "resend" }));
    expect(later.body).toBe(first.body);
    const mails = await outboxTo(email);
    expect(mails).toHaveLength(2);
    expect(confirmToken(mails[1]!.text)).not.toBe(confirmToken(mails[0]!.text));
    const forms2 = await env.DB.prepare("SELECT form FROM consents WHERE email = ?1 ORDER BY id")
      .bind(email)
      .all<{ form: string }>();
    expect(forms2.results.map((r) => r.form)).toEqual(["home", "resend"]);
  });
});

describe("internationalized addresses", () => {
  it("accepts an IDN domain, stored and mailed as its A-labels", async () => {
    const res = await send("/subscribe", post({ email: "Leser@Bücher.de", form: "home" }));
    expect(res.status).toBe(200);
    expect(await status("leser@xn--bcher-kva.de")).toBe("pending");
    expect(await outboxTo("leser@xn--bcher-kva.de")).toHaveLength(1);
  });

  it("accepts a UTF-8 local part where the transport carries SMTPUTF8 (the outbox)", async () => {
    const res = await send("/subscribe", post({ email: "josé@bücher.de", form: "home" }));
    expect(res.status).toBe(200);
    expect(await status("josé@xn--bcher-kva.de")).toBe("pending");
    const [mail] = await outboxTo("josé@xn--bcher-kva.de");
    expect(mail!.subject).toBe("Confirm your subscription to Axis Dispatch");
  });

  it("refuses a UTF-8 local part with a clear 400 where confirmations go through send_email", async () => {
    const res = await send(
      "/subscribe",
      post({ email: "maría@example.org", form: "home" }, "203.0.113.71"),
      { ...env, CONFIRM_EMAIL: env.TEST_SEND_EMAIL },
    );
    expect(res.status).toBe(400);
    const [reason] = await htmlTexts(res.body, "main > p");
    expect(reason).toMatch(/^Email address: .*non-ASCII letters before “@”.* Expected only a–z/);
    expect(await status("maría@example.org")).toBeNull();
  });

  it("is refused or taken by what each confirmation transport declares it can carry (smtpUtf8)", () => {
    // Sign-up asks the transport object, not its name: a transport renamed or added must say
    // whether it carries SMTPUTF8 (RFC 6531), and these three say what they do.
    const mail = readConfig(env).mail;
    expect(
      confirmationTransport({ ...env, CONFIRM_EMAIL: env.TEST_SEND_EMAIL }, mail).smtpUtf8,
    ).toBe(false);
    expect(confirmationTransport({ DB: env.DB }, mail).smtpUtf8).toBe(true);
    expect(
      confirmationTransport(
        { DB: env.DB, EMAIL_API_KEY: "re_test" },
        { ...mail, transport: "http" },
      ).smtpUtf8,
    ).toBe(true);
  });

  it("names what is wrong in a mistyped address", async () => {
    for (const [email, reason] of [
      [
        "first,last@example.org",
        "The part before “@” cannot contain “,”: expected letters, digits and . _ - + (like first.last+news@example.org).",
      ],
      [
        "first..last@example.org",
        "The part before “@” cannot start or end with a dot, or have two dots in a row.",
      ],
      [
        "reader@exa mple.org",
        "“exa mple.org” is not a domain an email can go to: expected something like example.org.",
      ],
    ] as const) {
      const res = await send("/subscribe", post({ email, form: "home" }, "203.0.113.72"));
      expect(res.status, email).toBe(400);
      expect(await htmlTexts(res.body, "main > p"), email).toContain(reason);
    }
  });
});

describe("the sign-up rate limit", () => {
  it("counts only well-formed addresses: typos answer 400 and use none of the budget", async () => {
    const ip = "192.0.2.140";
    for (const typo of [
      "reader@",
      "reader.example.org",
      "a b@example.org",
      "x@localhost",
      "",
      "@x.org",
    ])
      expect((await send("/subscribe", post({ email: typo, form: "home" }, ip))).status, typo).toBe(
        400,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await send("/subscribe", post({ email: `budget-${i}@example.org`, form: "home" }, ip)))
          .status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe("result pages lead onwards", () => {
  async function onwards(body: string): Promise<string[]> {
    return (await htmlLinks(body, 'main nav[aria-label="Next steps"] a')).map((l) => l.href);
  }

  it("links home, the digests and the feeds from every page of the flow", async () => {
    const email = "onwards@example.org";
    const checkInbox = await send("/subscribe", post({ email, form: "home" }, "203.0.113.73"));
    const token = confirmToken((await outboxTo(email))[0]!.text);
    const pages = {
      checkInbox,
      confirmPage: await send(`/confirm/${token}`),
      subscribed: await send(`/confirm/${token}`, { method: "POST" }),
      invalidLink: await send(`/confirm/${token}`, { method: "POST" }),
      badAddress: await send("/subscribe", post({ email: "nope", form: "home" })),
      unsubscribeInvalid: await send("/unsubscribe/not-a-token", { method: "POST" }),
    };
    for (const [name, page] of Object.entries(pages)) {
      const links = await onwards(page.body);
      expect(links, name).toContain(`${BASE}/`);
      expect(
        links.some((l) => l.startsWith(`${BASE}/digests`)),
        name,
      ).toBe(true);
      expect(links, name).toContain(`${BASE}/feed.xml`);
    }
  });
});
