/**
 * The one config parser against what operators read: the configuration table (docs/operating.md) and
 * wrangler.toml's [vars]. Regression: the code's CONSENT_TEXT_VERSION default was "1" while the
 * README (and wrangler.toml) said 2026-11-21, because two parsers kept two tables.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, VAR_DEFAULTS, type VarName } from "../../src/config.ts";

const root = join(import.meta.dirname, "../..");

/** `| \`NAME\` | default | meaning |` rows of docs/operating.md's Configuration section. */
function documentedDefaults(): Map<string, string> {
  const doc = readFileSync(join(root, "docs", "operating.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Configuration"), doc.indexOf("## WebSub"));
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([A-Z_]+)` \| (.*?) \|/gm)) rows.set(m[1]!, m[2]!);
  return rows;
}

describe("configuration defaults", () => {
  it("lists every variable in docs/operating.md with the default the code uses", () => {
    const rows = documentedDefaults();
    expect([...rows.keys()].sort()).toEqual(Object.keys(VAR_DEFAULTS).sort());
    for (const [name, value] of Object.entries(VAR_DEFAULTS)) {
      const documented = rows.get(name)!;
      const literal = /^`([^`]*)`$/.exec(documented)?.[1];
      if (value === null) expect(literal, name).toBeUndefined();
      else if (literal !== undefined) expect(literal, name).toBe(value);
    }
  });

  it("gives an empty environment the documented defaults", () => {
    const config = parseConfig({});
    expect(config.baseUrl).toBe("http://localhost:8787");
    expect(config.feedItemLimit).toBe(50);
    expect(config.publisherContact).toBe("Axis Dispatch");
    expect(config.mail).toMatchObject({
      from: "Axis Dispatch <digest@example.org>",
      // No mailto: unsubscribe unless Email Routing delivers it to the Worker (UNSUBSCRIBE_MAILTO).
      unsubscribeMailto: null,
      transport: "outbox",
      confirmTtlHours: 48,
      consentTextVersion: "2026-11-21",
      subscribeRateLimit: 5,
      tokenSecret: null,
    });
  });

  it("agrees with wrangler.toml's [vars] wherever both set a value", () => {
    const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
    const vars = toml.slice(toml.indexOf("[vars]"), toml.indexOf("\n[[", toml.indexOf("[vars]")));
    // PUBLISHER_CONTACT is a placeholder telling the operator to set it; empty means "none".
    const skip = new Set(["PUBLISHER_CONTACT"]);
    for (const m of vars.matchAll(/^([A-Z_]+) = "(.*)"$/gm)) {
      const name = m[1] as VarName;
      if (skip.has(name)) continue;
      expect(name in VAR_DEFAULTS, `${name} in wrangler.toml has no default`).toBe(true);
      expect(m[2], name).toBe(VAR_DEFAULTS[name] ?? "");
    }
  });

  it("names the variable and what was expected when a value is wrong", () => {
    expect(() => parseConfig({ FEED_ITEM_LIMIT: "lots" })).toThrow(
      new ConfigError('FEED_ITEM_LIMIT is "lots": expected a whole number from 1 to 1000'),
    );
    expect(() => parseConfig({ SUBSCRIBE_RATE_LIMIT: "0" })).toThrow(
      /^SUBSCRIBE_RATE_LIMIT is "0"/,
    );
    expect(() => parseConfig({ MAIL_TRANSPORT: "http" })).toThrow(
      /EMAIL_API_KEY secret is not set/,
    );
    expect(() => parseConfig({ BASE_URL: "ftp://example.org" })).toThrow(
      /^BASE_URL is "ftp:\/\/example.org"/,
    );
    expect(() => parseConfig({ DIGEST_SEND: "never" })).toThrow(
      new ConfigError('DIGEST_SEND is "never": expected auto, review or always'),
    );
    expect(() => parseConfig({ ADMIN_EMAIL: "editor" })).toThrow(
      new ConfigError(
        'ADMIN_EMAIL is "editor": expected an address such as editor@example.org, or empty for none',
      ),
    );
  });

  it("sends on Monday 06:00 by default (DIGEST_SEND_AT), and refuses a value that is not a weekday and a time", () => {
    expect(parseConfig({}).digestSendAt).toEqual({ weekday: 1, minutes: 360 });
    expect(parseConfig({ DIGEST_SEND_AT: " Sunday 18:45 " }).digestSendAt).toEqual({
      weekday: 7,
      minutes: 18 * 60 + 45,
    });
    expect(parseConfig({ DIGEST_SEND_AT: "tue 7:05" }).digestSendAt).toEqual({
      weekday: 2,
      minutes: 425,
    });
    for (const bad of ["monday", "monday 24:00", "funday 06:00", "06:00 monday", "monday 6.00"])
      expect(() => parseConfig({ DIGEST_SEND_AT: bad })).toThrow(
        new ConfigError(
          `DIGEST_SEND_AT is "${bad}": expected a weekday and a 24-hour local time in DIGEST_TIME_ZONE, such as "monday 06:00"`,
        ),
      );
  });

  it("holds extracted items for review by default (DIGEST_SEND=auto), and tells nobody by mail", () => {
    const config = parseConfig({});
    expect(config.digestSend).toBe("auto");
    expect(config.mail.adminEmail).toBeNull();
    expect(parseConfig({ DIGEST_SEND: " review " }).digestSend).toBe("review");
    expect(parseConfig({ ADMIN_EMAIL: "editor@example.org" }).mail.adminEmail).toBe(
      "editor@example.org",
    );
  });
});
