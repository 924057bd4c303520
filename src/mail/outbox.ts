/**
 * The default transport: a local outbox in D1. Nothing leaves the machine; /admin/outbox shows
 * every message exactly as it would have been sent, and /admin/outbox/{id}.eml rebuilds the raw
 * MIME message from the stored row.
 */
import { fromBase64, toBase64 } from "../lib/base64.ts";
import { type MailMessage, messageHeaders } from "./message.ts";
import { toMime } from "./mime.ts";
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

/** D1 caps a bound string at 2 MB: rows go in statements of at most this much JSON. */
const STATEMENT_BYTES = 1_500_000;

async function gzipBase64(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return toBase64(new Uint8Array(await new Response(stream).arrayBuffer()));
}

async function gunzipBase64(b64: string): Promise<string> {
  const bytes = fromBase64(b64);
  if (bytes === null) throw new Error("outbox: a stored body is not base64");
  return new Response(
    new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
}

export class OutboxTransport implements MailTransport {
  readonly name = "outbox";
  /** The outbox keeps the message as written; nothing is sent. */
  readonly smtpUtf8 = true;
  readonly #db: D1Database;
  readonly #now: () => Date;

  constructor(db: D1Database, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  async send(messages: readonly MailMessage[], idempotencyKey: string): Promise<SendResult> {
    if (messages.length === 0) return { ok: true, providerIds: [] };
    const rows = await Promise.all(
      messages.map(async (m) =>
        JSON.stringify({
          to: m.to,
          subject: m.subject,
          headers: JSON.stringify(messageHeaders(m)),
          body: await gzipBase64(JSON.stringify({ text: m.text, html: m.html })),
        }),
      ),
    );
    // Usually one statement per chunk; a very large week takes a few. Never one per recipient.
    const groups: string[][] = [[]];
    let size = 0;
    for (const row of rows) {
      if (size + row.length > STATEMENT_BYTES && groups.at(-1)!.length > 0) {
        groups.push([]);
        size = 0;
      }
      groups.at(-1)!.push(row);
      size += row.length;
    }
    const at = this.#now().toISOString();
    await this.#db.batch(
      groups.map((g) =>
        this.#db
          .prepare(
            `INSERT INTO outbox (created_at, idempotency_key, to_addr, subject, headers_json, body_gzip)
             SELECT ?1, ?2, json_extract(value, '$.to'), json_extract(value, '$.subject'), json_extract(value, '$.headers'), json_extract(value, '$.body')
             FROM json_each(?3)
             WHERE true -- SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT (parsing ambiguity)
             ON CONFLICT (idempotency_key, to_addr) DO NOTHING`,
          )
          .bind(at, idempotencyKey, `[${g.join(",")}]`),
      ),
    );
    return { ok: true, providerIds: messages.map((m) => m.messageId) };
  }
}

interface OutboxRow {
  id: number;
  created_at: string;
  to_addr: string;
  subject: string;
  headers_json: string;
  body_gzip: string;
}

async function fromRow(r: OutboxRow): Promise<OutboxMessage> {
  const body = JSON.parse(await gunzipBase64(r.body_gzip)) as { text: string; html: string };
  return {
    id: r.id,
    createdAt: r.created_at,
    to: r.to_addr,
    subject: r.subject,
    headers: JSON.parse(r.headers_json) as Record<string, string>,
    text: body.text,
    html: body.html,
  };
}

/** Newest first. */
export async function listOutbox(db: D1Database, limit = 100): Promise<OutboxMessage[]> {
  const { results } = await db
    .prepare("SELECT * FROM outbox ORDER BY id DESC LIMIT ?1")
    .bind(limit)
    .all<OutboxRow>();
  return Promise.all(results.map(fromRow));
}

/** The raw RFC 5322 message, rebuilt from the stored headers and bodies. */
export async function getOutboxRaw(db: D1Database, id: number): Promise<string | null> {
  const row = await db.prepare("SELECT * FROM outbox WHERE id = ?1").bind(id).first<OutboxRow>();
  if (!row) return null;
  const m = await fromRow(row);
  const {
    From,
    To,
    Subject,
    Date: date,
    "Message-ID": messageId,
    "MIME-Version": _mime,
    ...extra
  } = m.headers;
  return toMime({
    from: From ?? "",
    to: To ?? m.to,
    subject: Subject ?? m.subject,
    text: m.text,
    html: m.html,
    headers: extra,
    messageId: messageId ?? "",
    date: new Date(date ?? m.createdAt),
  });
}
