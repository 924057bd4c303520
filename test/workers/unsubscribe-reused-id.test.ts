/**
 * Issue 15, item 2: a deleted subscriber's old unsubscribe link acted on the next subscriber and
 * showed their address. Ids had no AUTOINCREMENT, so the next sign-up after deleting the newest
 * subscriber got the same id, and the token was an HMAC of the id alone: A's link, still in A's
 * inbox, unsubscribed B ("b@… will not receive the digest any more"), by https and by mailto.
 * Now ids are never reused (migrations/0009) and the token is bound to the address too, so even
 * a link to an id someone else holds (as before 0009) acts on nobody.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getOutboxRaw, listOutbox } from "../../src/mail/outbox.ts";
import worker from "../../src/index.ts";
import { makeApp, makeArticle } from "../helpers/fixtures.ts";
import { htmlText, htmlTexts } from "../helpers/html.ts";
import { listUnsubscribeUris, parseMime } from "../helpers/mime.ts";

const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdefghij" };
const MAILTO = "unsubscribe@example.org";
const { request } = makeApp([makeArticle()], { UNSUBSCRIBE_MAILTO: MAILTO } as Partial<Env>);

let network = 0;
const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "CF-Connecting-IP": `198.18.40.${++network}`, ...headers },
});

/** The newest message to `email` in the outbox: its text, and the raw message parsed. */
async function newestMailTo(email: string) {
  const stored = (await listOutbox(env.DB, 1000)).filter((m) => m.to === email);
  const newest = stored.reduce((a, b) => (b.id > a.id ? b : a));
  return { text: newest.text, mime: parseMime((await getOutboxRaw(env.DB, newest.id))!) };
}

const subscriberOf = (email: string) =>
  env.DB.prepare("SELECT id, status FROM subscribers WHERE email = ?1")
    .bind(email)
    .first<{ id: number; status: string }>();

/** Signs `email` up and confirms it as its owner would; returns the welcome email's link path. */
async function subscribeAndConfirm(email: string): Promise<string> {
  expect((await request("/subscribe", form({ email, form: "home" }))).status).toBe(200);
  const confirmation = await newestMailTo(email);
  const token = /\/confirm\/([A-Za-z0-9_-]{43})/.exec(confirmation.text)?.[1];
  const confirmed = await request(`/confirm/${token}`, { method: "POST" });
  expect(confirmed.status).toBe(200);
  const welcome = (await newestMailTo(email)).mime;
  expect(welcome.header("Subject")).toBe("Welcome to Axis Dispatch");
  const [https] = listUnsubscribeUris(welcome.header("List-Unsubscribe"));
  return new URL(https!).pathname;
}

const oneClick = (path: string) =>
  request(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });

/** The unsubscribe mail a client composes from the digest's mailto:, run through email(). */
async function unsubscribeByMail(token: string): Promise<string | null> {
  const raw = [
    "From: Reader <someone@example.net>",
    `To: ${MAILTO}`,
    `Subject: unsubscribe ${token}`,
    "Message-ID: <reused-id@example.net>",
    "",
    "",
  ].join("\r\n");
  let rejected: string | null = null;
  const message = {
    from: "someone@example.net",
    to: MAILTO,
    raw: new Response(raw).body!,
    rawSize: raw.length,
    headers: new Headers({ Subject: `unsubscribe ${token}` }),
    setReject: (reason: string) => (rejected = reason),
  } as unknown as ForwardableEmailMessage;
  const ctx = createExecutionContext();
  await (worker as ExportedHandler<Env>).email!(
    message,
    { ...env, UNSUBSCRIBE_MAILTO: MAILTO } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return rejected;
}

async function expectInvalidLink(res: Response, email: string) {
  expect(res.status).toBe(404);
  const page = await res.text();
  expect(await htmlText(page, "h1")).toBe("This unsubscribe link is not valid");
  expect(page).not.toContain(email);
}

describe("a deleted subscriber's unsubscribe link", () => {
  it("acts on nobody after the next sign-up, by https or by mail, and shows no one's address", async () => {
    const a = "first-reader@example.org";
    const b = "second-reader@example.org";
    const linkOfA = await subscribeAndConfirm(a);
    const idOfA = (await subscriberOf(a))!.id;
    const deleted = await request("/admin/subscribers/delete", form({ email: a }, ADMIN));
    expect(deleted.status).toBe(200);

    const linkOfB = await subscribeAndConfirm(b);
    // B gets an id never held before, so no link mailed to anyone else names it.
    expect((await subscriberOf(b))!.id).toBeGreaterThan(idOfA);

    await expectInvalidLink(await request(linkOfA), b);
    await expectInvalidLink(await oneClick(linkOfA), b);
    const tokenOfA = decodeURIComponent(linkOfA.split("/").at(-1)!);
    expect(await unsubscribeByMail(tokenOfA)).toMatch(/^This unsubscribe token is not valid/);
    expect((await subscriberOf(b))!.status).toBe("active");

    // B's own link still works.
    const own = await oneClick(linkOfB);
    expect(own.status).toBe(200);
    expect((await htmlTexts(await own.text(), "main p"))[0]).toBe(
      `${b} will not receive the digest any more. To come back, sign up again.`,
    );
    expect((await subscriberOf(b))!.status).toBe("unsubscribed");
  });

  it("is bound to its address: it acts on nobody even where another subscriber holds its id (as ids were reused before migration 0009)", async () => {
    const a = "deleted-holder@example.org";
    const b = "later-holder@example.org";
    const linkOfA = await subscribeAndConfirm(a);
    const idOfA = (await subscriberOf(a))!.id;
    expect((await request("/admin/subscribers/delete", form({ email: a }, ADMIN))).status).toBe(
      200,
    );
    // What the old schema did: the next subscriber took the deleted one's id.
    await env.DB.prepare(
      "INSERT INTO subscribers (id, email, status, created_at, updated_at) VALUES (?1, ?2, 'active', ?3, ?3)",
    )
      .bind(idOfA, b, new Date().toISOString())
      .run();

    await expectInvalidLink(await request(linkOfA), b);
    await expectInvalidLink(await oneClick(linkOfA), b);
    const tokenOfA = decodeURIComponent(linkOfA.split("/").at(-1)!);
    expect(await unsubscribeByMail(tokenOfA)).toMatch(/^This unsubscribe token is not valid/);
    expect((await subscriberOf(b))!.status).toBe("active");
  });
});
