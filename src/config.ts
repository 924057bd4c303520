import { isValidTimeZone } from "./digest/week.ts";

/**
 * Site configuration from `[vars]` in wrangler.toml. Every value has a default; a value that is
 * set but wrong is an error naming the variable, because serving feeds with broken self links
 * is worse for aggregators than failing loudly.
 */
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
  readonly hubUrl: string | null;
  /** IANA zone the digest's ISO weeks are cut in. */
  readonly digestTimeZone: string;
  /** Publisher's contact line for email footers. */
  readonly publisherContact: string;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type ConfigVars = Partial<Record<"SITE_TITLE" | "SITE_DESCRIPTION" | "BASE_URL" | "AUTHOR_NAME" | "AUTHOR_EMAIL" | "LANGUAGE" | "FEED_ITEM_LIMIT" | "CACHE_MAX_AGE" | "WEBSUB_HUB" | "DIGEST_TIME_ZONE" | "PUBLISHER_CONTACT", string>>;

export const DEFAULTS = {
  title: "Axis Dispatch",
  description: "Dated reporting on Russia, North Korea, China and the actors around them.",
  baseUrl: "http://localhost:8787",
  authorName: "Axis Dispatch",
  language: "en",
  feedItemLimit: 50,
  cacheMaxAge: 300,
  digestTimeZone: "UTC",
} as const;

const cache = new WeakMap<object, SiteConfig>();

/** Reads and validates the config; memoized per env object (one per isolate in workerd). */
export function readConfig(env: ConfigVars): SiteConfig {
  const hit = cache.get(env);
  if (hit) return hit;
  const config = parseConfig(env);
  cache.set(env, config);
  return config;
}

export function parseConfig(env: ConfigVars): SiteConfig {
  const text = (name: keyof ConfigVars, fallback: string) => {
    const v = env[name]?.trim();
    return v ? v : fallback;
  };
  const int = (name: keyof ConfigVars, fallback: number, min: number, max: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!/^\d+$/.test(raw) || +raw < min || +raw > max) {
      throw new ConfigError(`${name} is "${raw}": expected a whole number from ${min} to ${max}`);
    }
    return +raw;
  };
  const url = (name: keyof ConfigVars, fallback: string | null, trimSlash = false) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(`${name} is "${raw}": expected an absolute http(s) URL such as https://dispatch.example.org`);
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      throw new ConfigError(`${name} is "${raw}": expected an http or https URL`);
    }
    if (parsed.search || parsed.hash) throw new ConfigError(`${name} is "${raw}": expected no query string or fragment`);
    return trimSlash ? parsed.href.replace(/\/+$/, "") : parsed.href;
  };
  const language = text("LANGUAGE", DEFAULTS.language);
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) {
    throw new ConfigError(`LANGUAGE is "${language}": expected a BCP 47 language tag such as en or en-GB`);
  }
  const email = env.AUTHOR_EMAIL?.trim() || null;
  if (email !== null && !/^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/.test(email)) {
    throw new ConfigError(`AUTHOR_EMAIL is "${email}": expected an address such as editor@example.org, or empty`);
  }
  const digestTimeZone = text("DIGEST_TIME_ZONE", DEFAULTS.digestTimeZone);
  if (!isValidTimeZone(digestTimeZone)) {
    throw new ConfigError(`DIGEST_TIME_ZONE is "${digestTimeZone}": expected an IANA time zone such as UTC, Europe/Berlin or Asia/Seoul`);
  }
  const title = text("SITE_TITLE", DEFAULTS.title);
  return {
    title,
    description: text("SITE_DESCRIPTION", DEFAULTS.description),
    baseUrl: url("BASE_URL", DEFAULTS.baseUrl, true)!,
    author: { name: text("AUTHOR_NAME", DEFAULTS.authorName), email },
    language,
    feedItemLimit: int("FEED_ITEM_LIMIT", DEFAULTS.feedItemLimit, 1, 1000),
    cacheMaxAge: int("CACHE_MAX_AGE", DEFAULTS.cacheMaxAge, 0, 31_536_000),
    hubUrl: url("WEBSUB_HUB", null),
    digestTimeZone,
    publisherContact: text("PUBLISHER_CONTACT", title),
  };
}
