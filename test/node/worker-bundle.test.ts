/**
 * The Worker's bundle as `npm run build` and a deploy make it (wrangler's dry run), read back
 * through esbuild's metafile: within the project's 100 KB gzip budget, and without xml-js's XML
 * parser (issue 17: the bundle was 128 KB, a fifth of it sax and xml2js, which the `feed`
 * package loads through xml-js's index but never runs: it only writes XML).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "worker-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Metafile {
  readonly outputs: Record<string, { readonly inputs: Record<string, unknown> }>;
}

let bundle: Buffer;
let inputs: string[];

beforeAll(async () => {
  const wrangler = join(root, "node_modules/wrangler/bin/wrangler.js");
  const args = ["deploy", "--dry-run", "--outdir", dir, "--metafile"];
  const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [wrangler, ...args], {
      cwd: root,
      env: {
        ...process.env,
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
        WRANGLER_SEND_METRICS: "false",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (d: Buffer) => (text += d));
    child.stderr.on("data", (d: Buffer) => (text += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, text }));
  });
  expect(output.code, output.text).toBe(0);
  bundle = readFileSync(join(dir, "index.js"));
  const meta = JSON.parse(readFileSync(join(dir, "bundle-meta.json"), "utf8")) as Metafile;
  inputs = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
});

describe("the Worker bundle", () => {
  it("is at most 100 KB gzip (KB = 1,000 bytes; gzip level 6, as wrangler reports it)", () => {
    expect(gzipSync(bundle).byteLength).toBeLessThanOrEqual(100_000);
  });

  it("carries xml-js's writer but not its parser (xml2js, sax)", () => {
    expect(inputs.some((i) => i.endsWith("node_modules/xml-js/lib/js2xml.js"))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/(?:sax\/|xml-js\/lib\/xml2)/.test(i))).toEqual([]);
  });
});
