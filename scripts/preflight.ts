/**
 * `npm run deploy` runs this first: it stops the deploy (exit 1), naming every setting that is
 * wrong, before anything reaches Cloudflare, when wrangler.toml still has values only fit for a
 * laptop:
 *
 * - BASE_URL is not a public https origin (localhost, a loopback or private address, http:, a
 *   .local/.test/.example name, example.org …): every feed, email link and unsubscribe URL is
 *   built from it, and readers would get links to nowhere;
 * - PUBLISHER_CONTACT is the placeholder (it goes into every email's footer, where anti-spam law
 *   expects a real postal address);
 * - MAIL_FROM is still at example.org (mail from a domain we do not own is rejected or spam);
 * - a D1 database_id is still the placeholder (`wrangler d1 create` prints the real one).
 *
 * It also names the queues wrangler.toml binds and how to create them: a deploy fails when one
 * does not exist yet.
 *
 * Only when those pass does it ask Cloudflare (`wrangler secret list`, which needs the network
 * and a login) whether the secrets the Worker needs are set, and (`wrangler queues info`) whether
 * each queue exists; if Cloudflare cannot be asked, it says so and stops, rather than guess.
 *
 *   npm run preflight [-- --config wrangler.toml]
 */
import { spawnSync } from "node:child_process";
import { isIP } from "node:net";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { experimental_readRawConfig } from "wrangler";

const root = join(import.meta.dirname, "..");
const WRANGLER = join(root, "node_modules/wrangler/bin/wrangler.js");

/** Names that never reach the public internet (RFC 2606, RFC 6761, RFC 6762 .local, RFC 8375). */
const RESERVED_SUFFIXES = [
  "localhost",
  "local",
  "test",
  "example",
  "invalid",
  "internal",
  "home.arpa",
  "example.org",
  "example.com",
  "example.net",
];

function isReservedName(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return RESERVED_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`));
}

/** Loopback, private, link-local and unspecified addresses (RFC 1918, RFC 4193, RFC 3927). */
function isNonPublicAddress(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) === 4) {
    const [a, b] = host.split(".").map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (isIP(host) === 6) return /^(::1?|f[cd]|fe[89ab])/i.test(host);
  return false;
}

function checkBaseUrl(value: string): string | null {
  const why = `BASE_URL is "${value}": expected the site's public https origin, e.g. BASE_URL = "https://dispatch.your-domain.org"`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return why;
  }
  if (url.protocol !== "https:") return `${why} (it is not https)`;
  if (isNonPublicAddress(url.hostname)) return `${why} (${url.hostname} is not a public address)`;
  if (isReservedName(url.hostname)) return `${why} (${url.hostname} is not a public name)`;
  if (!url.hostname.includes(".")) return `${why} (${url.hostname} is not a public name)`;
  return null;
}

function checkPublisherContact(value: string, title: string): string | null {
  if (value === "" || value === title || /Set PUBLISHER_CONTACT/i.test(value))
    return `PUBLISHER_CONTACT is ${value === "" ? "empty" : `"${value}"`}: expected your postal address and a contact email; it goes into every email's footer`;
  return null;
}

function checkMailFrom(value: string): string | null {
  const address = /<([^>]+)>\s*$/.exec(value)?.[1] ?? value;
  const domain = address.split("@")[1] ?? "";
  if (value === "" || domain === "" || isReservedName(domain))
    return `MAIL_FROM is ${value === "" ? "empty (default: Axis Dispatch <digest@example.org>)" : `"${value}"`}: expected "Name <address@your-domain>" at a domain you send mail from`;
  return null;
}

/** The problems with `vars` (wrangler.toml [vars]) that need no network to see. */
export function offlineProblems(vars: Record<string, unknown>): string[] {
  const get = (name: string): string => (typeof vars[name] === "string" ? vars[name].trim() : "");
  return [
    checkBaseUrl(get("BASE_URL") || "http://localhost:8787"),
    checkPublisherContact(get("PUBLISHER_CONTACT"), get("SITE_TITLE") || "Axis Dispatch"),
    checkMailFrom(get("MAIL_FROM")),
  ].filter((p): p is string => p !== null);
}

/** The secrets the deployed Worker needs with these vars. */
export function requiredSecrets(vars: Record<string, unknown>): string[] {
  return [
    "ADMIN_TOKEN",
    "TOKEN_SECRET",
    ...(vars.MAIL_TRANSPORT === "http" ? ["EMAIL_API_KEY"] : []),
  ];
}

/** The all-zero id wrangler.toml ships with: it is no database on any account. */
const PLACEHOLDER_DATABASE_ID = /^0{8}-0{4}-[0-9a-f]0{3}-[0-9a-f]0{3}-0{12}$/i;

interface D1Binding {
  binding?: unknown;
  database_name?: unknown;
  database_id?: unknown;
}

/** Each [[d1_databases]] entry whose database_id is missing or still the placeholder. */
export function databaseProblems(databases: readonly D1Binding[], configFile: string): string[] {
  return databases.flatMap((db) => {
    const id = typeof db.database_id === "string" ? db.database_id.trim() : "";
    if (id !== "" && !PLACEHOLDER_DATABASE_ID.test(id)) return [];
    const name = typeof db.database_name === "string" ? db.database_name : "axis-dispatch";
    return [
      `database_id of [[d1_databases]] ${String(db.binding ?? name)} in ${configFile} is ${id === "" ? "missing" : `the placeholder "${id}"`}: run \`npx wrangler d1 create ${name}\` once and paste the database_id it prints there`,
    ];
  });
}

interface QueueConfig {
  producers?: { queue?: unknown }[];
  consumers?: { queue?: unknown; dead_letter_queue?: unknown }[];
}

