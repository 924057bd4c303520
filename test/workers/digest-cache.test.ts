/**
 * Regression: the queue consumer cached each stored digest by week only, so after an operator's
 * rebuild a warm isolate kept sending the old HTML. It is keyed by the content hash now.
 */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { sendDigestChunk } from "../../src/delivery/consumer.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { listOutbox, OutboxTransport } from "../../src/mail/outbox.ts";
import { makeArticle, makeDigestDeps } from "../helpers/fixtures.ts";

const WEEK = "2024-W43";

function articlesWithTitle(title: string) {
  const article = makeArticle({
    slug: "drills",
    title,
    published: "2024-10-22T12:00:00Z",
    html: "<p>Russia and North Korea held joint drills on 22 October 2024, sending 1,500 troops.</p>",
  });
  return [article];
}

it("sends the rebuilt digest, not the one a warm isolate loaded before the rebuild", async () => {
  const config = parseConfig(env);
  const digestDeps = (title: string) => makeDigestDeps(articlesWithTitle(title));
  const { results } = await env.DB.prepare(
    "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES ('first@example.org', 'active', '2024-01-01', '2024-01-01'), ('second@example.org', 'active', '2024-01-01', '2024-01-01') RETURNING id, email",
  ).all<{ id: number; email: string }>();
  const id = (email: string) => results.find((r) => r.email === email)!.id;
  const deps = { db: env.DB, config, mail: config.mail, transport: new OutboxTransport(env.DB) };
  const chunk = (email: string) => ({
    kind: "digest-chunk" as const,
    week: WEEK,
    chunkKey: `${WEEK}:cache:${email}`,
    subscriberIds: [id(email)],
  });

  expect(await buildDigest(env.DB, config, digestDeps("Old headline"), WEEK)).toBe("created");
  expect(await sendDigestChunk(chunk("first@example.org"), 1, deps)).toEqual({
    kind: "sent",
    recipients: 1,
  });
  expect(
    await buildDigest(env.DB, config, digestDeps("New headline"), WEEK, { rebuild: true }),
  ).toBe("replaced");
  expect(await sendDigestChunk(chunk("second@example.org"), 1, deps)).toEqual({
    kind: "sent",
    recipients: 1,
  });

  const sent = await listOutbox(env.DB);
  const to = (email: string) => sent.find((m) => m.to === email)!;
  expect(to("first@example.org").text).toContain("Old headline");
  expect(to("second@example.org").text).toContain("New headline");
  expect(to("second@example.org").text).not.toContain("Old headline");
});
