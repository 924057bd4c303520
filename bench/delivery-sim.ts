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
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type {
  D1Database,
  D1ExecResult,
  D1PreparedStatement,
  D1Result,
  MessageSendRequest,
  Queue,
  QueueMetrics,
  QueueSendBatchOptions,
  QueueSendBatchResponse,
  QueueSendOptions,
  QueueSendResponse,
} from "@cloudflare/workers-types/index.ts";
import { createRandom } from "./lib/synthetic-content.ts";

// ---------------------------------------------------------------------------------------------
// Settings

const root = join(import.meta.dirname, "..");
const workDir = join(root, "bench", ".work");
const stateDir = join(workDir, "delivery-sim-state");
const contentModule = join(workDir, "delivery-sim-content.ts");
const jsonPath = join(workDir, "delivery-sim.json");
const developerState = join(root, ".wrangler", "state");
const usage = "usage: node_modules/.bin/node bench/delivery-sim.ts [--subscribers 100000] [--week 2024-W43] [--content DIR] [--strict] [--keep]";

const { values } = parseArgs({
  options: {
    subscribers: { type: "string", default: "100000" },
    week: { type: "string", default: "2024-W43" },
    content: { type: "string", default: "content" },
    strict: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(`${usage}

  --subscribers N  subscribers to generate (default 100,000; e.g. 2000 for a quick run)
  --week W         the digest's ISO week (default 2024-W43)
  --content DIR    articles to build the digest from (default content/, built privately into
                   bench/.work/delivery-sim-content.ts, so \`npm run bench\` swapping
                   src/generated/content.ts mid-run changes nothing here)
  --strict         also fail when a statement exceeds deployed D1's limits (2 MB per value…),
                   which local D1 does not enforce
  --keep           keep bench/.work/delivery-sim-state/ after the run (it is wiped at start)`);
  process.exit(0);
}
const N = Number(values.subscribers);
if (!Number.isInteger(N) || N < 1 || N > 5_000_000) {
  console.error(`--subscribers is "${values.subscribers}": expected a whole number from 1 to 5,000,000\n${usage}`);
  process.exit(2);
}
if (!/^\d{4}-W\d{2}$/.test(values.week)) {
  console.error(`--week is "${values.week}": expected an ISO week like 2024-W43\n${usage}`);
  process.exit(2);
}

if (!existsSync(join(root, "src", "generated", "email-templates.ts"))) {
  console.error("src/generated/email-templates.ts is missing: run `npm run build:generated` first");
  process.exit(1);
}
// The articles, built with the project's own content build into a private module: `npm run bench`
// rebuilds src/generated/content.ts with synthetic articles while it runs.
{
  mkdirSync(workDir, { recursive: true });
  const build = spawnSync(process.execPath, [join(root, "scripts", "build-content.ts"), "--content", values.content, "--out", relative(root, contentModule)], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) {
    console.error(`content build (--content ${values.content}) failed:\n${build.stdout}${build.stderr}`);
    process.exit(1);
  }
}


// ---------------------------------------------------------------------------------------------
// The product's modules. They are loaded by computed path, so `tsc -p scripts/tsconfig.json`
// (which covers bench/ with Node's types and no Workers globals) does not type-check src/ under
// the wrong settings; the shapes this script relies on are declared here, mirroring src/.

/** src/delivery/producer.ts */
interface DigestChunkMessage {
  readonly kind: "digest-chunk";
  readonly week: string;
  readonly chunkKey: string;
  readonly subscriberIds: readonly number[];
}
interface EnqueueResult {
  readonly recipients: number;
  readonly messages: number;
  readonly queries: number;
}
/** src/mail/transport.ts (messages are opaque here: MailMessage of src/mail/message.ts) */
type MailMessage = { readonly to: string };
type SendResult =
  | { readonly ok: true; readonly providerIds: readonly string[] }
  | { readonly ok: false; readonly retryable: boolean; readonly status: number; readonly message: string; readonly retryAfterSeconds?: number };
interface MailTransport {
  readonly name: string;
  send(messages: readonly MailMessage[], idempotencyKey: string): Promise<SendResult>;
}
/** src/delivery/consumer.ts */
type ChunkOutcome =
  | { readonly kind: "sent"; readonly recipients: number }
  | { readonly kind: "nothing-to-send" }
  | { readonly kind: "retry"; readonly delaySeconds: number; readonly reason: string }
  | { readonly kind: "failed"; readonly reason: string };
/** SiteConfig (src/config.ts) and MailConfig (src/mail/config.ts), passed through untouched. */
type SiteConfig = { readonly digestTimeZone: string };
type MailConfig = { readonly tokenSecret: string | null };
interface ConsumerDeps {
  readonly db: D1Database;
  readonly config: SiteConfig;
  readonly mail: MailConfig;
  readonly transport: MailTransport;
  readonly now?: () => Date;
}
type SimEnv = Record<string, unknown> & { DB: D1Database };

const srcModule = <T>(path: string): Promise<T> => import(pathToFileURL(join(import.meta.dirname, "..", "src", path)).href) as Promise<T>;
const { getPlatformProxy } = await import("wrangler");
const { parseConfig } = await srcModule<{ parseConfig(env: SimEnv): SiteConfig }>("config.ts");
const { readMailConfig } = await srcModule<{ readMailConfig(env: SimEnv): MailConfig }>("mail/config.ts");
const { createLibrary } = await srcModule<{ createLibrary(articles: unknown): unknown }>("content/library.ts");
const { ExtractiveSummarizer } = await srcModule<{ ExtractiveSummarizer: new () => unknown }>("digest/summary/summarizer.ts");
const { actors, articles } = (await import(pathToFileURL(contentModule).href)) as { actors: unknown; articles: readonly unknown[] };
const { buildDigest } = await srcModule<{
  buildDigest(db: D1Database, config: SiteConfig, deps: { library: unknown; actors: unknown; summarizer: unknown; now?: () => Date }, week: string): Promise<"created" | "unchanged" | "replaced" | "empty">;
}>("digest/service.ts");
const { CHUNK_SIZE, enqueueDigestSend } = await srcModule<{
  CHUNK_SIZE: number;
  enqueueDigestSend(db: D1Database, queue: Queue<DigestChunkMessage>, week: string): Promise<EnqueueResult>;
}>("delivery/producer.ts");
const { sendDigestChunk } = await srcModule<{ sendDigestChunk(msg: DigestChunkMessage, attempt: number, deps: ConsumerDeps): Promise<ChunkOutcome> }>("delivery/consumer.ts");
const { OutboxTransport } = await srcModule<{ OutboxTransport: new (db: D1Database, now?: () => Date) => MailTransport }>("mail/outbox.ts");
const { verifyUnsubscribeToken } = await srcModule<{ verifyUnsubscribeToken(secret: string, token: string): Promise<number | null> }>("subscriptions/tokens.ts");

const WEEK = values.week;
/** The fixed clock of the whole send (claims, outbox rows, Date headers). */
const NOW = new Date("2024-10-28T06:00:00Z");
const TOKEN_SECRET = "delivery-sim-token-secret-not-a-real-secret";
/** Targets. */
const MAX_QUEUE_MESSAGES = Math.max(1, Math.ceil(N / 100)); // 1,000 at 100,000 subscribers
const MAX_STATEMENTS_PER_CHUNK = 8; // "a small constant": a per-recipient query would be >= 100
/** Cloudflare limits the run is checked against (https://developers.cloudflare.com/d1/platform/limits/, /queues/platform/limits/). */
const QUEUE_BATCH_MAX_MESSAGES = 100;
const QUEUE_MESSAGE_MAX_BYTES = 128 * 1024;
const QUEUE_BATCH_MAX_BYTES = 256 * 1024;
const D1_MAX_BOUND_PARAMS = 100;
const D1_MAX_SQL_BYTES = 100_000;
const D1_MAX_VALUE_BYTES = 2_000_000;

/** Problems that make the run fail (exit 1), with what was seen. */
const problems: string[] = [];
/** The first stack of every distinct error a chunk threw. */
const errorStacks = new Map<string, string>();
function check(ok: boolean, what: string): boolean {
  if (!ok) problems.push(what);
  return ok;
}

/** Deterministic PRNG, so every run picks the same subscribers and chunks. */
const prng = createRandom;

const ms = (t0: number) => performance.now() - t0;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const utf8Bytes = (s: string) => Buffer.byteLength(s, "utf8");

// ---------------------------------------------------------------------------------------------
// Counting D1 wrapper

interface QueryCount {
  /** SQL statements executed: each run/all/first/raw, and each statement inside a db.batch. */
  statements: number;
  /** Calls to D1 (a db.batch of several statements is one). */
  roundTrips: number;
  batches: number;
  /** Time spent waiting for D1 (calls are sequential, so these do not overlap). */
  d1Ms: number;
  /** Statements by their SQL (whitespace collapsed, first 90 characters). */
  readonly bySql: Map<string, number>;
}

function newCount(): QueryCount {
  return { statements: 0, roundTrips: 0, batches: 0, d1Ms: 0, bySql: new Map() };
}

const sqlLabel = (sql: string) => sql.replace(/\s+/g, " ").trim().slice(0, 90);

interface LimitSeen {
  maxParams: number;
  maxSqlBytes: number;
  maxValueBytes: number;
  maxValueSql: string;
}

/**
 * Wraps the D1 binding: every statement and round trip is added to the total and to the current
 * scope (the producer, one chunk, …). Statements keep their real D1PreparedStatement inside, which
 * is what db.batch gets.
 */
class CountingD1 {
  readonly total = newCount();
  readonly limits: LimitSeen = { maxParams: 0, maxSqlBytes: 0, maxValueBytes: 0, maxValueSql: "" };
  private scope: QueryCount | null = null;
  readonly inner: D1Database;
  constructor(inner: D1Database) {
    this.inner = inner;
  }

  /** Runs `fn` with its queries counted into a fresh count, which it returns with the result. */
  async scoped<T>(fn: () => Promise<T>): Promise<{ result: T; count: QueryCount }> {
    const outer = this.scope;
    const count = newCount();
    this.scope = count;
    try {
      return { result: await fn(), count };
    } finally {
      this.scope = outer;
    }
  }

  /** Counts one round trip of `sqls` and times it. */
  async track<T>(sqls: readonly string[], batch: boolean, call: () => Promise<T>): Promise<T> {
    const counts = this.scope ? [this.total, this.scope] : [this.total];
    this.record(counts, sqls, batch);
    const t = performance.now();
    try {
      return await call();
    } finally {
      const spent = performance.now() - t;
      for (const c of counts) c.d1Ms += spent;
    }
  }

  private record(counts: readonly QueryCount[], sqls: readonly string[], batch: boolean): void {
    for (const c of counts) {
      c.statements += sqls.length;
      c.roundTrips++;
      if (batch) c.batches++;
      for (const sql of sqls) {
        const label = sqlLabel(sql);
        c.bySql.set(label, (c.bySql.get(label) ?? 0) + 1);
      }
    }
  }

  observe(sql: string, params: readonly unknown[]): void {
    const l = this.limits;
    l.maxParams = Math.max(l.maxParams, params.length);
    l.maxSqlBytes = Math.max(l.maxSqlBytes, utf8Bytes(sql));
    for (const p of params) {
      if (typeof p === "string" && p.length * 3 > l.maxValueBytes) {
        const bytes = utf8Bytes(p);
        if (bytes > l.maxValueBytes) {
          l.maxValueBytes = bytes;
          l.maxValueSql = sqlLabel(sql);
        }
      }
    }
  }

  prepare(sql: string): CountingStatement {
    return new CountingStatement(this, sql, this.inner.prepare(sql));
  }

  async batch<T = unknown>(statements: readonly CountingStatement[]): Promise<D1Result<T>[]> {
    return this.track(
      statements.map((s) => s.sql),
      true,
      () => this.inner.batch<T>(statements.map((s) => s.inner)),
    );
  }

  async exec(sql: string): Promise<D1ExecResult> {
    return this.track([sql], false, () => this.inner.exec(sql));
  }

  withSession(): never {
    throw new Error("delivery-sim: withSession is not wrapped (nothing in the send path uses it)");
  }

  dump(): Promise<ArrayBuffer> {
    return this.inner.dump();
  }

  /** As the D1Database the product's functions take. */
  asD1(): D1Database {
    return this as unknown as D1Database;
  }
}

class CountingStatement {
  private readonly db: CountingD1;
  readonly sql: string;
  readonly inner: D1PreparedStatement;
  constructor(db: CountingD1, sql: string, inner: D1PreparedStatement) {
    this.db = db;
    this.sql = sql;
    this.inner = inner;
  }

  bind(...values: unknown[]): CountingStatement {
    this.db.observe(this.sql, values);
    return new CountingStatement(this.db, this.sql, this.inner.bind(...values));
  }

  first<T>(colName?: string): Promise<T | null> {
    return this.db.track([this.sql], false, () => (colName === undefined ? this.inner.first<T>() : this.inner.first<T>(colName)));
  }

  run<T>(): Promise<D1Result<T>> {
    return this.db.track([this.sql], false, () => this.inner.run<T>());
  }

  all<T>(): Promise<D1Result<T>> {
    return this.db.track([this.sql], false, () => this.inner.all<T>());
  }

  raw<T>(options?: { columnNames?: boolean }): Promise<unknown> {
    return this.db.track([this.sql], false, (): Promise<unknown> => (options?.columnNames ? this.inner.raw<T>({ columnNames: true }) : this.inner.raw<T>()));
  }
}

// ---------------------------------------------------------------------------------------------
// In-memory Queue with Queues' limits

class FakeQueue implements Queue<DigestChunkMessage> {
  /** Messages per sendBatch call. */
  readonly sendBatchSizes: number[] = [];
  readonly messages: DigestChunkMessage[] = [];
  readonly violations: string[] = [];
  maxMessageBytes = 0;
  maxBatchBytes = 0;

  private accept(body: DigestChunkMessage, options: { delaySeconds?: number } | undefined): number {
    const bytes = utf8Bytes(JSON.stringify(body));
    this.maxMessageBytes = Math.max(this.maxMessageBytes, bytes);
    if (bytes > QUEUE_MESSAGE_MAX_BYTES) this.violations.push(`message ${body.chunkKey} is ${bytes} bytes (Queues' limit: ${QUEUE_MESSAGE_MAX_BYTES})`);
    if (body.subscriberIds.length > CHUNK_SIZE) this.violations.push(`message ${body.chunkKey} has ${body.subscriberIds.length} recipients (limit ${CHUNK_SIZE})`);
    if (body.subscriberIds.length === 0) this.violations.push(`message ${body.chunkKey} has no recipients`);
    if (options?.delaySeconds) this.violations.push(`message ${body.chunkKey} was delayed ${options.delaySeconds} s`);
    // A real queue serializes the body: the consumer never shares the producer's objects.
    this.messages.push(structuredClone(body));
    return bytes;
  }

  async send(body: DigestChunkMessage, options?: QueueSendOptions): Promise<QueueSendResponse> {
    this.sendBatchSizes.push(1);
    this.accept(body, options);
    return { metadata: { metrics: { backlogCount: this.messages.length, backlogBytes: 0 } } };
  }

  async sendBatch(messages: Iterable<MessageSendRequest<DigestChunkMessage>>, options?: QueueSendBatchOptions): Promise<QueueSendBatchResponse> {
    const list = [...messages];
    this.sendBatchSizes.push(list.length);
    if (list.length > QUEUE_BATCH_MAX_MESSAGES) this.violations.push(`sendBatch of ${list.length} messages (Queues' limit: ${QUEUE_BATCH_MAX_MESSAGES})`);
    if (list.length === 0) this.violations.push("sendBatch of 0 messages");
    let bytes = 0;
    for (const m of list) bytes += this.accept(m.body, { delaySeconds: m.delaySeconds ?? options?.delaySeconds ?? 0 });
    this.maxBatchBytes = Math.max(this.maxBatchBytes, bytes);
    if (bytes > QUEUE_BATCH_MAX_BYTES) this.violations.push(`sendBatch of ${bytes} bytes (Queues' limit: ${QUEUE_BATCH_MAX_BYTES})`);
    return { metadata: { metrics: { backlogCount: this.messages.length, backlogBytes: 0 } } };
  }

  async metrics(): Promise<QueueMetrics> {
    return { backlogCount: this.messages.length, backlogBytes: 0 };
  }
}

// ---------------------------------------------------------------------------------------------
// Transports with injected faults

type Fault = "crash-after-send" | "accepted-then-503" | "429" | "permanent-reject";

class FaultyTransport implements MailTransport {
  readonly name: string;
  private readonly inner: MailTransport;
  private readonly fault: Fault;
  constructor(inner: MailTransport, fault: Fault) {
    this.inner = inner;
    this.fault = fault;
    this.name = `${inner.name}+${fault}`;
  }

  async send(messages: readonly MailMessage[], idempotencyKey: string): Promise<SendResult> {
    switch (this.fault) {
      case "crash-after-send":
        // The provider took the batch; the isolate dies before markSent.
        await this.inner.send(messages, idempotencyKey);
        throw new Error(`delivery-sim: simulated consumer crash after sending ${idempotencyKey}`);
      case "accepted-then-503": {
        // The provider took the batch but the answer was lost: the consumer sees a 503.
        await this.inner.send(messages, idempotencyKey);
        return { ok: false, retryable: true, status: 503, message: "simulated 503 after the batch was accepted" };
      }
      case "429":
        return { ok: false, retryable: true, status: 429, message: "simulated rate limit", retryAfterSeconds: 30 };
      case "permanent-reject":
        return { ok: false, retryable: false, status: 422, message: "simulated permanent rejection of the batch" };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Chunk runs

type Phase = "first-delivery" | "redelivery" | "retry" | "second-send" | "third-send";

interface ChunkRun {
  readonly phase: Phase;
  readonly chunkKey: string;
  readonly attempt: number;
  readonly fault: Fault | null;
  /** Recipients in the message body. */
  readonly bodyRecipients: number;
  /** Outcome kind, or "threw". */
  readonly outcome: ChunkOutcome["kind"] | "threw";
  /** Recipients sent by this run (outcome "sent"). */
  readonly sent: number;
  readonly statements: number;
  readonly roundTrips: number;
  readonly ms: number;
  /** Of `ms`, waiting for D1 (the rest is the Worker's own work: tokens, messages, MIME). */
  readonly d1Ms: number;
  readonly bySql: Map<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Main

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const s = statSync(p);
        out.set(relative(dir, p), `${s.size}:${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

type SubscriberStatus = "active" | "unsubscribed" | "bounced" | "complained" | "pending";

async function main(): Promise<number> {
  const tStart = performance.now();
  const developerStateBefore = filesUnder(developerState);

  // -- isolated database ---------------------------------------------------------------------
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  console.log(`state: ${relative(root, stateDir)}/ (wiped)`);
  let t0 = performance.now();
  const migrate = spawnSync(join(root, "node_modules", ".bin", "wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", PATH: [join(root, "node_modules", ".bin"), dirname(process.execPath), process.env.PATH ?? ""].join(":") },
  });
  if (migrate.status !== 0) throw new Error(`wrangler d1 migrations apply --persist-to failed:\n${migrate.stdout}${migrate.stderr}`);
  const migrateMs = ms(t0);

  // `--persist-to X` keeps D1 under X/v3; getPlatformProxy's persist.path is that v3 directory.
  const proxy = await getPlatformProxy<SimEnv>({ configPath: join(root, "wrangler.toml"), persist: { path: join(stateDir, "v3") }, remoteBindings: false, envFiles: [] });
  try {
    const raw = proxy.env.DB;
    const tables = await raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all<{ name: string }>();
    const tableNames = tables.results.map((r) => r.name);
    for (const t of ["digests", "subscribers", "deliveries", "outbox"]) {
      if (!tableNames.includes(t)) throw new Error(`the migrated database has no "${t}" table (tables: ${tableNames.join(", ")}): getPlatformProxy is not reading the database wrangler migrated`);
    }
    console.log(`migrations applied (${fmt(migrateMs)} ms): ${tableNames.filter((n) => !n.startsWith("_cf") && !n.startsWith("sqlite")).join(", ")}`);

    // A fixed secret, whatever .dev.vars holds (getPlatformProxy reads it): tokens are checked below.
    const env = { ...proxy.env, TOKEN_SECRET };
    const config = parseConfig(env);
    const mail = readMailConfig(env);
    const db = new CountingD1(raw);
    const D1 = db.asD1();

    // -- 1. subscribers and the digest ----------------------------------------------------------
    t0 = performance.now();
    const rand = prng(20241028);
    const status: SubscriberStatus[] = new Array<SubscriberStatus>(N + 1);
    for (let id = 1; id <= N; id++) {
      const r = rand();
      status[id] = r < 0.01 ? "unsubscribed" : r < 0.015 ? "bounced" : r < 0.02 ? "complained" : r < 0.025 ? "pending" : "active";
    }
    const email = (id: number) => `reader${id}@example.test`;
    const ROWS_PER_INSERT = 5000;
    const createdAt = "2024-01-01T00:00:00.000Z";
    const { count: setupCount } = await db.scoped(async () => {
      for (let from = 1; from <= N; from += ROWS_PER_INSERT) {
        const rows: [number, string, string][] = [];
        for (let id = from; id < Math.min(from + ROWS_PER_INSERT, N + 1); id++) rows.push([id, email(id), status[id]!]);
        // One bound parameter per statement (D1 allows 100): the rows as a JSON array.
        await D1.prepare(
          `INSERT INTO subscribers (id, email, status, created_at, updated_at)
           SELECT value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', ?2, ?2 FROM json_each(?1)`,
        )
          .bind(JSON.stringify(rows), createdAt)
          .run();
      }
    });
    const insertMs = ms(t0);
    const initialByStatus = new Map<SubscriberStatus, number>();
    for (let id = 1; id <= N; id++) initialByStatus.set(status[id]!, (initialByStatus.get(status[id]!) ?? 0) + 1);
    const dbByStatus = await D1.prepare("SELECT status, count(*) AS n FROM subscribers GROUP BY status").all<{ status: SubscriberStatus; n: number }>();
    for (const row of dbByStatus.results) check(row.n === initialByStatus.get(row.status), `subscribers with status ${row.status}: ${row.n} in D1, ${initialByStatus.get(row.status)} generated`);
    console.log(
      `subscribers: ${fmt(N)} inserted in ${fmt(insertMs)} ms with ${setupCount.statements} statements (${[...initialByStatus].map(([s, n]) => `${s} ${fmt(n)}`).join(", ")})`,
    );

    t0 = performance.now();
    const outcome = await buildDigest(D1, config, { library: createLibrary(articles), actors, summarizer: new ExtractiveSummarizer(), now: () => NOW }, WEEK);
    if (outcome !== "created") throw new Error(`buildDigest(${WEEK}) returned "${outcome}", expected "created" (does the content still have articles in ${WEEK}?)`);
    const digestRow = await D1.prepare("SELECT length(html) AS html, length(text) AS text, article_count FROM digests WHERE week = ?1").bind(WEEK).first<{ html: number; text: number; article_count: number }>();
    console.log(`digest ${WEEK}: built in ${fmt(ms(t0))} ms (${digestRow!.article_count} articles, html ${fmt(digestRow!.html)} chars, text ${fmt(digestRow!.text)} chars)`);

    // -- 3. the producer -------------------------------------------------------------------------
    const queue = new FakeQueue();
    t0 = performance.now();
    const { result: produced, count: producerCount } = await db.scoped(() => enqueueDigestSend(D1, queue, WEEK));
    const producerMs = ms(t0);
    const firstSend = queue.messages.slice();
    const firstSendBatches = queue.sendBatchSizes.slice();
    const activeAtEnqueue: number[] = [];
    for (let id = 1; id <= N; id++) if (status[id] === "active") activeAtEnqueue.push(id);
    {
      const seen = new Map<number, number>();
      const keys = new Set<string>();
      for (const m of firstSend) {
        check(m.kind === "digest-chunk" && m.week === WEEK, `message ${m.chunkKey}: kind ${m.kind}, week ${m.week}`);
        check(!keys.has(m.chunkKey), `chunk key ${m.chunkKey} enqueued twice`);
        keys.add(m.chunkKey);
        for (const id of m.subscriberIds) seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      const inTwo = [...seen].filter(([, n]) => n > 1).length;
      const notActive = [...seen.keys()].filter((id) => status[id] !== "active").length;
      const missed = activeAtEnqueue.filter((id) => !seen.has(id)).length;
      check(inTwo === 0, `producer: ${inTwo} subscribers in more than one chunk`);
      check(notActive === 0, `producer: ${notActive} non-active subscribers enqueued`);
      check(missed === 0, `producer: ${missed} active subscribers not enqueued`);
      check(produced.messages === firstSend.length && produced.recipients === activeAtEnqueue.length, `producer returned ${JSON.stringify(produced)}; queue got ${firstSend.length} messages; ${activeAtEnqueue.length} active`);
      check(firstSendBatches.every((n) => n <= QUEUE_BATCH_MAX_MESSAGES), "a sendBatch call had more than 100 messages");
    }
    console.log(`producer: ${fmt(firstSend.length)} messages in ${firstSendBatches.length} sendBatch calls, ${producerCount.statements} D1 statements, ${fmt(producerMs)} ms`);

    // A few subscribers unsubscribe between enqueue and send: suppression is checked at send time.
    const lateUnsubscribed: number[] = [];
    {
      const r = prng(7);
      const want = Math.max(1, Math.round(N / 10_000));
      const picked = new Set<number>();
      while (picked.size < Math.min(want, activeAtEnqueue.length)) picked.add(activeAtEnqueue[Math.floor(r() * activeAtEnqueue.length)]!);
      lateUnsubscribed.push(...[...picked].sort((a, b) => a - b));
      await D1.prepare("UPDATE subscribers SET status = 'unsubscribed', updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(lateUnsubscribed), NOW.toISOString()).run();
      for (const id of lateUnsubscribed) status[id] = "unsubscribed";
    }

    // Fault plan: which first deliveries fail how. The last (partial) chunk is rejected for good,
    // so the second send has a partial chunk too.
    const M = firstSend.length;
    const faults = new Map<number, Fault>();
    {
      const r = prng(42);
      const plan: Fault[] = ["crash-after-send", "crash-after-send", "crash-after-send", "crash-after-send", "accepted-then-503", "429", "429", "permanent-reject"];
      if (M >= 2) faults.set(M - 1, "permanent-reject");
      for (const f of plan) {
        if (faults.size >= Math.floor(M / 2)) break;
        let i: number;
        do i = Math.floor(r() * (M - 1));
        while (faults.has(i));
        faults.set(i, f);
      }
    }

    // -- 4. consumers ----------------------------------------------------------------------------
    const outbox = new OutboxTransport(D1, () => NOW);
    const runs: ChunkRun[] = [];
    const runChunk = async (phase: Phase, msg: DigestChunkMessage, attempt: number, fault: Fault | null): Promise<ChunkRun> => {
      const deps: ConsumerDeps = { db: D1, config, mail, transport: fault ? new FaultyTransport(outbox, fault) : outbox, now: () => NOW };
      const t = performance.now();
      const { result, count } = await db.scoped(async () => {
        try {
          return await sendDigestChunk(msg, attempt, deps);
        } catch (err) {
          // What the queue handler does with a throw: retry the message later.
          if (fault !== "crash-after-send") {
            const message = (err as Error).message ?? String(err);
            problems.push(`chunk ${msg.chunkKey} (${phase}, ${msg.subscriberIds.length} recipients) threw: ${message}`);
            if (!errorStacks.has(message)) errorStacks.set(message, (err as Error).stack ?? message);
          }
          return null;
        }
      });
      const run: ChunkRun = {
        phase,
        chunkKey: msg.chunkKey,
        attempt,
        fault,
        bodyRecipients: msg.subscriberIds.length,
        outcome: result === null ? "threw" : result.kind,
        sent: result?.kind === "sent" ? result.recipients : 0,
        statements: count.statements,
        roundTrips: count.roundTrips,
        ms: ms(t),
        d1Ms: count.d1Ms,
        bySql: count.bySql,
      };
      runs.push(run);
      return run;
    };

    const toRetry: DigestChunkMessage[] = [];
    t0 = performance.now();
    let lastProgress = performance.now();
    for (const [i, msg] of firstSend.entries()) {
      const fault = faults.get(i) ?? null;
      const run = await runChunk("first-delivery", msg, 1, fault);
      if (run.outcome === "threw" || run.outcome === "retry") toRetry.push(msg);
      if (performance.now() - lastProgress > 10_000) {
        lastProgress = performance.now();
        const done = i + 1;
        console.log(`  consumers: ${fmt(done)}/${fmt(M)} chunks, ${fmt((done / ms(t0)) * 1000, 1)} chunks/s`);
      }
    }
    const firstPassMs = ms(t0);
    const expectedFaultOutcome: Record<Fault, ChunkRun["outcome"]> = { "crash-after-send": "threw", "accepted-then-503": "retry", "429": "retry", "permanent-reject": "failed" };
    for (const run of runs) {
      if (run.fault) check(run.outcome === expectedFaultOutcome[run.fault], `chunk ${run.chunkKey} with fault ${run.fault}: outcome ${run.outcome}, expected ${expectedFaultOutcome[run.fault]}`);
      else check(run.outcome === "sent", `chunk ${run.chunkKey}: outcome ${run.outcome}, expected sent`);
    }
    console.log(`consumers, first delivery: ${fmt(M)} chunks in ${fmt(firstPassMs)} ms (${[...faults.values()].join(", ") || "no faults"} injected)`);

    // (a) ~5% of the messages delivered again (a retry of a chunk that already went through).
    t0 = performance.now();
    const redeliver: DigestChunkMessage[] = [];
    {
      const r = prng(5);
      const candidates = firstSend.filter((_, i) => !faults.has(i));
      const want = Math.max(1, Math.round(M * 0.05));
      const picked = new Set<number>();
      while (picked.size < Math.min(want, candidates.length)) picked.add(Math.floor(r() * candidates.length));
      for (const i of [...picked].sort((a, b) => a - b)) redeliver.push(candidates[i]!);
    }
    for (const msg of redeliver) {
      const run = await runChunk("redelivery", msg, 2, null);
      check(run.outcome === "nothing-to-send", `redelivered chunk ${msg.chunkKey}: outcome ${run.outcome}, expected nothing-to-send`);
    }
    const redeliveryMs = ms(t0);

    // (b) the crashed and retryable chunks, retried normally.
    t0 = performance.now();
    for (const msg of toRetry) {
      const run = await runChunk("retry", msg, 2, null);
      check(run.outcome === "sent", `retried chunk ${msg.chunkKey}: outcome ${run.outcome}, expected sent`);
    }
    const retryMs = ms(t0);

    // (c) a second send of the same week: only who is still missing (the rejected chunks' recipients).
    const rejectedRecipients = [...faults].filter(([, f]) => f === "permanent-reject").flatMap(([i]) => firstSend[i]!.subscriberIds.filter((id) => status[id] === "active"));
    queue.messages.length = 0;
    queue.sendBatchSizes.length = 0;
    t0 = performance.now();
    const { result: produced2, count: producer2Count } = await db.scoped(() => enqueueDigestSend(D1, queue, WEEK));
    const producer2Ms = ms(t0);
    const secondSend = queue.messages.slice();
    const secondSendBatches = queue.sendBatchSizes.slice();
    {
      // Who the rejected chunks held and is still active; late unsubscribers were never sent, but
      // they are no longer active, so they are not enqueued again.
      const ids = new Set(secondSend.flatMap((m) => m.subscriberIds));
      const expected = new Set(rejectedRecipients);
      check(ids.size === expected.size && [...expected].every((id) => ids.has(id)), `second send enqueued ${ids.size} recipients, expected the ${expected.size} whose chunk was rejected`);
    }
    t0 = performance.now();
    for (const msg of secondSend) {
      const run = await runChunk("second-send", msg, 1, null);
      check(run.outcome === "sent", `second-send chunk ${msg.chunkKey} (${msg.subscriberIds.length} recipients): outcome ${run.outcome}, expected sent`);
    }
    const secondConsumeMs = ms(t0);
    console.log(`second send: ${secondSend.length} messages (${produced2.recipients} recipients) enqueued in ${fmt(producer2Ms)} ms, consumed in ${fmt(secondConsumeMs)} ms`);

    // A third send must find nobody.
    queue.messages.length = 0;
    queue.sendBatchSizes.length = 0;
    const { result: produced3, count: producer3Count } = await db.scoped(() => enqueueDigestSend(D1, queue, WEEK));
    for (const msg of queue.messages) await runChunk("third-send", msg, 1, null);
    check(produced3.messages === 0, `third send enqueued ${produced3.messages} messages (${produced3.recipients} recipients), expected none`);

    check(queue.violations.length === 0, `queue limits: ${queue.violations.slice(0, 5).join("; ")}`);

    // -- 5. verification in SQL ------------------------------------------------------------------
    t0 = performance.now();
    const v = await D1.prepare(
      // One pass over the outbox (grouped by address), joined to subscribers: no per-subscriber
      // scan (outbox has no index on to_addr alone).
      `WITH sent AS MATERIALIZED (SELECT to_addr, count(*) AS n FROM outbox GROUP BY to_addr),
       per AS (SELECT s.status, coalesce(sent.n, 0) AS n FROM subscribers s LEFT JOIN sent ON sent.to_addr = s.email)
       SELECT
         coalesce(sum(status = 'active'), 0)                        AS active,
         coalesce(sum(status = 'active' AND n = 1), 0)               AS active_once,
         coalesce(sum(CASE WHEN status = 'active' AND n > 1 THEN n - 1 ELSE 0 END), 0) AS duplicates,
         coalesce(sum(status = 'active' AND n > 1), 0)               AS recipients_with_duplicates,
         coalesce(sum(status = 'active' AND n = 0), 0)               AS missing,
         coalesce(sum(status <> 'active' AND n > 0), 0)              AS suppressed_sent,
         coalesce(sum(CASE WHEN status <> 'active' THEN n ELSE 0 END), 0) AS suppressed_messages
       FROM per`,
    ).first<{ active: number; active_once: number; duplicates: number; recipients_with_duplicates: number; missing: number; suppressed_sent: number; suppressed_messages: number }>();
    const o = await D1.prepare(
      `SELECT count(*) AS rows, count(DISTINCT to_addr) AS addresses,
              (SELECT count(*) FROM outbox WHERE to_addr NOT IN (SELECT email FROM subscribers)) AS strangers,
              -- size of a stored message, from the first 1,000 (reading every row would read it all)
              (SELECT coalesce(avg(length(CAST(body_gzip AS BLOB)) + length(CAST(headers_json AS BLOB))), 0)
                 FROM (SELECT body_gzip, headers_json FROM outbox ORDER BY id LIMIT 1000)) AS avg_row
       FROM outbox`,
    ).first<{ rows: number; addresses: number; strangers: number; avg_row: number }>();
    const d = await D1.prepare(
      `SELECT coalesce(sum(d.status = 'sent'), 0) AS sent, coalesce(sum(d.status = 'claimed'), 0) AS claimed, coalesce(sum(d.status = 'failed'), 0) AS failed,
              coalesce(sum(d.status = 'sent' AND s.status <> 'active'), 0) AS sent_not_active
       FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.week = ?1`,
    )
      .bind(WEEK)
      .first<{ sent: number; claimed: number; failed: number; sent_not_active: number }>();
    const digestStatus = await D1.prepare("SELECT status FROM digests WHERE week = ?1").bind(WEEK).first<{ status: string }>();
    if (!v || !o || !d) throw new Error("verification queries returned nothing");
    const expectedActive = activeAtEnqueue.length - lateUnsubscribed.length;

    // Every message's unsubscribe link must be its own recipient's (List-Unsubscribe header).
    let wrongUnsubscribe = 0;
    let checkedLinks = 0;
    {
      const idByEmail = (addr: string) => Number(/^reader(\d+)@example\.test$/.exec(addr)?.[1] ?? NaN);
      let after = 0;
      for (;;) {
        const page = await D1.prepare("SELECT id, to_addr, headers_json ->> '$.List-Unsubscribe' AS lu FROM outbox WHERE id > ?1 ORDER BY id LIMIT 5000")
          .bind(after)
          .all<{ id: number; to_addr: string; lu: string | null }>();
        if (page.results.length === 0) break;
        for (const row of page.results) {
          checkedLinks++;
          const token = /\/unsubscribe\/([^>\s]+)>/.exec(row.lu ?? "")?.[1];
          const proven = token ? await verifyUnsubscribeToken(TOKEN_SECRET, decodeURIComponent(token)) : null;
          if (proven === null || proven !== idByEmail(row.to_addr)) wrongUnsubscribe++;
        }
        after = page.results.at(-1)!.id;
      }
    }
    const verifyMs = ms(t0);

    check(v.active === expectedActive, `active subscribers in D1: ${v.active}, expected ${expectedActive}`);
    check(v.duplicates === 0, `duplicates: ${v.duplicates} extra messages to ${v.recipients_with_duplicates} active subscribers`);
    check(v.missing === 0, `missing: ${v.missing} active subscribers got no message`);
    check(v.suppressed_sent === 0, `${v.suppressed_sent} suppressed or pending subscribers got ${v.suppressed_messages} messages`);
    check(o.strangers === 0, `${o.strangers} outbox messages to addresses that are not subscribers`);
    check(d.sent === v.active, `deliveries 'sent': ${d.sent}, active: ${v.active}`);
    check(d.sent_not_active === 0, `${d.sent_not_active} deliveries 'sent' to subscribers who are not active`);
    check(wrongUnsubscribe === 0, `${wrongUnsubscribe} of ${checkedLinks} messages carry an unsubscribe link that is not their recipient's`);

    // -- 6. the report -----------------------------------------------------------------------------
    const consumerRuns = runs;
    const sentRuns = consumerRuns.filter((r) => r.outcome === "sent");
    const stats = (xs: readonly number[]) => ({ n: xs.length, mean: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0, min: xs.length ? Math.min(...xs) : 0, max: xs.length ? Math.max(...xs) : 0 });
    const bucketOf = (n: number) => (n === CHUNK_SIZE ? `${CHUNK_SIZE}` : n >= 50 ? "50-99" : n >= 10 ? "10-49" : "1-9");
    const byBucket = new Map<string, ChunkRun[]>();
    for (const r of sentRuns) {
      const k = bucketOf(r.sent);
      byBucket.set(k, [...(byBucket.get(k) ?? []), r]);
    }
    const bucketStats = [...byBucket].sort(([a], [b]) => Number(b.split("-")[0]) - Number(a.split("-")[0])).map(([bucket, rs]) => ({
      recipients: bucket,
      chunks: rs.length,
      statements: stats(rs.map((r) => r.statements)),
      roundTrips: stats(rs.map((r) => r.roundTrips)),
    }));
    const byOutcome = new Map<string, ChunkRun[]>();
    for (const r of consumerRuns) {
      const k = `${r.phase}: ${r.outcome}`;
      byOutcome.set(k, [...(byOutcome.get(k) ?? []), r]);
    }
    const outcomeStats = [...byOutcome].map(([k, rs]) => ({ what: k, chunks: rs.length, statements: stats(rs.map((r) => r.statements)), roundTrips: stats(rs.map((r) => r.roundTrips)), recipients: rs.reduce((a, r) => a + r.sent, 0) }));
    const sqlPerSentChunk = new Map<string, number>();
    for (const r of sentRuns) for (const [sql, n] of r.bySql) sqlPerSentChunk.set(sql, (sqlPerSentChunk.get(sql) ?? 0) + n);

    const stmts = stats(sentRuns.map((r) => r.statements));
    const trips = stats(sentRuns.map((r) => r.roundTrips));
    const full = sentRuns.filter((r) => r.sent === CHUNK_SIZE);
    const partial = sentRuns.filter((r) => r.sent < CHUNK_SIZE);
    const emailsSent = sentRuns.reduce((a, r) => a + r.sent, 0);
    const consumeMs = consumerRuns.reduce((a, r) => a + r.ms, 0);
    const queueTargetOk = check(M <= MAX_QUEUE_MESSAGES, `queue messages: ${M}, target <= ${MAX_QUEUE_MESSAGES}`);
    const perChunkOk = check(stmts.max <= MAX_STATEMENTS_PER_CHUNK, `D1 statements per chunk: max ${stmts.max}, target <= ${MAX_STATEMENTS_PER_CHUNK} (none per recipient)`);
    // Per-chunk statements without the digest load (once per isolate: the first chunk's cache miss).
    const chunkStatements = (r: ChunkRun) => r.statements - [...r.bySql].filter(([sql]) => sql.startsWith("SELECT * FROM digests")).reduce((a, [, n]) => a + n, 0);
    const fullSet = new Set(full.map(chunkStatements));
    const partialSet = new Set(partial.map(chunkStatements));
    const flat = full.length > 0 && partial.length > 0 ? fullSet.size === 1 && partialSet.size === 1 && [...fullSet][0] === [...partialSet][0] : null;
    if (flat === false) problems.push("D1 statements per chunk differ between full and partial chunks: a query per recipient?");
    const limitsNote: string[] = [];
    if (db.limits.maxParams > D1_MAX_BOUND_PARAMS) limitsNote.push(`a statement bound ${db.limits.maxParams} parameters (D1: ${D1_MAX_BOUND_PARAMS})`);
    if (db.limits.maxSqlBytes > D1_MAX_SQL_BYTES) limitsNote.push(`a statement's SQL is ${db.limits.maxSqlBytes} bytes (D1: ${D1_MAX_SQL_BYTES})`);
    if (db.limits.maxValueBytes > D1_MAX_VALUE_BYTES) limitsNote.push(`a bound value is ${fmt(db.limits.maxValueBytes)} bytes (D1: ${fmt(D1_MAX_VALUE_BYTES)} per string/row) in: ${db.limits.maxValueSql}`);

    if (values.strict) for (const note of limitsNote) problems.push(`deployed D1 would reject this: ${note}`);
    const developerStateAfter = filesUnder(developerState);
    const developerStateTouched = [...new Set([...developerStateBefore.keys(), ...developerStateAfter.keys()])].filter((k) => developerStateBefore.get(k) !== developerStateAfter.get(k));

    const totalMs = ms(tStart);
    const pass = (ok: boolean) => (ok ? "PASS" : "FAIL");
    const lines: [string, string][] = [
      ["subscribers", fmt(N)],
      ["  by status at enqueue", [...initialByStatus].map(([s, n]) => `${s} ${fmt(n)}`).join(", ")],
      ["  unsubscribed mid-send", fmt(lateUnsubscribed.length)],
      ["active (at verification)", fmt(v.active)],
      ["queue messages (first send)", `${fmt(M)}  target <= ${fmt(MAX_QUEUE_MESSAGES)}: ${pass(queueTargetOk)}`],
      ["  recipients per message", `${stats(firstSend.map((m) => m.subscriberIds.length)).max} max, ${stats(firstSend.map((m) => m.subscriberIds.length)).min} min (last chunk)`],
      ["sendBatch calls (first send)", `${fmt(firstSendBatches.length)} (max ${Math.max(0, ...firstSendBatches)} messages each; limit 100)`],
      ["  largest message / sendBatch", `${fmt(queue.maxMessageBytes)} B / ${fmt(queue.maxBatchBytes)} B (limits 128 KB / 256 KB)`],
      ["producer D1 queries", `${producerCount.statements} statements in ${producerCount.roundTrips} round trips (${[...producerCount.bySql.values()].join(" + ")}), ${fmt(producerMs)} ms`],
      ["D1 statements per sent chunk", `mean ${fmt(stmts.mean, 2)}, max ${stmts.max}  target <= ${MAX_STATEMENTS_PER_CHUNK}, none per recipient: ${pass(perChunkOk && flat !== false)}`],
      ["D1 round trips per sent chunk", `mean ${fmt(trips.mean, 2)}, max ${trips.max} (claim = 1 db.batch of 2)`],
      ...bucketStats.map((b): [string, string] => [`  chunks of ${b.recipients} recipients`, `${fmt(b.chunks)} chunks: statements mean ${fmt(b.statements.mean, 2)}, max ${b.statements.max}; round trips mean ${fmt(b.roundTrips.mean, 2)}`]),
      ["  full (100) vs partial chunks", full.length && partial.length ? `${[...fullSet].join("/")} vs ${[...partialSet].join("/")} statements per chunk (${partial.map((r) => r.sent).sort((a, b) => a - b).join(", ")} recipients) without the one digest load per isolate: ${flat ? "same (no per-recipient query)" : "DIFFERENT"}` : "n/a (no partial chunk)"],
      ...outcomeStats.map((s): [string, string] => [`  ${s.what}`, `${fmt(s.chunks)} runs, ${fmt(s.recipients)} recipients, statements mean ${fmt(s.statements.mean, 2)} max ${s.statements.max}`]),
      ["redelivered (~5%)", `${redeliver.length} messages: ${[...countBy(runs.filter((r) => r.phase === "redelivery").map((r) => r.outcome))].map(([k, n]) => `${n} ${k}`).join(", ")} (expected: all nothing-to-send)`],
      ["crash / retry chunks", `${[...faults.values()].filter((f) => f !== "permanent-reject").length} (crash after send ×${[...faults.values()].filter((f) => f === "crash-after-send").length}, accepted-then-503 ×${[...faults.values()].filter((f) => f === "accepted-then-503").length}, 429 ×${[...faults.values()].filter((f) => f === "429").length}), retried normally`],
      ["rejected chunks (released)", `${[...faults.values()].filter((f) => f === "permanent-reject").length} (${rejectedRecipients.length} recipients)`],
      ["second send", `${produced2.messages} messages, ${produced2.recipients} recipients, ${producer2Count.statements} producer statements`],
      ["third send", `${produced3.messages} messages, ${producer3Count.statements} producer statements`],
      ["outbox messages", `${fmt(o.rows)} to ${fmt(o.addresses)} addresses (~${fmt(o.avg_row / 1024, 1)} KB of columns each)`],
      ["duplicates", `${fmt(v.duplicates)}  ${pass(v.duplicates === 0)}`],
      ["missing", `${fmt(v.missing)}  ${pass(v.missing === 0)}`],
      ["sent to suppressed/pending", `${fmt(v.suppressed_messages)}  ${pass(v.suppressed_sent === 0)}`],
      ["deliveries", `sent ${fmt(d.sent)} (= active: ${pass(d.sent === v.active)}), claimed ${fmt(d.claimed)}, failed ${fmt(d.failed)}`],
      ["unsubscribe links", `${fmt(checkedLinks - wrongUnsubscribe)}/${fmt(checkedLinks)} are their recipient's`],
      ["digest status after", digestStatus?.status ?? "?"],
      ["wall time: producer", `${fmt(producerMs)} ms`],
      ["wall time: consumers", `${fmt(consumeMs / 1000, 1)} s (first delivery ${fmt(firstPassMs / 1000, 1)} s, redeliveries ${fmt(redeliveryMs)} ms, retries ${fmt(retryMs)} ms, second send ${fmt(secondConsumeMs)} ms)`],
      ["throughput", `${fmt((emailsSent / consumeMs) * 1000)} emails/s, ${fmt((consumerRuns.length / consumeMs) * 1000, 1)} queue messages/s (one consumer, sequential)`],
      ["per sent chunk", `mean ${fmt(stats(sentRuns.map((r) => r.ms)).mean, 1)} ms (D1 ${fmt(stats(sentRuns.map((r) => r.d1Ms)).mean, 1)} ms, building messages ${fmt(stats(sentRuns.map((r) => r.ms - r.d1Ms)).mean, 1)} ms), max ${fmt(stats(sentRuns.map((r) => r.ms)).max, 1)} ms`],
      ["per queue invocation (10 msgs)", `~${fmt(stmts.mean * 10 + 1, 0)} D1 statements, ~${fmt(trips.mean * 10 + 1, 0)} round trips (Workers Free: 50 D1 queries per invocation, Paid: 1,000)`],
      ["producer invocation", `${producerCount.statements} D1 statements + ${firstSendBatches.length} sendBatch calls in one invocation (Free: 50 D1 queries, Paid: 1,000)`],
      ["D1 limits (deployed D1)", `max ${db.limits.maxParams} bound params (limit 100), max SQL ${fmt(db.limits.maxSqlBytes)} B (limit 100 KB), largest bound value ${fmt(db.limits.maxValueBytes)} B (limit 2 MB): ${limitsNote.length ? `${values.strict ? "FAIL" : "WARNING"}: ${limitsNote.join("; ")}` : "PASS"}`],
      ["developer DB (.wrangler/state)", developerStateTouched.length ? `changed during the run by another process (npm start, e2e…; this run's D1 is only under ${relative(root, stateDir)}/): ${developerStateTouched.length} files` : "untouched"],
      ["total run time", `${fmt(totalMs / 1000, 1)} s (setup: migrations ${fmt(migrateMs)} ms, subscribers ${fmt(insertMs)} ms; verification ${fmt(verifyMs)} ms)`],
    ];
    const width = Math.max(...lines.map(([k]) => k.length));
    console.log(`\nDelivery simulation: digest ${WEEK} to ${fmt(N)} subscribers (real producer + consumer, local D1)\n`);
    for (const [k, val] of lines) console.log(`${k.padEnd(width)}  ${val}`);
    console.log("\nD1 statements over all sent chunks, by SQL:");
    for (const [sql, n] of [...sqlPerSentChunk].sort((a, b) => b[1] - a[1])) console.log(`  ${fmt(n).padStart(7)}  (${fmt(n / Math.max(1, sentRuns.length), 2)}/chunk)  ${sql}`);

    const ok = problems.length === 0;
    const json = {
      ok,
      problems,
      errorStacks: [...errorStacks.values()],
      settings: { subscribers: N, week: WEEK, content: values.content, strict: values.strict, now: NOW.toISOString(), chunkSize: CHUNK_SIZE, state: relative(root, stateDir) },
      subscribers: { total: N, byStatusAtEnqueue: Object.fromEntries(initialByStatus), unsubscribedMidSend: lateUnsubscribed.length, activeAtVerification: v.active },
      queue: {
        messages: M,
        target: MAX_QUEUE_MESSAGES,
        pass: queueTargetOk,
        sendBatchCalls: firstSendBatches.length,
        sendBatchSizes: firstSendBatches,
        recipientsPerMessage: stats(firstSend.map((m) => m.subscriberIds.length)),
        maxMessageBytes: queue.maxMessageBytes,
        maxBatchBytes: queue.maxBatchBytes,
        violations: queue.violations,
      },
      producer: { ...producedJson(produced), statements: producerCount.statements, roundTrips: producerCount.roundTrips, ms: producerMs, d1Ms: producerCount.d1Ms, bySql: Object.fromEntries(producerCount.bySql) },
      consumers: {
        runs: consumerRuns.length,
        sentChunks: sentRuns.length,
        statementsPerSentChunk: stmts,
        roundTripsPerSentChunk: trips,
        target: MAX_STATEMENTS_PER_CHUNK,
        pass: perChunkOk && flat !== false,
        fullVsPartial: { full: stats(full.map((r) => r.statements)), partial: stats(partial.map((r) => r.statements)), partialRecipients: partial.map((r) => r.sent), statementsWithoutDigestLoad: { full: [...fullSet], partial: [...partialSet] }, flat },
        byRecipients: bucketStats,
        byPhaseAndOutcome: outcomeStats,
        statementsBySql: Object.fromEntries(sqlPerSentChunk),
        wallMs: consumeMs,
        firstDeliveryMs: firstPassMs,
        emailsPerSecond: (emailsSent / consumeMs) * 1000,
        queueMessagesPerSecond: (consumerRuns.length / consumeMs) * 1000,
        chunks: consumerRuns.map((r) => ({ phase: r.phase, chunkKey: r.chunkKey, attempt: r.attempt, fault: r.fault, bodyRecipients: r.bodyRecipients, outcome: r.outcome, sent: r.sent, statements: r.statements, roundTrips: r.roundTrips, ms: Math.round(r.ms * 10) / 10, d1Ms: Math.round(r.d1Ms * 10) / 10 })),
      },
      scenarios: {
        faults: Object.fromEntries([...faults].map(([i, f]) => [firstSend[i]!.chunkKey, f])),
        redelivered: redeliver.map((m) => m.chunkKey),
        rejectedRecipients: rejectedRecipients.length,
        secondSend: { ...producedJson(produced2), statements: producer2Count.statements, ms: producer2Ms, sendBatchSizes: secondSendBatches },
        thirdSend: producedJson(produced3),
      },
      verification: { ...v, outbox: o, deliveries: d, digestStatus: digestStatus?.status ?? null, unsubscribeLinksChecked: checkedLinks, unsubscribeLinksWrong: wrongUnsubscribe },
      d1Limits: { ...db.limits, warnings: limitsNote },
      developerStateTouched,
      totals: { d1Statements: db.total.statements, d1RoundTrips: db.total.roundTrips, totalMs },
    };
    mkdirSync(workDir, { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`\nJSON: ${relative(root, jsonPath)}`);
    if (!ok) {
      console.error(`\nFAIL: ${problems.length} problem${problems.length === 1 ? "" : "s"}:`);
      for (const p of problems.slice(0, 20)) console.error(`  - ${p}`);
      if (problems.length > 20) console.error(`  … and ${problems.length - 20} more (see the JSON)`);
      for (const stack of errorStacks.values()) console.error(`\nfirst stack of: ${stack}`);
    } else console.log("\nPASS");
    return ok ? 0 : 1;
  } finally {
    await proxy.dispose();
    if (!values.keep) rmSync(stateDir, { recursive: true, force: true });
  }
}

function countBy<T>(xs: readonly T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function producedJson(r: EnqueueResult) {
  return { recipients: r.recipients, messages: r.messages, queriesReported: r.queries };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`delivery-sim broke: ${(err as Error).stack ?? String(err)}`);
    try {
      mkdirSync(workDir, { recursive: true });
      writeFileSync(jsonPath, `${JSON.stringify({ ok: false, problems: [...problems, `broke: ${(err as Error).message ?? String(err)}`] }, null, 2)}\n`);
    } catch {
      // the report is best effort here
    }
    process.exit(1);
  },
);
