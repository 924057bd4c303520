/**
 * The Worker's configuration: `[vars]` in wrangler.toml plus the secrets (.dev.vars locally,
 * `wrangler secret put` in production; .dev.vars.example lists them), parsed in one place.
 * Every variable has a default in VAR_DEFAULTS (the README's table); a value that is set but
 * wrong is an error naming the variable, because serving feeds with broken self links is worse
 * for aggregators than failing loudly.
 */
import { isValidTimeZone } from "./lib/time.ts";
import { parseSendAt, type SendAt } from "./lib/send-at.ts";

export type { SendAt };

export interface SiteConfig {
  readonly title: string;
  readonly description: string;
  /** Origin (and optional path prefix) every absolute link is built from; no trailing slash. */
  readonly baseUrl: string;
  readonly author: { readonly name: string; readonly email: string | null };
  /** BCP 47 language tag, e.g. `en`. */
  readonly language: string;
  readonly feedItemLimit: number;
  readonly cacheMaxAge: number;
  /** How long an isolate trusts the content version it last read from D1 before asking again:
   * within it, warm requests make no D1 query; a publish shows after at most this long. */
  readonly contentRefreshSeconds: number;
  readonly hubUrl: string | null;
  /** IANA zone the digest's ISO weeks are cut in. */
  readonly digestTimeZone: string;
  /** Publisher's contact line for email footers. */
  readonly publisherContact: string;
  /** When the cron may mail a digest without a person's approval (src/digest/review.ts). */
  readonly digestSend: DigestSendMode;
  /** When the week that just ended goes out, in digestTimeZone (src/lib/send-at.ts). */
  readonly digestSendAt: SendAt;
}

/**
 * DIGEST_SEND. `auto`: a digest whose items are all editors' key points is sent, one with an
 * extracted item waits for review; `review`: every digest waits; `always`: none waits.
 */
export type DigestSendMode = "auto" | "review" | "always";

export interface MailConfig {
  readonly from: string;
  /**
   * The address List-Unsubscribe's `mailto:` points to, which Email Routing must deliver to this
   * Worker's email() handler; null (UNSUBSCRIBE_MAILTO empty): no `mailto:` is advertised.
   */
  readonly unsubscribeMailto: string | null;
  readonly transport: "outbox" | "http";
  readonly apiUrl: string;
  readonly confirmTtlHours: number;
  readonly consentTextVersion: string;
  readonly subscribeRateLimit: number;
  /** HMAC key for unsubscribe links; null when not set (subscriptions are then off). */
  readonly tokenSecret: string | null;
  /** Days a consent record keeps its IP addresses; the cron removes them after that. */
  readonly consentIpRetentionDays: number;
  /** Who is told (once per version) that a digest waits for review; null: nobody, the log only. */
  readonly adminEmail: string | null;
}

/** Everything: the site's settings, and the mail settings under `mail`. */
export interface Config extends SiteConfig {
  readonly mail: MailConfig;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Each `[vars]` variable's default when it is unset or empty, as the README documents them;
 * null where the default is derived from another value (PUBLISHER_CONTACT: the site title) or is
 * "none" (UNSUBSCRIBE_MAILTO: no mailto: unsubscribe unless Email Routing is set up for it).
 */
export const VAR_DEFAULTS = {
  SITE_TITLE: "Axis Dispatch",
  SITE_DESCRIPTION:
    "Dated reporting on Russia, North Korea, China and the actors around them, as feeds and a weekly digest.",
  BASE_URL: "http://localhost:8787",
  AUTHOR_NAME: "Axis Dispatch",
  AUTHOR_EMAIL: null,
  LANGUAGE: "en",
  FEED_ITEM_LIMIT: "50",
  CACHE_MAX_AGE: "300",
  CONTENT_REFRESH_SECONDS: "30",
  WEBSUB_HUB: null,
  DIGEST_TIME_ZONE: "UTC",
  PUBLISHER_CONTACT: null,
  MAIL_FROM: "Axis Dispatch <digest@example.org>",
  MAIL_TRANSPORT: "outbox",
  EMAIL_API_URL: "https://api.resend.com",
  UNSUBSCRIBE_MAILTO: null,
  CONFIRM_TTL_HOURS: "48",
  CONSENT_TEXT_VERSION: "2026-11-21",
  SUBSCRIBE_RATE_LIMIT: "5",
  CONSENT_IP_RETENTION_DAYS: "365",
  DIGEST_SEND: "auto",
  DIGEST_SEND_AT: "monday 06:00",
  ADMIN_EMAIL: null,
} as const satisfies Record<string, string | null>;

export type VarName = keyof typeof VAR_DEFAULTS;
type SecretName = "TOKEN_SECRET" | "EMAIL_API_KEY";
/** What the parser reads: the Worker's Env has these, and more. */
export type ConfigEnv = Partial<Record<VarName | SecretName, string>>;

/** Seconds in a sign-up rate-limit window (SUBSCRIBE_RATE_LIMIT counts per window). */
export const SUBSCRIBE_WINDOW_SECONDS = 600;

const ADDRESS = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

const cache = new WeakMap<object, Config>();

/** Reads and validates the config; memoized per env object (one per isolate in workerd). */
export function readConfig(env: ConfigEnv): Config {
  const hit = cache.get(env);
  if (hit) return hit;
  const config = parseConfig(env);
  cache.set(env, config);
  return config;
}

export function parseConfig(env: ConfigEnv): Config {
  const raw = (name: VarName): string | null => env[name]?.trim() || VAR_DEFAULTS[name];
  const text = (name: VarName, fallback: string): string => raw(name) ?? fallback;
  const int = (name: VarName, min: number, max: number): number => {
    const value = raw(name)!;
    if (!/^\d+$/.test(value) || +value < min || +value > max) {
      throw new ConfigError(`${name} is "${value}": expected a whole number from ${min} to ${max}`);
    }
    return +value;
  };
  const url = (name: VarName): string | null => {
    const value = raw(name);
    if (value === null) return null;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(
        `${name} is "${value}": expected an absolute http(s) URL such as https://dispatch.example.org`,
      );
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      throw new ConfigError(`${name} is "${value}": expected an http or https URL`);
    }
    if (parsed.search || parsed.hash) {
      throw new ConfigError(`${name} is "${value}": expected no query string or fragment`);
    }
    return parsed.href;
  };

