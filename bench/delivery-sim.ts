/**
 * Delivery simulation: one digest sent to N subscribers (default 100,000) with the product's real
 * producer (enqueueDigestSend) and consumer (sendDigestChunk, OutboxTransport) against a real
 * local D1 (SQLite in miniflare, through wrangler's getPlatformProxy).
 *
 *   node_modules/.bin/node bench/delivery-sim.ts [--subscribers 100000] [--week 2024-W43]
 *                                                [--content DIR] [--strict] [--keep]
 *
 * Its database lives in bench/.work/delivery-sim-state/ (wiped at start, removed at the end unless
 * --keep). It never opens .wrangler/state, the developer's database. The articles are built from
 * content/ into bench/.work/delivery-sim-content.ts (not src/generated/content.ts, which
 * `npm run bench` swaps for synthetic articles while it runs).
 *
 * What it does:
 *  1. migrations (wrangler d1 migrations apply --persist-to), N subscribers in bulk (a known
 *     ~1% unsubscribed, ~0.5% bounced, ~0.5% complained, ~0.5% pending, the rest active), and
 *     the digest of 2024-W43 built with the real buildDigest;
 *  2. every D1 call goes through a counting wrapper, so queries are attributed to the producer
 *     and to each chunk (statements and round trips; a db.batch is one round trip);
 *  3. enqueueDigestSend into an in-memory Queue that enforces Queues' limits;
 *  4. every message consumed sequentially by sendDigestChunk, with faults injected on a few
 *     chunks: a consumer crash after the provider accepted the batch (before markSent), a provider
 *     that accepted and then answered 503, a 429, and a permanent rejection (the chunk's
 *     recipients are released); a few subscribers unsubscribe between enqueue and send. Then
 *     (a) ~5% of the messages are delivered again, (b) the crashed / retryable chunks are retried
 *     normally, (c) a second send of the same week is enqueued and consumed, and a third must
 *     enqueue nothing;
 *  5. SQL verification: exactly one outbox message per active subscriber, none to anyone else,
 *     deliveries 'sent' = active, every message's unsubscribe link is its recipient's;
 *  6. a report, and JSON in bench/.work/delivery-sim.json. Exit 1 on a duplicate, a missing
 *     recipient, a failed target or anything that broke.
 *
 * The parts, in bench/delivery/: settings.ts (command line, paths, targets, Cloudflare's limits),
 * database.ts (the isolated D1), population.ts (1), counting-d1.ts (2), fake-queue.ts and
 * producer-phase.ts (3), faults.ts, chunk-runner.ts and consumer-phases.ts (4), verify.ts (5),
 * chunk-stats.ts, record.ts, report.ts and report-json.ts (6); simulation.ts runs them in order.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { Problems } from "./delivery/problems.ts";
import { generatedTemplates, jsonPath, readSettings, workDir } from "./delivery/settings.ts";

const settings = readSettings();
if (!existsSync(generatedTemplates)) {
  console.error("src/generated/email-templates.ts is missing: run `npm run build:generated` first");
  process.exit(1);
}

const problems = new Problems();
try {
  // Imported once the generated templates are known to exist: the product's modules import them.
  const { runSimulation } = await import("./delivery/simulation.ts");
  process.exit(await runSimulation(settings, problems));
} catch (err) {
  console.error(`delivery-sim broke: ${(err as Error).stack ?? String(err)}`);
  try {
    mkdirSync(workDir, { recursive: true });
    writeFileSync(
      jsonPath,
      `${JSON.stringify({ ok: false, problems: [...problems.list, `broke: ${(err as Error).message ?? String(err)}`] }, null, 2)}\n`,
    );
  } catch {
    // the report is best effort here
  }
  process.exit(1);
}
