/**
 * SendEmailBindingTransport (src/mail/send-email-binding.ts) against Miniflare's local send_email
 * binding (vitest.config.ts: TEST_SEND_EMAIL, and TEST_SEND_EMAIL_VERIFIED, which like Email
 * Routing sends only to a verified address). The local binding checks what the real one checks
 * (it parses the raw message, requires a Message-ID and a From header matching the envelope
 * sender, and refuses unlisted destinations) but keeps what it sent to itself, so each test wraps
 * it in a recorder that keeps every EmailMessage's envelope and raw MIME before passing it on.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { listOutbox } from "../../src/mail/outbox.ts";
import type { MailMessage } from "../../src/mail/message.ts";
import { SendEmailBindingTransport } from "../../src/mail/send-email-binding.ts";
import { makeApp } from "../helpers/fixtures.ts";
import { htmlText } from "../helpers/html.ts";
import {
  linksInHtml,
  listUnsubscribeUris,
  mailboxAddress,
  parseMime,
  urlsInText,
} from "../helpers/mime.ts";

const BASE = "http://localhost:8787";

interface Handed {
  readonly from: string;
  readonly to: string;
  readonly raw: string;
}

/** `binding`, recording each EmailMessage handed to it, in order, before it is sent. */
function recording(binding: SendEmail): { binding: SendEmail; handed: Handed[] } {
  const handed: Handed[] = [];
  const send = async (message: EmailMessage | EmailMessageBuilder): Promise<EmailSendResult> => {
    // workerd's EmailMessage keeps its raw MIME under this key (the one Miniflare's binding reads).
    const raw = (message as unknown as Record<string, unknown>)["EmailMessage::raw"];
    if (typeof raw !== "string")
      throw new Error(`expected an EmailMessage with its raw MIME as a string, got ${typeof raw}`);
    const email = message as EmailMessage;
    handed.push({ from: email.from, to: email.to, raw });
    return binding.send(email);
  };
  return { binding: { send } as SendEmail, handed };
}

function makeMessage(to: string, overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    from: "Axis Dispatch <digest@example.org>",
    to,
    subject: "Bestätigung – Axis Dispatch’s weekly digest",
    text: `Hello ${to}\nUnsubscribe: ${BASE}/unsubscribe\n`,
    html: `<!doctype html><html><body><p>Hello ${to}</p><p><a href="${BASE}/unsubscribe">Unsubscribe</a></p></body></html>`,
    headers: {
      "List-Unsubscribe": `<${BASE}/unsubscribe>, <mailto:unsubscribe@example.org?subject=unsubscribe>`,
    },
    messageId: `<${crypto.randomUUID()}@example.org>`,
    date: new Date("2024-10-28T06:00:00Z"),
    ...overrides,
  };
}

describe("SendEmailBindingTransport", () => {
  it("hands each message to the binding as one raw MIME message from the bare sender address", async () => {
    const rec = recording(env.TEST_SEND_EMAIL);
    const messages = [makeMessage("one@example.org"), makeMessage("two@example.org")];
    const result = await new SendEmailBindingTransport(rec.binding).send(messages);
    // The binding accepted both (it throws on a message it cannot parse or will not send).
    expect(result).toEqual({ ok: true, providerIds: messages.map((m) => m.messageId) });
    expect(rec.handed.map(({ from, to }) => ({ from, to }))).toEqual([
      { from: "digest@example.org", to: "one@example.org" },
      { from: "digest@example.org", to: "two@example.org" },
    ]);
    for (const [i, handed] of rec.handed.entries()) {
      const sent = messages[i]!;
      const mime = parseMime(handed.raw);
      expect(mailboxAddress(mime.header("From"))).toBe("digest@example.org");
      expect(mime.header("From")).toMatch(/^Axis Dispatch </);
      expect(mailboxAddress(mime.header("To"))).toBe(sent.to);
      expect(mime.header("Subject")).toBe("Bestätigung – Axis Dispatch’s weekly digest");
      expect(mime.header("Message-ID")).toBe(sent.messageId);
      expect(Date.parse(mime.header("Date")!)).toBe(sent.date.getTime());
      expect(mime.header("MIME-Version")).toBe("1.0");
      expect(listUnsubscribeUris(mime.header("List-Unsubscribe"))).toEqual([
        `${BASE}/unsubscribe`,
        "mailto:unsubscribe@example.org?subject=unsubscribe",
      ]);
      expect(mime.contentType.mediaType).toBe("multipart/alternative");
      expect(
        mime.parts.map((p) => [p.contentType.mediaType, p.contentType.params.charset]),
      ).toEqual([
        ["text/plain", "utf-8"],
        ["text/html", "utf-8"],
      ]);
    }
  });

  it("reports a destination the binding refuses as a failed send, and stops there", async () => {
    const rec = recording(env.TEST_SEND_EMAIL_VERIFIED);
    const messages = [
      makeMessage("verified@example.org"),
      makeMessage("stranger@example.org"),
      makeMessage("verified@example.org"),
    ];
    const result = await new SendEmailBindingTransport(rec.binding).send(messages);
    expect(result).toMatchObject({ ok: false, status: 0 });
    expect(result.ok === false && result.message).toMatch(
      /^send_email failed: .*stranger@example\.org not allowed/,
    );
    expect(rec.handed.map((h) => h.to)).toEqual(["verified@example.org", "stranger@example.org"]);
  });

  it("sends nothing for an empty batch", async () => {
    const rec = recording(env.TEST_SEND_EMAIL);
    expect(await new SendEmailBindingTransport(rec.binding).send([])).toEqual({
      ok: true,
      providerIds: [],
    });
    expect(rec.handed).toEqual([]);
  });

  // Regression (issue 10, item 4): the parts were declared base64 but written as plain text.
  it("sends text and HTML parts that decode to the message's text and HTML", async () => {
    const rec = recording(env.TEST_SEND_EMAIL);
    const message = makeMessage("parts@example.org", {
      text: "Grüße – 1,500 troops\n".repeat(40),
      html: `<p>${"Grüße – 1,500 troops ".repeat(40)}</p>`,
    });
    expect((await new SendEmailBindingTransport(rec.binding).send([message])).ok).toBe(true);
    const [text, html] = parseMime(rec.handed[0]!.raw).parts;
    expect(text!.body).toBe(message.text);
    expect(html!.body).toBe(message.html);
  });
});