  const language = text("LANGUAGE", "en");
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) {
    throw new ConfigError(
      `LANGUAGE is "${language}": expected a BCP 47 language tag such as en or en-GB`,
    );
  }
  const email = raw("AUTHOR_EMAIL");
  if (email !== null && !ADDRESS.test(email)) {
    throw new ConfigError(
      `AUTHOR_EMAIL is "${email}": expected an address such as editor@example.org, or empty`,
    );
  }
  const digestTimeZone = text("DIGEST_TIME_ZONE", "UTC");
  if (!isValidTimeZone(digestTimeZone)) {
    throw new ConfigError(
      `DIGEST_TIME_ZONE is "${digestTimeZone}": expected an IANA time zone such as UTC, Europe/Berlin or Asia/Seoul`,
    );
  }
  const digestSend = raw("DIGEST_SEND")!;
  if (digestSend !== "auto" && digestSend !== "review" && digestSend !== "always") {
    throw new ConfigError(`DIGEST_SEND is "${digestSend}": expected auto, review or always`);
  }
  const sendAtText = raw("DIGEST_SEND_AT")!;
  const digestSendAt = parseSendAt(sendAtText);
  if (digestSendAt === null)
    throw new ConfigError(
      `DIGEST_SEND_AT is "${sendAtText}": expected a weekday and a 24-hour local time in DIGEST_TIME_ZONE, such as "monday 06:00"`,
    );
  const title = text("SITE_TITLE", "");
  return {
    title,
    description: text("SITE_DESCRIPTION", ""),
    baseUrl: url("BASE_URL")!.replace(/\/+$/, ""),
    author: { name: text("AUTHOR_NAME", title), email },
    language,
    feedItemLimit: int("FEED_ITEM_LIMIT", 1, 1000),
    cacheMaxAge: int("CACHE_MAX_AGE", 0, 31_536_000),
    contentRefreshSeconds: int("CONTENT_REFRESH_SECONDS", 0, 3600),
    hubUrl: url("WEBSUB_HUB"),
    digestTimeZone,
    publisherContact: text("PUBLISHER_CONTACT", title),
    digestSend,
    digestSendAt,
    mail: parseMailConfig(env, raw, int),
  };
}

/** UNSUBSCRIBE_MAILTO: a plain address (it goes into a mailto: URI), or null when empty. */
function unsubscribeMailto(value: string | null): string | null {
  if (value === null) return null;
  if (!/^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/.test(value))
    throw new ConfigError(
      `UNSUBSCRIBE_MAILTO is "${value}": expected an address routed to this Worker by Email Routing, such as unsubscribe@example.org, or empty for none`,
    );
  return value.toLowerCase();
}

function parseMailConfig(
  env: ConfigEnv,
  raw: (name: VarName) => string | null,
  int: (name: VarName, min: number, max: number) => number,
): MailConfig {
  const from = raw("MAIL_FROM")!;
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  if (!ADDRESS.test(address))
    throw new ConfigError(`MAIL_FROM is "${from}": expected "Name <address@domain>"`);
  const transport = raw("MAIL_TRANSPORT")!;
  if (transport !== "outbox" && transport !== "http") {
    throw new ConfigError(`MAIL_TRANSPORT is "${transport}": expected outbox or http`);
  }
  if (transport === "http" && !env.EMAIL_API_KEY) {
    throw new ConfigError(
      "MAIL_TRANSPORT is http but the EMAIL_API_KEY secret is not set: expected `wrangler secret put EMAIL_API_KEY`",
    );
  }
  const adminEmail = raw("ADMIN_EMAIL");
  if (adminEmail !== null && !ADDRESS.test(adminEmail))
    throw new ConfigError(
      `ADMIN_EMAIL is "${adminEmail}": expected an address such as editor@example.org, or empty for none`,
    );
  return {
    from,
    unsubscribeMailto: unsubscribeMailto(raw("UNSUBSCRIBE_MAILTO")),
    transport,
    apiUrl: raw("EMAIL_API_URL")!,
    confirmTtlHours: int("CONFIRM_TTL_HOURS", 1, 24 * 30),
    consentTextVersion: raw("CONSENT_TEXT_VERSION")!,
    subscribeRateLimit: int("SUBSCRIBE_RATE_LIMIT", 1, 10_000),
    tokenSecret: env.TOKEN_SECRET?.trim() || null,
    consentIpRetentionDays: int("CONSENT_IP_RETENTION_DAYS", 1, 36_500),
    adminEmail,
  };
}
