/**
 * `npm run subscribers:import -- list.csv`: a subscriber list (CSV, RFC 4180) into D1.
 *
 *   npm run subscribers:import -- list.csv                   the local database (npm start's)
 *   npm run subscribers:import -- list.csv --remote          production
 *   npm run subscribers:import -- list.csv --dry-run         say what would happen, write nothing
 *   npm run subscribers:import -- list.csv --consented "signed up on the old site's form, 2019-2024"
 *   npm run subscribers:import -- list.csv --by "Ana" --persist-to DIR
 *
 * Columns: email (required), name, subscribed_at, topics. Without --consented every new address
 * is pending and owed a confirmation email, which the Worker sends through its queue once
 * released (by the cron within 15 minutes, or at once from /admin); with it they are active at once, and their consent record names this
 * import (the file, who ran it and when, and the words given with --consented).
 * See docs/subscribers.md and src/subscriptions/import.ts.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { experimental_readRawConfig } from "wrangler";
import { ImportFileError } from "../src/subscriptions/import-rows.ts";
import { importDetailLines, importSummary } from "../src/subscriptions/import-report.ts";
import { importSubscribers } from "../src/subscriptions/import.ts";
import { BOUND_JSON_BYTES } from "../src/subscriptions/import-store.ts";
import { retryWhileLocked } from "./lib/local-lock.ts";
import { applyMigrations, openLocalD1, root, wranglerExecutor } from "./lib/wrangler-d1.ts";

const USAGE =
  'usage: npm run subscribers:import -- FILE.csv [--remote] [--dry-run] [--consented "where and when they opted in"] [--by NAME] [--persist-to DIR]';

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      remote: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      consented: { type: "string" },
      by: { type: "string" },
      "persist-to": { type: "string" },
    },
  });
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (positionals.length !== 1) {
  console.error(`expected one CSV file, got ${positionals.length}\n${USAGE}`);
  process.exit(2);
}
const file = positionals[0]!;
const consentNote = values.consented?.trim() ?? null;
if (consentNote === "") {
  console.error(
    "--consented is empty: say where and when the people on the list opted in (it is kept as their consent record)",
  );
  process.exit(2);
}

let bytes: Buffer;
try {
  bytes = readFileSync(file);
} catch (err) {
  console.error(`${file}: cannot be read: ${(err as Error).message}`);
  process.exit(1);
}
let text: string;
try {
  // fatal: a Latin-1 or UTF-16 export is refused rather than imported with mangled addresses.
  text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
} catch {
  console.error(`${file}: is not UTF-8 text: expected a CSV saved as UTF-8 (with or without BOM)`);
  process.exit(1);
}

/** CONSENT_TEXT_VERSION as the Worker has it (wrangler.toml's [vars]). */
function consentTextVersion(): string {
  const { rawConfig } = experimental_readRawConfig({ config: join(root, "wrangler.toml") });
  const value = (rawConfig.vars ?? {})["CONSENT_TEXT_VERSION"];
  return typeof value === "string" && value !== "" ? value : "unknown";
}

const target = {
  remote: values.remote!,
  ...(values["persist-to"] ? { persistTo: values["persist-to"] } : {}),
};
const where = values.remote ? "remote D1 (production)" : "local D1";
// Locally the running server may hold the database for a moment. The import is safe to repeat:
// a run that failed wrote nothing, or is completed by the next (src/subscriptions/import.ts).
const whileLocked = <T>(what: string, step: () => Promise<T>): Promise<T> =>
  values.remote ? step() : retryWhileLocked(what, step, { onRetry: (m) => console.error(m) });

const started = performance.now();
try {
  await whileLocked("applying the migrations", async () => applyMigrations(target));
} catch (err) {
  console.error(`applying the migrations to ${where} failed: ${(err as Error).message}`);
  process.exit(1);
}
const local = values.remote ? null : await openLocalD1(values["persist-to"]);
const exec = local?.exec ?? wranglerExecutor(target);
const startUp = (performance.now() - started) / 1000;
try {
  const report = await whileLocked("importing", () =>
    importSubscribers(exec, text, {
      source: basename(file),
      importedBy: values.by ?? `${userInfo().username}@${hostname()} (command line)`,
      consentNote,
      consentTextVersion: consentTextVersion(),
      dryRun: values["dry-run"]!,
      now: new Date(),
      sha256Hex: (t) => createHash("sha256").update(t, "utf8").digest("hex"),
      // Locally the values are bound, not inlined into SQL: larger lookups, fewer round trips.
      ...(values.remote ? {} : { jsonChunkBytes: BOUND_JSON_BYTES }),
    }),
  );
  for (const line of importDetailLines(report)) console.log(`${file}:${line.slice(5)}`);
  for (const line of importSummary(report)) console.log(line);
  const total = (performance.now() - started) / 1000;
  console.log(
    `${where}: imported in ${(total - startUp).toFixed(1)} s (${total.toFixed(1)} s with the migrations and start-up)`,
  );
} catch (err) {
  if (err instanceof ImportFileError) {
    console.error(`${file}: ${err.message}\nnothing was imported.`);
  } else {
    console.error(
      `import failed: ${(err as Error).message}\nrun the same command again: it completes what was written and adds nothing twice.`,
    );
  }
  process.exitCode = 1;
} finally {
  await local?.close();
}
