/**
 * The confirmation emails an import owes (import_confirmations, migrations/0013), sent through
 * the queue, never from the request or the command that imported the list:
 *
 * - release: the owed emails not yet queued are marked queued and handed to the queue in
 *   messages of at most 100 (the upload releases its own at once; after a CLI import, /admin's
 *   button does);
 * - send: the consumer sends each message's emails as one provider batch, to the addresses still
 *   pending, and marks them mailed. Each email's link comes from an HMAC of its consent id under
 *   TOKEN_SECRET, and its Message-ID and Date from the consent, so a retried message sends the
 *   same bytes under the same idempotency key: the provider sends it once, and the link in the
 *   email that arrived is the one stored.
 *
 * Each address gets one email: it is new (the import never writes to an address it already
 * has), so the per-address limit (limits.ts, one per 10 minutes and three a day) holds.
 */
import type { MailConfig, SiteConfig } from "../config.ts";
import { toBase64Url } from "../lib/base64.ts";
import { hmacSign, sha256Hex } from "../lib/crypto.ts";
import { weakSecret } from "../lib/secret-strength.ts";
import { siteUrls } from "../lib/urls.ts";
import { senderDomain } from "../mail/message.ts";
import type { MailTransport } from "../mail/transport.ts";
import { buildConfirmationMessage } from "./confirmation-email.ts";

/** A queue message: some of one import's owed confirmation emails. */
export interface ImportConfirmMessage {
  readonly kind: "import-confirm";
  readonly importId: number;
  readonly consentIds: readonly number[];
}

/** Emails per queue message: one provider batch (at most 100). */
const PER_MESSAGE = 100;
/** Queues take at most 100 messages per sendBatch call. */
const SEND_BATCH = 100;

export interface WaitingImport {
  readonly importId: number;
  readonly source: string;
  readonly importedAt: string;
  /** Owed emails not yet handed to the queue. */
  readonly waiting: number;
}

/** Imports with confirmation emails not yet released, newest first (for /admin). */
export async function listWaitingImports(db: D1Database): Promise<WaitingImport[]> {
  const { results } = await db
    .prepare(
      `SELECT i.id AS importId, i.source, i.imported_at AS importedAt, count(*) AS waiting
       FROM import_confirmations ic JOIN subscriber_imports i ON i.id = ic.import_id
       WHERE ic.queued_at IS NULL GROUP BY i.id ORDER BY i.id DESC`,
    )
    .all<WaitingImport>();
  return results;
}

/**
 * Hands import `importId`'s unreleased confirmation emails to `queue`; returns how many. Marked
 * queued first, in one statement, so two releases never queue the same email; a queue that
 * refuses them unmarks them, to be released again.
 */
export async function releaseImportConfirmations(
  db: D1Database,
  queue: Queue<ImportConfirmMessage>,
  importId: number,
  now: Date,
): Promise<number> {
  const { results } = await db
    .prepare(
      `UPDATE import_confirmations SET queued_at = ?2
       WHERE import_id = ?1 AND queued_at IS NULL RETURNING consent_id AS id`,
    )
    .bind(importId, now.toISOString())
    .all<{ id: number }>();
  const ids = results.map((r) => r.id).sort((a, b) => a - b);
  const messages: MessageSendRequest<ImportConfirmMessage>[] = [];
  for (let i = 0; i < ids.length; i += PER_MESSAGE)
    messages.push({
      body: { kind: "import-confirm", importId, consentIds: ids.slice(i, i + PER_MESSAGE) },
    });
  try {
    for (let i = 0; i < messages.length; i += SEND_BATCH)
      await queue.sendBatch(messages.slice(i, i + SEND_BATCH));
  } catch (err) {
    await db
      .prepare(
        "UPDATE import_confirmations SET queued_at = NULL WHERE import_id = ?1 AND queued_at = ?2",
      )
      .bind(importId, now.toISOString())
      .run();
    throw err;
  }
  return ids.length;
}

