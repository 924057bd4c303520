/**
 * The delivery simulation's command line, where it keeps its files, its fixed clock and secret,
 * its targets, and the Cloudflare limits the run is checked against.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";

export const root = join(import.meta.dirname, "..", "..");
export const workDir = join(root, "bench", ".work");
/** The run's own D1 (wrangler's --persist-to): wiped at start, removed at the end unless --keep. */
export const stateDir = join(workDir, "delivery-sim-state");
export const jsonPath = join(workDir, "delivery-sim.json");
/** The developer's local D1 (`npm start`), which the run must never touch. */
export const developerState = join(root, ".wrangler", "state");
export const generatedTemplates = join(root, "src", "generated", "email-templates.ts");

/** The fixed clock of the whole send (claims, outbox rows, Date headers). */
export const NOW = new Date("2024-10-28T06:00:00Z");
export const TOKEN_SECRET = "delivery-sim-token-secret-not-a-real-secret";

/** Targets. */
export const maxQueueMessages = (subscribers: number, topicSets = 0) =>
  // 1,000 at 100,000 subscribers; readers with topics may take at most twice that (issue 18).
  Math.max(1, Math.ceil(subscribers / 100)) * (topicSets > 0 ? 2 : 1);
export const MAX_STATEMENTS_PER_CHUNK = 8; // "a small constant": a per-recipient query would be >= 100

/** Cloudflare limits the run is checked against (https://developers.cloudflare.com/d1/platform/limits/, /queues/platform/limits/). */
export const QUEUE_BATCH_MAX_MESSAGES = 100;
export const QUEUE_MESSAGE_MAX_BYTES = 128 * 1024;
export const QUEUE_BATCH_MAX_BYTES = 256 * 1024;
export const D1_MAX_BOUND_PARAMS = 100;
export const D1_MAX_SQL_BYTES = 100_000;
export const D1_MAX_VALUE_BYTES = 2_000_000;

export interface SimSettings {
  readonly subscribers: number;
  /** The digest's ISO week, e.g. 2024-W43. */
  readonly week: string;
  /** The articles' folder (--content). */
  readonly content: string;
  /** Fail when a statement exceeds deployed D1's limits. */
  readonly strict: boolean;
  /** Keep the run's database afterwards. */
  readonly keep: boolean;
  /** Distinct topic sets half the subscribers are given (0: everyone gets everything). */
  readonly topicSets: number;
}

const usage =
  "usage: node_modules/.bin/node bench/delivery-sim.ts [--subscribers 100000] [--week 2024-W43] [--content DIR] [--topic-sets 20] [--strict] [--keep]";

const help = `${usage}

  --subscribers N  subscribers to generate (default 100,000; e.g. 2000 for a quick run)
  --week W         the digest's ISO week (default 2024-W43)
  --content DIR    articles to build the digest from (default content/), published to the
                   run's own D1
  --topic-sets N   half the subscribers get one of N distinct topic sets, each meeting the
                   week (default 20; 0: everyone gets the whole digest)
  --strict         also fail when a statement exceeds deployed D1's limits (2 MB per value…),
                   which local D1 does not enforce
  --keep           keep bench/.work/delivery-sim-state/ after the run (it is wiped at start)`;

/** The settings from the command line; prints the help (exit 0) or what is wrong (exit 2). */
export function readSettings(): SimSettings {
  const { values } = parseArgs({
    options: {
      subscribers: { type: "string", default: "100000" },
      week: { type: "string", default: "2024-W43" },
      content: { type: "string", default: "content" },
      "topic-sets": { type: "string", default: "20" },
      strict: { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(help);
    process.exit(0);
  }
  const subscribers = Number(values.subscribers);
  if (!Number.isInteger(subscribers) || subscribers < 1 || subscribers > 5_000_000) {
    console.error(
      `--subscribers is "${values.subscribers}": expected a whole number from 1 to 5,000,000\n${usage}`,
    );
    process.exit(2);
  }
  if (!/^\d{4}-W\d{2}$/.test(values.week)) {
    console.error(`--week is "${values.week}": expected an ISO week like 2024-W43\n${usage}`);
    process.exit(2);
  }
  const topicSets = Number(values["topic-sets"]);
  if (!Number.isInteger(topicSets) || topicSets < 0 || topicSets > 1000) {
    console.error(
      `--topic-sets is "${values["topic-sets"]}": expected a whole number from 0 to 1,000\n${usage}`,
    );
    process.exit(2);
  }
  return {
    subscribers,
    topicSets,
    week: values.week,
    content: values.content,
    strict: values.strict,
    keep: values.keep,
  };
}
