/**
 * An HTTP email API in the style of Resend's batch endpoint
 * (POST {base}/emails/batch, `Authorization: Bearer <key>`, `Idempotency-Key`; up to 100 emails).
 *
 * Resend keeps an idempotency key for 24 hours
 * (https://resend.com/docs/dashboard/emails/idempotency-keys): the same key with the same
 * payload answers the first request's result without sending again; the same key with another
 * payload answers 409 `invalid_idempotent_request`; a key whose first request is still being
 * processed answers 409 `concurrent_idempotent_requests`. So:
 *  - 2xx: sent;
 *  - 409 invalid_idempotent_request: a request under this key was accepted before, so its
 *    recipients have it: sent, never sent again (a caller that keeps a chunk's key and payload
 *    only sees this when the digest was rebuilt or a recipient left in between);
 *  - 409 concurrent_idempotent_requests, 429, 5xx, a network error, and any other 409: not known
 *    to be sent, retried under the same key. Never taken as sent;
 *  - any other 4xx: refused, retrying cannot help.
 */
import { extraHeaders, type MailMessage } from "./message.ts";
import { headerText } from "./mime-header.ts";
import type { MailTransport, SendResult } from "./transport.ts";

export interface HttpApiOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
}

/** The error name in a Resend-style error body (`{"name": …, "message": …}`), if any. */
function errorName(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { name?: unknown };
    return typeof parsed.name === "string" ? parsed.name : null;
  } catch {
    return null;
  }
}

/** The request body: one JSON object per email; header values without control characters. */
export function batchBody(messages: readonly MailMessage[]): string {
  return JSON.stringify(
    messages.map((m) => ({
      from: headerText(m.from),
      to: [m.to],
      subject: headerText(m.subject),
      text: m.text,
      html: m.html,
      headers: { "Message-ID": headerText(m.messageId), ...extraHeaders(m) },
    })),
  );
}

export class HttpApiTransport implements MailTransport {
  readonly name = "http";
  /** `to` goes as JSON text to the provider, whose servers speak SMTPUTF8. */
  readonly smtpUtf8 = true;
  readonly options: HttpApiOptions;

  constructor(options: HttpApiOptions) {
    this.options = options;
  }

  async send(messages: readonly MailMessage[], idempotencyKey: string): Promise<SendResult> {
    if (messages.length === 0) return { ok: true, providerIds: [] };
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(
        `${this.options.baseUrl.replace(/\/+$/, "")}/emails/batch`,
        {
          method: "POST",
          headers: {
            Authorization: `Bearer ${this.options.apiKey}`,
            "Content-Type": "application/json",
            "Idempotency-Key": idempotencyKey,
          },
          body: batchBody(messages),
        },
      );
    } catch (err) {
      return { ok: false, retryable: true, status: 0, message: `network error: ${String(err)}` };
    }
    const text = await res.text().catch((err: unknown) => `(answer lost: ${String(err)})`);
    if (res.ok) {
      let ids: string[] = [];
      try {
        ids = ((JSON.parse(text || "{}") as { data?: { id: string }[] }).data ?? []).map(
          (d) => d.id,
        );
      } catch {
        // Accepted (2xx) whatever the body says: the ids are for the log only.
      }
      return { ok: true, providerIds: ids };
    }
    const name = res.status === 409 ? errorName(text) : null;
    if (name === "invalid_idempotent_request") return { ok: true, providerIds: [] };
    const retryAfter = Number(res.headers.get("Retry-After"));
    return {
      ok: false,
      retryable: res.status === 409 || res.status === 429 || res.status >= 500,
      status: res.status,
      message: `email API answered ${res.status}${name ? ` ${name}` : ""}: ${text.slice(0, 300)}`,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    };
  }
}