export type ConfirmChunkOutcome =
  | { readonly kind: "sent"; readonly emails: number }
  | { readonly kind: "retry"; readonly reason: string; readonly retryAfterSeconds?: number }
  | { readonly kind: "failed"; readonly reason: string };

export interface ConfirmSendDeps {
  readonly db: D1Database;
  readonly config: SiteConfig;
  readonly mail: MailConfig;
  readonly transport: MailTransport;
  readonly now: Date;
}

/** The confirmation token of an imported opt-in request: the same on every retry. */
async function importConfirmToken(secret: string, consentId: number): Promise<string> {
  return toBase64Url(await hmacSign(secret, `import-confirm:${consentId}`));
}

/** Sends one queue message's confirmation emails (those still owed and still pending). */
export async function sendImportConfirmations(
  msg: ImportConfirmMessage,
  deps: ConfirmSendDeps,
): Promise<ConfirmChunkOutcome> {
  const { db, mail } = deps;
  const secret = mail.tokenSecret;
  const weak = secret === null ? "TOKEN_SECRET is not set" : weakSecret("TOKEN_SECRET", secret);
  if (secret === null || weak !== null)
    return { kind: "retry", reason: `${weak}: cannot make confirmation links` };
  const { results: owed } = await db
    .prepare(
      `SELECT ic.consent_id AS consentId, s.id AS subscriberId, s.email, c.requested_at AS requestedAt
       FROM import_confirmations ic
       JOIN consents c ON c.id = ic.consent_id
       JOIN subscribers s ON s.id = c.subscriber_id
       WHERE ic.consent_id IN (SELECT value FROM json_each(?1)) AND ic.import_id = ?2
         AND ic.mailed_at IS NULL AND c.confirmed_at IS NULL AND s.status = 'pending'
       ORDER BY ic.consent_id`,
    )
    .bind(JSON.stringify(msg.consentIds), msg.importId)
    .all<{ consentId: number; subscriberId: number; email: string; requestedAt: string }>();
  if (owed.length === 0) return { kind: "sent", emails: 0 };
  const urls = siteUrls(deps.config);
  const links = await Promise.all(
    owed.map(async (o) => {
      const token = await importConfirmToken(secret, o.consentId);
      const requested = new Date(o.requestedAt);
      const message = await buildConfirmationMessage(
        o.email,
        urls.confirm(token),
        deps.config,
        mail,
        requested,
      );
      return {
        ...o,
        tokenHash: await sha256Hex(token),
        // Valid for CONFIRM_TTL_HOURS from when the email goes out, not from the import.
        expiresAt: new Date(deps.now.getTime() + mail.confirmTtlHours * 3_600_000).toISOString(),
        message: {
          ...message,
          messageId: `<import-confirm.${o.consentId}@${senderDomain(mail.from)}>`,
        },
      };
    }),
  );
  // The links exist before the emails leave: a reader may click at once. A retry keeps the
  // first stored expiry (ON CONFLICT DO NOTHING).
  await db.batch(
    links.map((l) =>
      db
        .prepare(
          `INSERT INTO confirmation_tokens (token_hash, subscriber_id, consent_id, expires_at)
           VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING`,
        )
        .bind(l.tokenHash, l.subscriberId, l.consentId, l.expiresAt),
    ),
  );
  const key = `import-confirm:${msg.importId}:${msg.consentIds[0]}`;
  const sent = await deps.transport.send(
    links.map((l) => l.message),
    key,
  );
  if (!sent.ok)
    return sent.retryable
      ? {
          kind: "retry",
          reason: sent.message,
          ...(sent.retryAfterSeconds === undefined
            ? {}
            : { retryAfterSeconds: sent.retryAfterSeconds }),
        }
      : { kind: "failed", reason: sent.message };
  await db
    .prepare(
      `UPDATE import_confirmations SET mailed_at = ?1
       WHERE consent_id IN (SELECT value FROM json_each(?2)) AND mailed_at IS NULL`,
    )
    .bind(deps.now.toISOString(), JSON.stringify(links.map((l) => l.consentId)))
    .run();
  return { kind: "sent", emails: links.length };
}
