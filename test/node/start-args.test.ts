/**
 * `npm start`'s arguments for wrangler dev (scripts/lib/wrangler-dev-args.ts). Regression (issue
 * 17): with `npm start -- --port 8861`, digests sent through the queue linked to port 8787 (the
 * default BASE_URL) while the site was on 8861; the cron and the queue have no request to learn
 * the port from, so the served port must become BASE_URL.
 */
import { describe, expect, it } from "vitest";
import { servedPort, wranglerDevArgs } from "../../scripts/lib/wrangler-dev-args.ts";

const none = { devVars: null, envBaseUrl: undefined };
const devVars = "ADMIN_TOKEN=abc\nTOKEN_SECRET=def\nEMAIL_API_KEY=\n";

/** The value of BASE_URL among wrangler's `--var NAME:VALUE` arguments, if any. */
function baseUrlVars(args: readonly string[]): string[] {
  return args.flatMap((arg, i) =>
    args[i - 1] === "--var" && arg.startsWith("BASE_URL:") ? [arg.slice("BASE_URL:".length)] : [],
  );
}

describe("npm start's wrangler dev arguments", () => {
  it("makes the port the site is served on the BASE_URL, written either way", () => {
    for (const args of [["--port", "8861"], ["--port=8861"]]) {
      const dev = wranglerDevArgs(args, { devVars, envBaseUrl: undefined });
      expect(dev.slice(0, 2)).toEqual(["dev", "--test-scheduled"]);
      expect(baseUrlVars(dev), args.join(" ")).toEqual(["http://localhost:8861"]);
    }
  });

  it("forwards every other argument unchanged and in order", () => {
    const args = ["--ip", "127.0.0.1", "--port", "8861", "--var", "CONTENT_REFRESH_SECONDS:2"];
    const dev = wranglerDevArgs(args, none);
    expect(dev).toEqual([
      "dev",
      "--test-scheduled",
      ...args,
      "--var",
      "BASE_URL:http://localhost:8861",
    ]);
  });

  it("puts its BASE_URL before a `--`, so it stays an option", () => {
    const dev = wranglerDevArgs(["--port", "8861", "--", "--port", "9999"], none);
    expect(dev).toEqual([
      "dev",
      "--test-scheduled",
      "--port",
      "8861",
      "--var",
      "BASE_URL:http://localhost:8861",
      "--",
      "--port",
      "9999",
    ]);
  });

  it("adds nothing without a port: wrangler serves 8787, the default BASE_URL", () => {
    expect(wranglerDevArgs([], none)).toEqual(["dev", "--test-scheduled"]);
    expect(wranglerDevArgs(["--ip", "0.0.0.0"], none)).toEqual([
      "dev",
      "--test-scheduled",
      "--ip",
      "0.0.0.0",
    ]);
  });

  it("keeps a BASE_URL the operator set in the arguments, as the end-to-end run does", () => {
    for (const vars of [
      ["--var", "BASE_URL:http://127.0.0.1:9000", "CONTENT_REFRESH_SECONDS:2"],
      ["--var", "CONTENT_REFRESH_SECONDS:2", "BASE_URL:http://127.0.0.1:9000"],
      ["--var=BASE_URL:http://127.0.0.1:9000"],
    ]) {
      const args = ["--port", "9000", ...vars];
      expect(wranglerDevArgs(args, none), vars.join(" ")).toEqual([
        "dev",
        "--test-scheduled",
        ...args,
      ]);
    }
  });

  it("does not mistake another option's value for a BASE_URL", () => {
    const args = ["--var", "A:1", "--name", "BASE_URL:x", "--port", "8861"];
    expect(baseUrlVars(wranglerDevArgs(args, none))).toEqual(["http://localhost:8861"]);
  });

  it("keeps a BASE_URL set in .dev.vars", () => {
    const withBase = `${devVars}BASE_URL=https://dispatch.example.org\n`;
    expect(
      wranglerDevArgs(["--port", "8861"], { devVars: withBase, envBaseUrl: undefined }),
    ).toEqual(["dev", "--test-scheduled", "--port", "8861"]);
  });

  it("passes on a BASE_URL from the environment, which wrangler would otherwise ignore", () => {
    const dev = wranglerDevArgs(["--port", "8861"], {
      devVars,
      envBaseUrl: "https://dispatch.example.org",
    });
    expect(baseUrlVars(dev)).toEqual(["https://dispatch.example.org"]);
  });

  it("refuses a --port that is not a number, naming it", () => {
    expect(() => wranglerDevArgs(["--port", "eighty"], none)).toThrow(
      'npm start: --port must be a port number, got "eighty"',
    );
    expect(() => servedPort(["--port"])).toThrow("--port must be a port number");
  });
});
