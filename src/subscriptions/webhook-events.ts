/**
 * The provider's bounce and complaint events (Resend: https://resend.com/docs/dashboard/webhooks/event-types):
 * `{"type": "email.bounced", "data": {"to": ["a@example.org"], …}}`. Other event types are
 * acknowledged and ignored, since the provider sends whatever the endpoint subscribed to.
 */
import { normalizeEmail } from "./address.ts";
import { weekOfMessageId } from "./issue-events.ts";

export type SuppressionReason = "bounced" | "complained";

export type WebhookEvent =
  | {
      kind: "suppress";
      reason: SuppressionReason;
      emails: string[];
      /** The digest the message was, when the event carries its Message-ID; else null. */
      week: string | null;
    }
  | { kind: "ignored"; type: string }
  | { kind: "malformed"; problem: string };

/**
 * A Map, not an object literal: `type` is whatever the provider (or a replayed message) sends,
 * and an object would answer "__proto__", "constructor" or "toString" with what it inherits,
 * taking an unknown type for a suppression (500 on binding an object, or 400 on its missing
 * "data.to"), so the event was never recorded and the provider retried it for ever.
 */
const REASONS: ReadonlyMap<string, SuppressionReason> = new Map([
  ["email.bounced", "bounced"],
  ["email.complained", "complained"],
]);

export function parseWebhookEvent(body: string): WebhookEvent {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { kind: "malformed", problem: "the body is not JSON" };
  }
  if (
    typeof event !== "object" ||
    event === null ||
    typeof (event as { type?: unknown }).type !== "string"
  )
    return { kind: "malformed", problem: 'expected a JSON object with a string "type"' };
  const { type, data } = event as {
    type: string;
    data?: { to?: unknown; headers?: unknown; message_id?: unknown };
  };
  const reason = REASONS.get(type);
  if (reason === undefined) return { kind: "ignored", type };
  const to = data?.to;
  const list = typeof to === "string" ? [to] : Array.isArray(to) ? to : null;
  if (list === null || list.length === 0)
    return {
      kind: "malformed",
      problem: `${type}: expected "data.to", an address or a list of them`,
    };
  const emails: string[] = [];
  for (const raw of list) {
    const address = normalizeEmail(typeof raw === "string" ? raw : null);
    if (!address.ok)
      return {
        kind: "malformed",
        problem: `${type}: "data.to" holds a value that is not an address`,
      };
    emails.push(address.email);
  }
  return { kind: "suppress", reason, emails, week: weekOfMessageId(messageIdOf(data)) };
}

/**
 * The Message-ID the event names, if any: `data.message_id`, or a `Message-ID` among
 * `data.headers` (a list of {name, value}, as providers echo the headers they were given).
 */
function messageIdOf(data: { headers?: unknown; message_id?: unknown } | undefined): string | null {
  if (typeof data?.message_id === "string") return data.message_id;
  if (!Array.isArray(data?.headers)) return null;
  for (const h of data.headers as unknown[]) {
    const { name, value } = (h ?? {}) as { name?: unknown; value?: unknown };
    if (
      typeof name === "string" &&
      name.toLowerCase() === "message-id" &&
      typeof value === "string"
    )
      return value;
  }
  return null;
}