/** Every queue wrangler.toml names (producers, consumers, dead-letter queues), each once. */
export function queueNames(queues: QueueConfig | undefined): string[] {
  const names = [
    ...(queues?.producers ?? []).map((p) => p.queue),
    ...(queues?.consumers ?? []).flatMap((c) => [c.queue, c.dead_letter_queue]),
  ].filter((q): q is string => typeof q === "string" && q !== "");
  return [...new Set(names)];
}

/**
 * Wrangler colours its messages even with NO_COLOR set when it is not on a terminal; relayed
 * inside ours, the escape codes showed as `[31m✘ [41;31m[[41;97mERROR…`. Removes them (ECMA-48
 * CSI sequences).
 */
export function plainWranglerText(text: string): string {
  // eslint-disable-next-line no-control-regex -- the escape character is what is removed
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "");
}

function remoteSecretNames(configPath: string): { names: Set<string> } | { error: string } {
  const result = spawnSync(
    process.execPath,
    [WRANGLER, "secret", "list", "--format", "json", "--config", configPath],
    { cwd: root, encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" } },
  );
  if (result.status === 0) {
    try {
      const list = JSON.parse(result.stdout) as { name: string }[];
      return { names: new Set(list.map((s) => s.name)) };
    } catch {
      return { error: `wrangler secret list answered something that is not JSON` };
    }
  }
  // Before the first deploy there is no Worker yet, so no secret either (`wrangler secret put`
  // creates it).
  const output = plainWranglerText(`${result.stderr}\n${result.stdout}`);
  if (/Worker "[^"]*"[^\n]* not found/.test(output)) return { names: new Set() };
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) =>
      /ERROR|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|fetch failed|CLOUDFLARE_API_TOKEN/.test(l),
    );
  // Our line starts with its own ✘: wrangler's "✘ [ERROR]" prefix would repeat it.
  const messages = lines.map((l) => l.replace(/^(?:✘\s*)?\[ERROR\]\s*/, ""));
  return { error: messages.slice(0, 3).join(" ") || `wrangler exited with ${result.status}` };
}

/** Asks Cloudflare, queue by queue, which of `queues` do not exist yet. */
function missingQueues(
  configPath: string,
  queues: readonly string[],
): string[] | { error: string } {
  const missing: string[] = [];
  for (const queue of queues) {
    const result = spawnSync(
      process.execPath,
      [WRANGLER, "queues", "info", queue, "--config", configPath],
      { cwd: root, encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" } },
    );
    if (result.status === 0) continue;
    const output = plainWranglerText(`${result.stderr}\n${result.stdout}`);
    if (output.includes(`Queue "${queue}" does not exist`)) missing.push(queue);
    else return { error: `wrangler queues info ${queue} exited with ${result.status}` };
  }
  return missing;
}

function main(): void {
  const { values } = parseArgs({
    options: { config: { type: "string", default: join(root, "wrangler.toml") } },
  });
  const configPath = resolve(values.config!);
  const { rawConfig } = experimental_readRawConfig({ config: configPath });
  const vars = (rawConfig.vars ?? {}) as Record<string, unknown>;
  const fromHere = relative(process.cwd(), configPath);
  const configFile = fromHere !== "" && !fromHere.startsWith("..") ? fromHere : configPath;

  const queues = queueNames(rawConfig.queues as QueueConfig | undefined);
  if (queues.length > 0)
    console.log(
      `preflight: ${configFile} binds the queues ${queues.join(", ")}; the deploy fails until each exists. Once, before the first deploy:\n${queues.map((q) => `  npx wrangler queues create ${q}`).join("\n")}\n`,
    );

  const problems = [
    ...offlineProblems(vars),
    ...databaseProblems((rawConfig.d1_databases ?? []) as D1Binding[], configFile),
  ];
  if (problems.length > 0) {
    for (const p of problems) console.error(`✘ ${p}`);
    console.error(
      `\ndeploy stopped before contacting Cloudflare: ${problems.length} setting${problems.length === 1 ? "" : "s"} in ${configFile} to fix.`,
    );
    process.exit(1);
  }

  const remote = remoteSecretNames(configPath);
  if ("error" in remote) {
    console.error(
      `✘ could not ask Cloudflare which secrets are set (wrangler secret list): ${remote.error}\n\ndeploy stopped: the settings in ${configFile} look right, but whether ${requiredSecrets(vars).join(", ")} are set could not be checked. Check the network and \`npx wrangler login\` (or CLOUDFLARE_API_TOKEN), then deploy again.`,
    );
    process.exit(1);
  }
  const missing = requiredSecrets(vars).filter((name) => !remote.names.has(name));
  for (const name of missing)
    console.error(`✘ the secret ${name} is not set: run \`npx wrangler secret put ${name}\``);
  const absentQueues = missingQueues(configPath, queues);
  if ("error" in absentQueues) {
    console.error(
      `✘ could not ask Cloudflare whether the queues exist (${absentQueues.error})\n\ndeploy stopped: create them if needed (above), then deploy again.`,
    );
    process.exit(1);
  }
  for (const queue of absentQueues)
    console.error(
      `✘ the queue ${queue} does not exist: run \`npx wrangler queues create ${queue}\``,
    );
  if (missing.length + absentQueues.length > 0) {
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    console.error(
      `\ndeploy stopped: ${[missing.length > 0 ? count(missing.length, "secret") : "", absentQueues.length > 0 ? count(absentQueues.length, "queue") : ""].filter(Boolean).join(" and ")} missing.`,
    );
    process.exit(1);
  }
  console.log("preflight: settings, secrets and queues look ready for production");
}

if (import.meta.main) main();
