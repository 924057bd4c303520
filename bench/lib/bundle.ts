/**
 * The deployable Worker bundle: `wrangler deploy --dry-run --outdir …` (what `npm run build`
 * and a deploy upload), its raw and gzip size, what takes the space, proof that MJML (a
 * build-time devDependency) did not end up in it, and that no article did either (articles are
 * in D1: the bundle must not grow with the corpus).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join, relative } from "node:path";
// Default level (6): what wrangler reports as "gzip" for the upload.
import { gzipSync } from "node:zlib";
import { childEnv, repoRoot, workDir, wranglerBin } from "./paths.ts";

/** Cloudflare's limit is far larger (3 MB gzip on Free); this is the project's own budget (issue 17). */
export const BUNDLE_GZIP_TARGET_BYTES = 100_000;

interface Marker {
  readonly what: string;
  readonly pattern: RegExp;
  /** A file of the package the marker stands for, which must match it: proof the marker would
   * find the code if it were bundled. Null where esbuild itself writes the marker. */
  readonly control: string | null;
}

/**
 * Signs of MJML's code. Not plain "mj-column": the compiled template legitimately carries MJML's
 * output class names (mj-column-per-100), which are HTML, not MJML.
 */
const MJML_MARKERS: readonly Marker[] = [
  {
    what: "esbuild's module path comments for mjml, its components or juice",
    pattern: /node_modules\/(?:mjml(?:-[a-z-]+)?|juice)\//,
    control: null,
  },
  {
    what: 'the mjml package (it requires "mjml-core")',
    pattern: /mjml-core/,
    control: "node_modules/mjml/lib/index.js",
  },
  {
    what: "mjml-core (its skeletonLoader)",
    pattern: /skeletonLoader/,
    control: "node_modules/mjml-core/lib/index.js",
  },
  {
    what: "the mj-column component (its tag name as a string)",
    pattern: /["'`]mj-column["'`]/,
    control: "node_modules/mjml-column/lib/index.js",
  },
  {
    what: "juice, MJML's CSS inliner",
    pattern: /\bjuice(?:Document|Resources)\b/,
    control: "node_modules/juice/index.js",
  },
];

export interface MarkerResult {
  readonly what: string;
  readonly pattern: string;
  readonly found: string | null;
  /** null: no control file; false: the control does not match (the marker proves nothing). */
  readonly controlMatches: boolean | null;
}

export interface BundleInfo {
  readonly command: string;
  readonly outDir: string;
  readonly ms: number;
  readonly files: readonly {
    readonly name: string;
    readonly bytes: number;
    readonly gzipBytes: number;
  }[];
  readonly rawBytes: number;
  readonly gzipBytes: number;
  /** wrangler's own "Total Upload: … / gzip: …" line, for comparison. */
  readonly wranglerReports: string | null;
  /** Bytes of the bundle by npm package, the project's files counted apart (esbuild's metafile). */
  readonly largest: readonly { readonly source: string; readonly bytes: number }[];
  /** The largest input files, by the bytes each put into the bundle (esbuild's metafile). */
  readonly largestInputs: readonly { readonly source: string; readonly bytes: number }[];
  readonly mjml: readonly MarkerResult[];
  /** No marker found, and every marker with a control shown to work. */
  readonly mjmlFree: boolean;
  /** Article texts (ids, titles) looked for in the bundle, and whether each was found. */
  readonly articleTexts: readonly { readonly text: string; readonly found: boolean }[];
}

function run(
  command: string,
  args: readonly string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** esbuild's metafile (https://esbuild.github.io/api/#metafile): what each input put into each output. */
interface Metafile {
  readonly outputs: Record<
    string,
    { readonly inputs: Record<string, { readonly bytesInOutput: number }> }
  >;
}

/** Bytes in the bundle per input file, and per npm package (a project file is its own row). */
function bundleInputs(meta: Metafile): {
  files: { source: string; bytes: number }[];
  packages: { source: string; bytes: number }[];
} {
  const files = new Map<string, number>();
  for (const output of Object.values(meta.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
      files.set(input, (files.get(input) ?? 0) + bytesInOutput);
  const packages = new Map<string, number>();
  for (const [input, bytes] of files) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const key = pkg ?? "(project code and runtime helpers)";
    packages.set(key, (packages.get(key) ?? 0) + bytes);
  }
  const sorted = (m: Map<string, number>) =>
    [...m].map(([source, bytes]) => ({ source, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { files: sorted(files), packages: sorted(packages) };
}

/**
 * Runs the dry-run deploy into bench/.work/<outName> and measures what it wrote; `articleTexts`
 * (article ids and titles) are looked for in it, none of which should be there.
 */
export async function measureBundle(
  outName = "bundle",
  articleTexts: readonly string[] = [],
): Promise<BundleInfo> {
  const outDir = join(workDir, outName);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  // --metafile: esbuild's own account of the bundle, written as bundle-meta.json in outDir.
  const args = ["deploy", "--dry-run", "--outdir", relative(repoRoot, outDir), "--metafile"];
  const started = performance.now();
  const { code, output } = await run(wranglerBin, args);
  const ms = performance.now() - started;
  const command = `node_modules/.bin/wrangler ${args.join(" ")}`;
  if (code !== 0)
    throw new Error(
      `${command} exited ${code}:\n${output.trim().split("\n").slice(-20).join("\n")}`,
    );

  const names = (await readdir(outDir)).filter((f) => /\.(?:m?js|cjs)$/.test(f)).sort();
  if (names.length === 0)
    throw new Error(`${command} wrote no JavaScript into ${relative(repoRoot, outDir)}`);
  const files = [];
  let js = "";
  for (const name of names) {
    const bytes = await readFile(join(outDir, name));
    files.push({ name, bytes: bytes.byteLength, gzipBytes: gzipSync(bytes).byteLength });
    js += bytes.toString("utf8");
  }
  const rawBytes = files.reduce((s, f) => s + f.bytes, 0);
  const gzipBytes = files.reduce((s, f) => s + f.gzipBytes, 0);

  const mjml = MJML_MARKERS.map((m): MarkerResult => {
    const hit = m.pattern.exec(js);
    const controlFile = m.control === null ? null : join(repoRoot, m.control);
    const controlMatches =
      controlFile === null
        ? null
        : existsSync(controlFile) && m.pattern.test(readFileSync(controlFile, "utf8"));
    return {
      what: m.what,
      pattern: String(m.pattern),
      found: hit
        ? js.slice(Math.max(0, hit.index - 40), hit.index + 60).replace(/\s+/g, " ")
        : null,
      controlMatches,
    };
  });
  const inputs = bundleInputs(
    JSON.parse(await readFile(join(outDir, "bundle-meta.json"), "utf8")) as Metafile,
  );
  const mjmlFree = mjml.every((m) => m.found === null && m.controlMatches !== false);
  return {
    command,
    outDir: relative(repoRoot, outDir),
    ms,
    files,
    rawBytes,
    gzipBytes,
    wranglerReports: /Total Upload: [^\n]*/.exec(output)?.[0] ?? null,
    largest: inputs.packages.slice(0, 6),
    largestInputs: inputs.files.slice(0, 12),
    mjml,
    mjmlFree,
    articleTexts: articleTexts.map((text) => ({ text, found: js.includes(text) })),
  };
}

/** `node bench/lib/bundle.ts`: this part of `npm run bench` alone (the bundle and its largest inputs). */
if (import.meta.main) {
  const b = await measureBundle();
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
  console.log(
    `${b.command}: ${kb(b.rawBytes)} raw, ${kb(b.gzipBytes)} gzip (target ≤ ${kb(BUNDLE_GZIP_TARGET_BYTES)}; wrangler: ${b.wranglerReports ?? "no size line"})`,
  );
  console.log("\nbytes in the bundle by package:");
  for (const p of b.largest) console.log(`  ${kb(p.bytes).padStart(9)}  ${p.source}`);
  console.log("\nlargest inputs:");
  for (const p of b.largestInputs) console.log(`  ${kb(p.bytes).padStart(9)}  ${p.source}`);
  console.log(`\nMJML absent: ${b.mjmlFree ? "yes" : "NO"}`);
}