describe("confirmation mail through the send_email binding (CONFIRM_EMAIL)", () => {
  const signUp = (email: string, ip: string): RequestInit => ({
    method: "POST",
    body: new URLSearchParams({ email, form: "home" }),
    headers: { "CF-Connecting-IP": ip },
  });
  const outboxTo = async (email: string) =>
    (await listOutbox(env.DB, 1000)).filter((m) => m.to === email);
  const status = (email: string) =>
    env.DB.prepare("SELECT status FROM subscribers WHERE email = ?1")
      .bind(email)
      .first<string>("status");

  it("goes through the binding, not the outbox, when CONFIRM_EMAIL is bound", async () => {
    const rec = recording(env.TEST_SEND_EMAIL);
    const { request } = makeApp([], { CONFIRM_EMAIL: rec.binding });
    const res = await request("/subscribe", signUp("Binding-Reader@Example.org", "203.0.113.101"));
    expect(res.status).toBe(200);
    expect(await htmlText(await res.text(), "h1")).toBe("Check your inbox");

    expect(rec.handed).toHaveLength(1);
    expect(rec.handed[0]).toMatchObject({
      from: "digest@example.org",
      to: "binding-reader@example.org",
    });
    const mime = parseMime(rec.handed[0]!.raw);
    expect(mailboxAddress(mime.header("To"))).toBe("binding-reader@example.org");
    expect(mime.header("Subject")).toBe("Confirm your subscription to Axis Dispatch");
    expect(mime.header("Message-ID")).toMatch(/^<[0-9a-f-]{36}@example\.org>$/);
    expect(await outboxTo("binding-reader@example.org")).toEqual([]);
    expect(await status("binding-reader@example.org")).toBe("pending");
  });

  afterEach(() => vi.restoreAllMocks());

  it("answers the same when the binding refuses the address, and does not fall back to the outbox", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const rec = recording(env.TEST_SEND_EMAIL_VERIFIED);
    const { request } = makeApp([], { CONFIRM_EMAIL: rec.binding });
    const refused = await request("/subscribe", signUp("unverified@example.org", "203.0.113.102"));
    const accepted = await request("/subscribe", signUp("verified@example.org", "203.0.113.103"));
    expect(refused.status).toBe(200);
    expect(await refused.text()).toBe(await accepted.text());
    expect(rec.handed.map((h) => h.to)).toEqual(["unverified@example.org", "verified@example.org"]);
    expect(await outboxTo("unverified@example.org")).toEqual([]);
    expect(await status("unverified@example.org")).toBe("pending");
    // The refusal is the operator's to read, in the log, and only it is logged.
    expect(errors.mock.calls.map((args) => args.join(" "))).toEqual([
      expect.stringMatching(
        /^confirmation email to subscriber \d+ failed: send_email failed: .*unverified@example\.org not allowed$/,
      ),
    ]);
  });

  // Regression, as above: the text part could not be decoded, so its link could not be followed.
  it("sends a text part whose confirmation link confirms the subscription", async () => {
    const rec = recording(env.TEST_SEND_EMAIL);
    const { request } = makeApp([], { CONFIRM_EMAIL: rec.binding });
    await request("/subscribe", signUp("link-reader@example.org", "203.0.113.104"));
    const [text, html] = parseMime(rec.handed[0]!.raw).parts;
    const links = urlsInText(text!.body).filter((u) => u.startsWith(`${BASE}/confirm/`));
    expect(links).toHaveLength(1);
    expect(await linksInHtml(html!.body)).toContain(links[0]);
    const confirmed = await request(new URL(links[0]!).pathname, { method: "POST" });
    expect(confirmed.status).toBe(200);
    expect(await status("link-reader@example.org")).toBe("active");
  });
});
