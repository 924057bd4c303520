/**
 * Sending refuses to run on a TOKEN_SECRET anybody could know (a placeholder or a short value):
 * with it, anyone could forge every recipient's unsubscribe link. The chunk is retried later
 * (the operator sets a real secret), and nobody is handed to the provider meanwhile.
 */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { sendDigestChunk } from "../../src/delivery/consumer.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { listOutbox, OutboxTransport } from "../../src/mail/outbox.ts";
import { makeArticle, makeDigestDeps } from "../helpers/fixtures.ts";

const WEEK = "2024-W43";

it.each([
  ["a placeholder", "change-me-token-secret-0123456789abcdef"],
  ["a short value", "short-secret"],
])("does not send with %s as TOKEN_SECRET", async (_label, secret) => {
  const config = parseConfig({ ...env, TOKEN_SECRET: secret });
  const article = makeArticle({ slug: "drills", published: "2024-10-22T12:00:00Z" });
  await buildDigest(env.DB, config, makeDigestDeps([article]), WEEK);
  const row = await env.DB.prepare(
    "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'active', '2024-01-01', '2024-01-01') RETURNING id",
  )
    .bind(`weak-${secret.length}@example.org`)
    .first<{ id: number }>();
  const outcome = await sendDigestChunk(
    {
      kind: "digest-chunk",
      week: WEEK,
      chunkKey: `${WEEK}:weak:${secret.length}`,
      subscriberIds: [row!.id],
    },
    1,
    { db: env.DB, config, mail: config.mail, transport: new OutboxTransport(env.DB) },
  );
  expect(outcome).toMatchObject({ kind: "retry", reason: expect.stringMatching(/^TOKEN_SECRET /) });
  const sent = await listOutbox(env.DB);
  expect(sent.filter((m) => m.to === `weak-${secret.length}@example.org`)).toEqual([]);
});
