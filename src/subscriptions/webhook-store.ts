/** Webhook messages already handled (migrations/0008): by svix-id, so a replay changes nothing. */

/** Records `id` as handled; false when it already was (a retry or a replay). */
export async function claimWebhookEvent(db: D1Database, id: string, now: Date): Promise<boolean> {
  const result = await db
    .prepare(
      "INSERT INTO webhook_events (id, received_at) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id, now.toISOString())
    .run();
  return result.meta.changes === 1;
}

export async function isWebhookEventHandled(db: D1Database, id: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS handled FROM webhook_events WHERE id = ?1")
    .bind(id)
    .first();
  return row !== null;
}
