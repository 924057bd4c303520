/**
 * `npm run deploy`'s preflight (scripts/preflight.ts, issue 11): a wrangler.toml with values
 * only fit for a laptop stops the deploy, naming each setting, before anything reaches
 * Cloudflare; with good values it goes on to ask Cloudflare for the secrets, and when that
 * cannot be done (no login, no network: as here) it says so and stops. The secrets are asked of
 * a loopback server speaking Cloudflare's API (wrangler's CLOUDFLARE_API_BASE_URL).
 *
 * Issue 17: the placeholder D1 database_id went unflagged (the deploy then failed at Cloudflare),
 * queues that do not exist yet were never mentioned, and wrangler's error came through with its
 * raw colour codes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "preflight-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = {
  BASE_URL: "https://dispatch.axis-news.net",
  PUBLISHER_CONTACT: "Axis Dispatch · 1 Main Street, 10115 Berlin · editor@axis-news.net",
  MAIL_FROM: "Axis Dispatch <digest@axis-news.net>",
  database_id: "3f1c2b7e-9d4a-4c21-8e5f-7a6b5c4d3e2f",
};

let n = 0;
/**
 * Runs the preflight on wrangler.toml with `vars` replacing its values of the same names. Without `api`, no
 * stored login and no token: nothing may reach Cloudflare. With it, wrangler asks that origin.
 */
async function preflight(
  vars: Record<string, string>,
  api?: string,
): Promise<{ status: number | null; errors: string[]; out: string }> {
  let toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  for (const [name, value] of Object.entries(vars))
    toml = toml.replace(new RegExp(`^${name} = .*$`, "m"), `${name} = ${JSON.stringify(value)}`);
  const config = join(dir, `wrangler-${++n}.toml`);
  writeFileSync(config, toml);
  const home = mkdtempSync(join(dir, "home-"));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: home };
  delete env.CLOUDFLARE_API_TOKEN;
  delete env.CLOUDFLARE_ACCOUNT_ID;
  if (api) {
    env.CLOUDFLARE_API_BASE_URL = `${api}/client/v4`;
    env.CLOUDFLARE_API_TOKEN = "test-token";
    env.CLOUDFLARE_ACCOUNT_ID = "test-account";
  }
  const child = spawn(process.execPath, ["scripts/preflight.ts", "--config", config], {
    cwd: root,
    env,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    status,
    errors: stderr.split("\n").filter((l) => l.startsWith("✘ ")),
    out: stdout,
  };
}

const QUEUES = ["axis-dispatch-digest-send", "axis-dispatch-digest-send-dlq"];

/**
 * A loopback stand-in for Cloudflare's API: the Worker's secrets (404 when it has none yet), and
 * the account's queues (looked up by name, as `wrangler queues info` does).
 */
async function cloudflareApi(secrets: readonly string[] | "no worker", queues = QUEUES) {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const url = new URL(req.url!, "http://api");
    const reply = (status: number, body: unknown) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/client/v4/accounts/test-account/queues") {
      const name = url.searchParams.get("name");
      const found = queues.filter((q) => q === name);
      const result = found.map((q) => ({
        queue_id: `id-${q}`,
        queue_name: q,
        created_on: "2026-12-01T00:00:00Z",
        modified_on: "2026-12-01T00:00:00Z",
        producers_total_count: 0,
        producers: [],
        consumers_total_count: 0,
        consumers: [],
      }));
      return reply(200, { success: true, errors: [], messages: [], result });
    }
    if (secrets === "no worker")
      return reply(404, {
        success: false,
        errors: [{ code: 10007, message: "script not found" }],
        result: null,
      });
    reply(200, {
      success: true,
      errors: [],
      messages: [],
      result: secrets.map((name) => ({ name })),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, asked, close: () => new Promise((r) => server.close(r)) };
}

/** The setting each error line names. */
const named = (errors: readonly string[]) => errors.map((e) => /^✘ (\S+)/.exec(e)![1]);

