/**
 * Mail and subscription settings: `[vars]` plus the secrets in `.dev.vars` locally and
 * `wrangler secret put` in production (.dev.vars.example lists them).
 */
import { ConfigError } from "../config.ts";
import { HttpApiTransport } from "./http-api.ts";
import { OutboxTransport } from "./outbox.ts";
import { SendEmailBindingTransport } from "./send-email-binding.ts";
import type { MailTransport } from "./transport.ts";

export interface MailConfig {
  readonly from: string;
  readonly unsubscribeMailto: string;
  readonly transport: "outbox" | "http";
  readonly apiUrl: string;
  readonly confirmTtlHours: number;
  readonly consentTextVersion: string;
  readonly subscribeRateLimit: number;
  /** HMAC key for unsubscribe links; null when not set (subscriptions are then off). */
  readonly tokenSecret: string | null;
}

export const SUBSCRIBE_WINDOW_SECONDS = 600;

export function readMailConfig(env: Env): MailConfig {
  const from = env.MAIL_FROM?.trim() || "Axis Dispatch <digest@example.org>";
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address)) throw new ConfigError(`MAIL_FROM is "${from}": expected "Name <address@domain>"`);
  const transport = env.MAIL_TRANSPORT?.trim() || "outbox";
  if (transport !== "outbox" && transport !== "http") throw new ConfigError(`MAIL_TRANSPORT is "${transport}": expected outbox or http`);
  if (transport === "http" && !env.EMAIL_API_KEY) throw new ConfigError("MAIL_TRANSPORT is http but the EMAIL_API_KEY secret is not set: expected `wrangler secret put EMAIL_API_KEY`");
  const int = (name: "CONFIRM_TTL_HOURS" | "SUBSCRIBE_RATE_LIMIT", fallback: number, max: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!/^\d+$/.test(raw) || +raw < 1 || +raw > max) throw new ConfigError(`${name} is "${raw}": expected a whole number from 1 to ${max}`);
    return +raw;
  };
  return {
    from,
    unsubscribeMailto: env.UNSUBSCRIBE_MAILTO?.trim() || `unsubscribe@${address.split("@")[1]}`,
    transport,
    apiUrl: env.EMAIL_API_URL?.trim() || "https://api.resend.com",
    confirmTtlHours: int("CONFIRM_TTL_HOURS", 48, 24 * 30),
    consentTextVersion: env.CONSENT_TEXT_VERSION?.trim() || "1",
    subscribeRateLimit: int("SUBSCRIBE_RATE_LIMIT", 5, 10_000),
    tokenSecret: env.TOKEN_SECRET?.trim() || null,
  };
}

/** The transport digests go through. */
export function digestTransport(env: Env, config: MailConfig): MailTransport {
  return config.transport === "http" ? new HttpApiTransport({ baseUrl: config.apiUrl, apiKey: env.EMAIL_API_KEY! }) : new OutboxTransport(env.DB);
}

/** Confirmation mail: the send_email binding where configured, else the digest transport. */
export function confirmationTransport(env: Env, config: MailConfig): MailTransport {
  return env.CONFIRM_EMAIL ? new SendEmailBindingTransport(env.CONFIRM_EMAIL) : digestTransport(env, config);
}
