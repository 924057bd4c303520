/**
 * Confirmation emails owed by a command-line import go out at the cron's next run. Regression:
 * `npm run subscribers:import` cannot reach the Worker's queue, so its emails waited in D1 until
 * an operator found the admin's "Send confirmation emails" button; imported readers were never
 * asked to confirm unless somebody pressed it. The run is the Worker's real scheduled().
 */
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { d1Executor } from "../../src/lib/sql-batch.ts";
import { listOutbox } from "../../src/mail/outbox.ts";
import type { ImportConfirmMessage } from "../../src/subscriptions/import-confirmations.ts";
import { importSubscribers } from "../../src/subscriptions/import.ts";
import { testEnv } from "../helpers/fixtures.ts";
import { deliver, recordingQueue } from "../helpers/queue.ts";

const NOW = new Date("2026-11-30T10:00:00Z");

async function cronAt(time: Date) {
  const { queue, sent } = recordingQueue<ImportConfirmMessage>();
  await (worker as ExportedHandler<Env>).scheduled!(
    createScheduledController({ scheduledTime: time.getTime(), cron: "*/15 * * * *" }),
    testEnv({ DIGEST_QUEUE: queue as unknown as Queue }),
    createExecutionContext(),
  );
  return sent.map((m) => m.body);
}

describe("the cron releases an import's owed confirmation emails", () => {
  it("queues them once, and the consumer mails each address one link", async () => {
    const report = await importSubscribers(
      d1Executor(env.DB),
      "email\nuno@cron-import.example\ndos@cron-import.example\n",
      {
        source: "list.csv",
        importedBy: "Ana (test)",
        consentNote: null,
        consentTextVersion: "2026-11-21",
        dryRun: false,
        now: NOW,
      },
    );
    expect(report).toMatchObject({ added: 2, confirmationEmails: 2 });

    const first = await cronAt(new Date(NOW.getTime() + 15 * 60_000));
    const ours = first.filter((m) => m.kind === "import-confirm" && m.importId === report.importId);
    expect(ours.flatMap((m) => m.consentIds)).toHaveLength(2);
    // The next run finds nothing owed: nobody is asked twice.
    const second = await cronAt(new Date(NOW.getTime() + 30 * 60_000));
    expect(second.filter((m) => m.kind === "import-confirm")).toEqual([]);

    await deliver(ours as never[]);
    const outbox = await listOutbox(env.DB, 1000);
    for (const address of ["uno@cron-import.example", "dos@cron-import.example"]) {
      const mails = outbox.filter((m) => m.to === address);
      expect(mails, address).toHaveLength(1);
      expect(mails[0]!.text).toMatch(/\/confirm\/[A-Za-z0-9_-]{43}/);
    }
  });
});