// Each case runs node and wrangler (about a second a run, three wrangler runs once the settings
// pass). On a loaded machine (two `npm test` at once on 2 CPUs) one such case took 106 s, and a
// case of three preflights passed 120 s: one preflight per case, and a timeout that only catches
// a hang (the verdict is the assertions; see vitest.config.ts).
describe("deploy preflight", { timeout: 600_000 }, () => {
  it("names every laptop-only setting of the shipped wrangler.toml", async () => {
    const { status, errors } = await preflight({});
    expect(status).toBe(1);
    expect(named(errors)).toEqual(["BASE_URL", "PUBLISHER_CONTACT", "MAIL_FROM", "database_id"]);
  });

  it("names the placeholder database_id, the file, and the command that makes a real one", async () => {
    const { status, errors } = await preflight({
      ...GOOD,
      database_id: "00000000-0000-4000-8000-000000000000",
    });
    expect(status).toBe(1);
    expect(errors).toEqual([
      expect.stringMatching(
        /^✘ database_id of \[\[d1_databases\]\] DB in \S*wrangler-\d+\.toml is the placeholder "00000000-0000-4000-8000-000000000000": run `npx wrangler d1 create axis-dispatch` once and paste the database_id it prints there$/,
      ),
    ]);
  });

  it("names each queue wrangler.toml binds, with the command that creates it", async () => {
    const { out } = await preflight(GOOD);
    expect(out.split("\n").filter((l) => l.includes("queues create"))).toEqual([
      "  npx wrangler queues create axis-dispatch-digest-send",
      "  npx wrangler queues create axis-dispatch-digest-send-dlq",
    ]);
  });

  it.each([
    "http://localhost:8787",
    "https://localhost",
    "https://127.0.0.1",
    "https://[::1]:8443",
    "https://192.168.1.20",
    "http://dispatch.axis-news.net",
    "https://dispatch.local",
    "https://dispatch.example.org",
    "https://example.com",
    "https://intranet",
    "not a url",
  ])("refuses BASE_URL = %s", async (baseUrl) => {
    const { status, errors } = await preflight({ ...GOOD, BASE_URL: baseUrl });
    expect(status).toBe(1);
    expect(named(errors)).toEqual(["BASE_URL"]);
    expect(errors[0]).toContain(baseUrl);
  });

  it.each(["", "Axis Dispatch"])("refuses PUBLISHER_CONTACT = %j", async (contact) => {
    const { status, errors } = await preflight({ ...GOOD, PUBLISHER_CONTACT: contact });
    expect(status).toBe(1);
    expect(named(errors)).toEqual(["PUBLISHER_CONTACT"]);
  });

  it.each(["", "Axis Dispatch <digest@example.org>", "news@mail.example.com", "Me <me@box.test>"])(
    "refuses MAIL_FROM = %j",
    async (from) => {
      const { status, errors } = await preflight({ ...GOOD, MAIL_FROM: from });
      expect(status).toBe(1);
      expect(named(errors)).toEqual(["MAIL_FROM"]);
    },
  );

  it("with good settings asks Cloudflare for the secrets, and says so when it cannot", async () => {
    const { status, errors } = await preflight(GOOD);
    expect(status).toBe(1);
    // Wrangler's own message, relayed as plain text: no escape codes, no second "✘ [ERROR]".
    expect(errors).toEqual([
      expect.stringMatching(
        /^✘ could not ask Cloudflare which secrets are set \(wrangler secret list\): In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN environment variable/,
      ),
    ]);
    expect(errors[0]).not.toContain("\u001b");
  });

  it("names each secret the deployed Worker lacks", async () => {
    const partial = await cloudflareApi(["ADMIN_TOKEN"]);
    try {
      const { status, errors } = await preflight(GOOD, partial.origin);
      expect(status).toBe(1);
      expect(errors).toEqual([
        "✘ the secret TOKEN_SECRET is not set: run `npx wrangler secret put TOKEN_SECRET`",
      ]);
      expect(partial.asked).toEqual([
        "GET /client/v4/accounts/test-account/workers/scripts/axis-dispatch/secrets",
        ...QUEUES.map((q) => `GET /client/v4/accounts/test-account/queues?page=1&name=${q}`),
      ]);
    } finally {
      await partial.close();
    }
  });

  it("names the HTTP transport's API key among the missing secrets", async () => {
    const partial = await cloudflareApi(["ADMIN_TOKEN"]);
    try {
      const http = await preflight({ ...GOOD, MAIL_TRANSPORT: "http" }, partial.origin);
      expect(http.errors.map((e) => /secret (\S+)/.exec(e)?.[1])).toEqual([
        "TOKEN_SECRET",
        "EMAIL_API_KEY",
      ]);
    } finally {
      await partial.close();
    }
  });

  it("passes when every secret and queue is there", async () => {
    const all = await cloudflareApi(["ADMIN_TOKEN", "TOKEN_SECRET"]);
    try {
      const { status, errors, out } = await preflight(GOOD, all.origin);
      expect(errors).toEqual([]);
      expect(status).toBe(0);
      expect(out).toMatch(/^preflight: settings, secrets and queues look ready/m);
    } finally {
      await all.close();
    }
  });

  it("names each queue that does not exist yet, with the command that creates it", async () => {
    const api = await cloudflareApi(["ADMIN_TOKEN", "TOKEN_SECRET"], [QUEUES[0]!]);
    try {
      const { status, errors } = await preflight(GOOD, api.origin);
      expect(status).toBe(1);
      expect(errors).toEqual([
        "✘ the queue axis-dispatch-digest-send-dlq does not exist: run `npx wrangler queues create axis-dispatch-digest-send-dlq`",
      ]);
    } finally {
      await api.close();
    }
  });

  it("before the first deploy (no Worker yet), names every secret to put", async () => {
    const api = await cloudflareApi("no worker");
    try {
      const { status, errors } = await preflight(GOOD, api.origin);
      expect(status).toBe(1);
      expect(errors.map((e) => /secret (\S+)/.exec(e)?.[1])).toEqual([
        "ADMIN_TOKEN",
        "TOKEN_SECRET",
      ]);
    } finally {
      await api.close();
    }
  });
});
