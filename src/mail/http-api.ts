/**
 * An HTTP email API in the style of Resend's batch endpoint
 * (POST {base}/emails/batch, `Authorization: Bearer <key>`, `Idempotency-Key`; up to 100 emails).
 * 429 and 5xx are retryable; 409 on an idempotency key means the batch was already accepted.
 */
import type { MailMessage } from "./message.ts";
import type { MailTransport, SendResult } from "./transport.ts";

export interface HttpApiOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
}

export class HttpApiTransport implements MailTransport {
  readonly name = "http";
  readonly options: HttpApiOptions;

  constructor(options: HttpApiOptions) {
    this.options = options;
  }

  async send(messages: readonly MailMessage[], idempotencyKey: string): Promise<SendResult> {
    if (messages.length === 0) return { ok: true, providerIds: [] };
    const body = messages.map((m) => ({
      from: m.from,
      to: [m.to],
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: { "Message-ID": m.messageId, ...m.headers },
    }));
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
          body: JSON.stringify(body),
        },
      );
    } catch (err) {
      return { ok: false, retryable: true, status: 0, message: `network error: ${String(err)}` };
    }
    const text = await res.text();
    if (res.ok) {
      const ids = ((JSON.parse(text || "{}") as { data?: { id: string }[] }).data ?? []).map(
        (d) => d.id,
      );
      return { ok: true, providerIds: ids };
    }
    if (res.status === 409 && /idempotenc/i.test(text)) return { ok: true, providerIds: [] };
    const retryAfter = Number(res.headers.get("Retry-After"));
    return {
      ok: false,
      retryable: res.status === 429 || res.status >= 500,
      status: res.status,
      message: `email API answered ${res.status}: ${text.slice(0, 300)}`,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    };
  }
}
