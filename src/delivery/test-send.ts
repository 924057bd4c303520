/** The admin's "send a test": one copy of a stored digest to any address, subscriber or not. */
import type { MailConfig, SiteConfig } from "../config.ts";
import { getDigest } from "../digest/store.ts";
import type { WeekKey } from "../digest/summary/model.ts";
import { siteUrls } from "../lib/urls.ts";
import { newMessageId } from "../mail/message.ts";
import type { MailTransport } from "../mail/transport.ts";
import { buildDigestMessage } from "./digest-message.ts";

export type TestSendResult =
  { readonly kind: "sent" | "no-digest" } | { readonly kind: "failed"; readonly message: string };

export async function sendTestDigest(
  db: D1Database,
  week: WeekKey,
  to: string,
  deps: { config: SiteConfig; mail: MailConfig; transport: MailTransport; now: Date },
): Promise<TestSendResult> {
  const digest = await getDigest(db, week);
  if (digest === null) return { kind: "no-digest" };
  // Not a subscriber's copy: its unsubscribe links lead to the page that explains unsubscribing,
  // and it advertises no mailto: (there is no token to put in it). Sent once: a random Message-ID.
  const message = buildDigestMessage(
    digest,
    { email: to, unsubscribeUrl: siteUrls(deps.config).unsubscribeInfo(), unsubscribeToken: null },
    deps.config,
    deps.mail,
    { messageId: newMessageId(deps.mail.from), date: deps.now },
  );
  const test = { ...message, subject: `[Test] ${message.subject}` };
  const result = await deps.transport.send([test], `test:${week}:${crypto.randomUUID()}`);
  return result.ok ? { kind: "sent" } : { kind: "failed", message: result.message };
}
