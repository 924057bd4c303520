/**
 * The default transport: a local outbox in D1. Nothing leaves the machine; /admin/outbox shows
 * every message exactly as it would have been sent.
 */
import { messageHeaders, type MailMessage, toMime } from "./message.ts";
import type { MailTransport, SendResult } from "./transport.ts";

export interface OutboxMessage {
  readonly id: number;
  readonly createdAt: string;
  readonly to: string;
  readonly subject: string;
  readonly headers: Record<string, string>;
  readonly text: string;
  readonly html: string;
}

export class OutboxTransport implements MailTransport {
  readonly name = "outbox";
  constructor(private readonly db: D1Database, private readonly now: () => Date = () => new Date()) {}

  async send(messages: readonly MailMessage[], idempotencyKey: string): Promise<SendResult> {
    if (messages.length === 0) return { ok: true, providerIds: [] };
    const rows = messages.map((m) => ({ to: m.to, subject: m.subject, headers: JSON.stringify(messageHeaders(m)), text: m.text, html: m.html, raw: toMime(m) }));
    // One statement for the whole batch; the (key, recipient) unique index makes a retry a no-op.
    await this.db
      .prepare(
        `INSERT INTO outbox (created_at, idempotency_key, to_addr, subject, headers_json, text, html, raw)
         SELECT ?1, ?2, json_extract(value, '$.to'), json_extract(value, '$.subject'), json_extract(value, '$.headers'),
                json_extract(value, '$.text'), json_extract(value, '$.html'), json_extract(value, '$.raw')
         FROM json_each(?3)
         WHERE true -- SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT (parsing ambiguity)
         ON CONFLICT (idempotency_key, to_addr) DO NOTHING`,
      )
      .bind(this.now().toISOString(), idempotencyKey, JSON.stringify(rows))
      .run();
    return { ok: true, providerIds: messages.map((m) => m.messageId) };
  }
}

/** Newest first. */
export async function listOutbox(db: D1Database, limit = 200): Promise<OutboxMessage[]> {
  const { results } = await db
    .prepare("SELECT id, created_at, to_addr, subject, headers_json, text, html FROM outbox ORDER BY id DESC LIMIT ?1")
    .bind(limit)
    .all<{ id: number; created_at: string; to_addr: string; subject: string; headers_json: string; text: string; html: string }>();
  return results.map((r) => ({ id: r.id, createdAt: r.created_at, to: r.to_addr, subject: r.subject, headers: JSON.parse(r.headers_json) as Record<string, string>, text: r.text, html: r.html }));
}

export async function getOutboxRaw(db: D1Database, id: number): Promise<string | null> {
  const row = await db.prepare("SELECT raw FROM outbox WHERE id = ?1").bind(id).first<{ raw: string }>();
  return row?.raw ?? null;
}
