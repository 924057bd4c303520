/**
 * One queue message through the product's consumer (sendDigestChunk), timed and with its D1
 * queries counted, the way the queue handler would run it.
 */
import {
  type ChunkOutcome,
  type ConsumerDeps,
  sendDigestChunk,
} from "../../src/delivery/consumer.ts";
import type { DigestChunkMessage } from "../../src/delivery/producer.ts";
import type { MailConfig, SiteConfig } from "../../src/config.ts";
import type { MailTransport } from "../../src/mail/transport.ts";
import type { CountingD1 } from "./counting-d1.ts";
import { type Fault, FaultyTransport } from "./faults.ts";
import type { Problems } from "./problems.ts";
import { NOW } from "./settings.ts";
import { ms } from "./util.ts";

export type Phase = "first-delivery" | "redelivery" | "retry" | "second-send" | "third-send";

export interface ChunkRun {
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

export interface ChunkRunnerDeps {
  readonly db: CountingD1;
  readonly config: SiteConfig;
  readonly mail: MailConfig;
  /** The real transport (the outbox); a fault wraps it. */
  readonly transport: MailTransport;
  readonly problems: Problems;
}

/** Runs chunks one at a time and keeps every run, in order. */
export class ChunkRunner {
  readonly runs: ChunkRun[] = [];
  private readonly deps: ChunkRunnerDeps;
  /**
   * The queue handler shares one digest-hash lookup among the messages of an invocation
   * (wrangler.toml: max_batch_size = 10): runs are grouped into invocations of 10 the same way.
   */
  private hashes = new Map<string, Promise<string | null>>();
  private runsInInvocation = 0;
  constructor(deps: ChunkRunnerDeps) {
    this.deps = deps;
  }

  async run(
    phase: Phase,
    msg: DigestChunkMessage,
    attempt: number,
    fault: Fault | null,
  ): Promise<ChunkRun> {
    const { db, config, mail, transport } = this.deps;
    if (this.runsInInvocation++ % 10 === 0) this.hashes = new Map();
    const deps: ConsumerDeps = {
      hashes: this.hashes,
      db: db.asD1(),
      config,
      mail,
      transport: fault ? new FaultyTransport(transport, fault) : transport,
      now: () => NOW,
    };
    const t = performance.now();
    const { result, count } = await db.scoped(() => this.consume(phase, msg, attempt, fault, deps));
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
    this.runs.push(run);
    return run;
  }

  /** sendDigestChunk, or null when it threw (the queue handler would retry the message later). */
  private async consume(
    phase: Phase,
    msg: DigestChunkMessage,
    attempt: number,
    fault: Fault | null,
    deps: ConsumerDeps,
  ): Promise<ChunkOutcome | null> {
    try {
      return await sendDigestChunk(msg, attempt, deps);
    } catch (err) {
      if (fault !== "crash-after-send")
        this.deps.problems.threw(
          `chunk ${msg.chunkKey} (${phase}, ${msg.subscriberIds.length} recipients)`,
          err,
        );
      return null;
    }
  }
}
