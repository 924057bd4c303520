/**
 * Test set-up for sends: the given addresses become the only active subscribers. Tests in a file
 * share storage, so everyone added before is unsubscribed first. Written with plain SQL, apart
 * from the sign-up code under test.
 */
import { env } from "cloudflare:workers";

export async function onlyActiveSubscribers(...emails: string[]): Promise<void> {
  await env.DB.prepare("UPDATE subscribers SET status = 'unsubscribed'").run();
  for (const email of emails)
    await env.DB.prepare(
      "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, 'active', '2024-01-01', '2024-01-01')",
    )
      .bind(email)
      .run();
}
