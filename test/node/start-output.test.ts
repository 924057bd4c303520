/**
 * What `npm start` prints and the environment it runs wrangler in. Regression (issue 17): the
 * start printed wrangler's bindings table twice, and wrangler asked the npm registry for a newer
 * version ("update available") although nothing may need the network.
 */
import { describe, expect, it } from "vitest";
import { startEnv } from "../../scripts/start/env.ts";
import { RepeatedBindingsFilter } from "../../scripts/start/repeated-bindings.ts";

const table = [
  "Your Worker has access to the following bindings:",
  "Binding                        Resource       Mode",
  "env.DB (axis-dispatch)         D1 Database    local",
  "",
];

function filtered(lines: readonly string[]): string[] {
  const filter = new RepeatedBindingsFilter();
  return [...lines.flatMap((l) => filter.push(l)), ...filter.flush()];
}

describe("npm start's output", () => {
  it("prints wrangler dev's bindings table once when wrangler repeats it unchanged", () => {
    const out = filtered([
      "Using secrets defined in .dev.vars",
      ...table,
      "⎔ Starting local server...",
      "⎔ Connection status updated",
      ...table,
      "[wrangler:info] Ready on http://localhost:8872",
    ]);
    expect(out).toEqual([
      "Using secrets defined in .dev.vars",
      ...table,
      "⎔ Starting local server...",
      "[wrangler:info] Ready on http://localhost:8872",
    ]);
  });

  it("keeps a table that changed, and a status line not followed by a table", () => {
    const changed = [...table.slice(0, 2), "env.DB (axis-dispatch)  D1 Database  remote", ""];
    const lines = [...table, "⎔ Connection status updated", ...changed];
    expect(filtered(lines)).toEqual(lines);
    const status = ["⎔ Connection status updated", "GET / 200 OK"];
    expect(filtered(status)).toEqual(status);
  });

  it("compares the tables without their colours", () => {
    const coloured = table.map((l) => (l ? `\u001b[2m${l}\u001b[22m` : l));
    expect(filtered([...table, ...coloured])).toEqual(table);
  });
});

describe("npm start's environment", () => {
  it("turns off wrangler's update check (its banner), metrics, error reports and cf fetch", () => {
    const env = startEnv({ PATH: "/bin", WRANGLER_SEND_METRICS: "true" }, "/tmp/registry-x");
    expect(env).toMatchObject({
      PATH: "/bin",
      WRANGLER_HIDE_BANNER: "true",
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_REGISTRY_PATH: "/tmp/registry-x",
    });
  });
});
