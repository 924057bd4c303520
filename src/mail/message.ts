/**
 * An outgoing email, independent of how it is sent, and its MIME form (RFC 5322 +
 * multipart/alternative, RFC 2046) built with mimetext.
 */
import { createMimeMessage } from "mimetext/browser";

export interface MailMessage {
  /** `Name <address>` or a bare address. */
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Extra headers, e.g. List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058). */
  readonly headers: Readonly<Record<string, string>>;
  /** `<…@domain>` */
  readonly messageId: string;
  readonly date: Date;
}

export function newMessageId(from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
  return `<${crypto.randomUUID()}@${domain}>`;
}

function parseMailbox(value: string): { name?: string; addr: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  return m
    ? { ...(m[1] ? { name: m[1].replace(/^"|"$/g, "") } : {}), addr: m[2]! }
    : { addr: value.trim() };
}

/** Every header of the message as a plain object, as the outbox shows them. */
export function messageHeaders(msg: MailMessage): Record<string, string> {
  return {
    From: msg.from,
    To: msg.to,
    Subject: msg.subject,
    Date: msg.date.toUTCString(),
    "Message-ID": msg.messageId,
    "MIME-Version": "1.0",
    ...msg.headers,
  };
}

/** The raw RFC 5322 message: multipart/alternative with the text part first (RFC 2046 §5.1.4). */
export function toMime(msg: MailMessage): string {
  const mime = createMimeMessage();
  mime.setSender(parseMailbox(msg.from));
  mime.setRecipient(parseMailbox(msg.to).addr);
  mime.setSubject(msg.subject);
  mime.setHeader("Date", msg.date.toUTCString());
  mime.setHeader("Message-ID", msg.messageId);
  for (const [name, value] of Object.entries(msg.headers)) mime.setHeader(name, value);
  // base64 keeps every line short whatever the content (RFC 5322's 998-octet line limit).
  mime.addMessage({
    contentType: "text/plain",
    charset: "utf-8",
    encoding: "base64",
    data: msg.text,
  });
  mime.addMessage({
    contentType: "text/html",
    charset: "utf-8",
    encoding: "base64",
    data: msg.html,
  });
  return mime.asRaw();
}
