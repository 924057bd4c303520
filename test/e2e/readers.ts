/**
 * Feeds as independent readers see them: Debian's python3-feedparser (via check_feeds.py, which
 * also reads JSON Feed 1.1 by its spec) and sfeed (a small C RSS/Atom parser), plus the HTTP
 * side every feed shares (Content-Type, ETag, 304).
 */
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { check, fail } from "./harness.ts";
import { fetchWithTimeout } from "./server.ts";

const PYTHON = "/usr/bin/python3"; // Debian's, where apt installs python3-feedparser (not pyenv's).

export type Format = "rss" | "atom" | "json";

export const FORMATS: readonly {
  file: string;
  format: Format;
  mediaType: string;
  readerVersion: string;
}[] = [
  { file: "feed.xml", format: "rss", mediaType: "application/rss+xml", readerVersion: "rss20" },
  { file: "atom.xml", format: "atom", mediaType: "application/atom+xml", readerVersion: "atom10" },
  {
    file: "feed.json",
    format: "json",
    mediaType: "application/feed+json",
    readerVersion: "json11",
  },
];

export const formatOf = (format: Format) => FORMATS.find((f) => f.format === format)!;

/** One entry as any reader reports it: positional, newest first. */
export interface ReadEntry {
  readonly id: string | null;
  readonly link: string | null;
  readonly published: number | null;
  /** The title as the reader hands it on, and what it says it is (text/plain or text/html). */
  readonly title: string | null;
  readonly title_type: string | null;
}

export interface ReaderResult {
  readonly url: string;
  readonly reader: string;
  readonly version: string;
  readonly bozo: boolean;
  readonly bozo_exception: string | null;
  readonly updated: number | null;
  readonly entries: readonly ReadEntry[];
}

/** Unix seconds of an RFC 3339 time, as the readers report times. */
export const seconds = (rfc3339: string) => Math.floor(Date.parse(rfc3339) / 1000);

/**
 * Two checks: 200 with the format's Content-Type, then a conditional GET with its ETag answering
 * 304 with no body. Returns the body (null when the first check failed) for the readers.
 */
export async function checkFeedHttp(
  origin: string,
  path: string,
  format: Format,
): Promise<string | null> {
  const { mediaType } = formatOf(format);
  let body: string | null = null;
  let etag: string | null = null;
  await check(`${path}: 200 with Content-Type ${mediaType}; charset=utf-8`, async () => {
    const res = await fetchWithTimeout(origin + path);
    body = await res.text();
    etag = res.headers.get("etag");
    if (res.status !== 200) fail(`status ${res.status}`);
    const type = (res.headers.get("content-type") ?? "").toLowerCase().replace(/\s+/g, "");
    if (type !== `${mediaType};charset=utf-8`)
      fail(`Content-Type is "${res.headers.get("content-type")}"`);
  });
  await check(`${path}: If-None-Match with its ETag answers 304 with an empty body`, async () => {
    if (!etag) fail("the 200 response had no ETag");
    const res = await fetchWithTimeout(origin + path, { headers: { "If-None-Match": etag } });
    const rest = await res.text();
    if (res.status !== 304) fail(`status ${res.status}`);
    if (rest !== "") fail(`body has ${rest.length} characters`);
  });
  return body;
}

/** Runs check_feeds.py once for all URLs (one interpreter start), or says why it could not. */
export function readWithFeedparser(
  urls: readonly string[],
): { results: ReaderResult[] } | { error: string } {
  if (!existsSync(PYTHON))
    return { error: `${PYTHON} not found: apt-get install -y python3 python3-feedparser` };
  // -I: isolated from PYTHONPATH and user site-packages, so only Debian's packages are used.
  const run = spawnSync(PYTHON, ["-I", join(import.meta.dirname, "check_feeds.py"), ...urls], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (run.error) return { error: `could not run check_feeds.py: ${run.error.message}` };
  if (run.status !== 0)
    return { error: `check_feeds.py exited ${run.status}: ${run.stderr.trim()}` };
  try {
    return { results: (JSON.parse(run.stdout) as { feeds: ReaderResult[] }).feeds };
  } catch {
    return {
      error: `check_feeds.py printed no JSON: ${run.stdout.slice(0, 200)} ${run.stderr.trim()}`,
    };
  }
}

/** The reader's own verdict: not malformed (bozo), and read as the format it claims to be. */
export function readerProblems(format: Format, result: ReaderResult): string[] {
  const expectedVersion = formatOf(format).readerVersion;
  const problems: string[] = [];
  if (result.bozo) problems.push(`malformed (bozo): ${result.bozo_exception}`);
  if (result.version !== expectedVersion)
    problems.push(`read as "${result.version}", expected "${expectedVersion}"`);
  return problems;
}

export const readerName = (format: Format) =>
  format === "json" ? "check_feeds.py (JSON Feed 1.1)" : "feedparser";

/** Why sfeed cannot run, or null if it can. Missing is only acceptable if Debian has no sfeed. */
export function sfeedUnavailable(): { skip: boolean; reason: string } | null {
  if (spawnSync("sfeed", [], { input: "" }).error === undefined) return null;
  const policy = spawnSync("apt-cache", ["policy", "sfeed"], { encoding: "utf8", timeout: 30_000 });
  const candidate = /Candidate:\s*(\S+)/.exec(policy.stdout ?? "")?.[1];
  if (candidate && candidate !== "(none)")
    return {
      skip: false,
      reason: `Debian offers sfeed ${candidate} but it is not installed: apt-get install -y sfeed`,
    };
  return { skip: true, reason: "Debian offers no sfeed package here" };
}

/** sfeed(5): in a TSV field, `\\`, `\t` and `\n` stand for a backslash, a tab and a newline. */
function sfeedField(field: string | undefined): string | null {
  if (!field) return null;
  return field.replace(/\\([\\tn])/g, (_, c: string) =>
    c === "t" ? "\t" : c === "n" ? "\n" : "\\",
  );
}

/** sfeed's TSV: 1 timestamp, 2 title, 3 link, 4 content, 5 content-type, 6 id, … */
export function readWithSfeed(body: string): ReadEntry[] {
  const run = spawnSync("sfeed", [], { input: body, encoding: "utf8", timeout: 30_000 });
  if (run.status !== 0) fail(`sfeed exited ${run.status}: ${run.stderr}`);
  return run.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const f = line.split("\t");
      return {
        published: f[0] ? Number(f[0]) : null,
        link: f[2] || null,
        id: f[5] || null,
        // sfeed hands titles on as text: it decodes the XML, never HTML, so an Atom
        // type="html" title "Q&amp;A" reaches its reader as "Q&amp;A".
        title: sfeedField(f[1]),
        title_type: "text/plain",
      };
    });
}
