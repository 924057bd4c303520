/**
 * An outgoing email, independent of how it is sent. Its raw MIME form is in mime.ts; the rules
 * its header values follow (no control characters, RFC 2047 for the rest) in mime-header.ts.
 */
import { headerText, rfc5322Date } from "./mime-header.ts";

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

/** The domain of a `Name <address>` or bare address, for Message-IDs. */
export function senderDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
}

/** A random Message-ID, for mail sent once (confirmations, tests). */
export function newMessageId(from: string): string {
  return `<${crypto.randomUUID()}@${senderDomain(from)}>`;
}

/**
 * Every header of the message as a plain object (as the outbox keeps them and the HTTP API
 * receives them), values as header text: control characters, CR and LF among them, are spaces.
 */
export function messageHeaders(msg: MailMessage): Record<string, string> {
  return {
    From: headerText(msg.from),
    To: headerText(msg.to),
    Subject: headerText(msg.subject),
    Date: rfc5322Date(msg.date),
    "Message-ID": headerText(msg.messageId),
    "MIME-Version": "1.0",
    ...extraHeaders(msg),
  };
}

/** The message's extra headers, values as header text. */
export function extraHeaders(msg: MailMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(msg.headers).map(([name, value]) => [name, headerText(value)]),
  );
}
