/**
 * What the send starts from: N subscribers in bulk (a known ~1% unsubscribed, ~0.5% bounced,
 * ~0.5% complained, ~0.5% pending, the rest active) and the week's digest, built with the real
 * buildDigest from the articles of --content, published to the run's own D1.
 */
import type { SiteConfig } from "../../src/config.ts";
import { publishContent } from "../../scripts/publish/publish.ts";
import { d1Executor } from "../../src/lib/sql-batch.ts";
import { ContentRepository } from "../../src/content/view.ts";
import { loadContent } from "../../scripts/build-content.ts";
import { buildDigest } from "../../src/digest/service.ts";
import { ExtractiveSummarizer } from "../../src/digest/summary/summarizer.ts";
import { createRandom } from "../lib/synthetic-content.ts";
import type { CountingD1 } from "./counting-d1.ts";
import type { Problems } from "./problems.ts";
import { NOW } from "./settings.ts";
import { fmt, ms } from "./util.ts";

export type SubscriberStatus = "active" | "unsubscribed" | "bounced" | "complained" | "pending";

export interface Population {
  /** Each subscriber's status by id (1…N; index 0 unused), kept up to date by the run. */
  readonly status: SubscriberStatus[];
  readonly initialByStatus: Map<SubscriberStatus, number>;
  readonly insertMs: number;
}

const ROWS_PER_INSERT = 5000;
const CREATED_AT = "2024-01-01T00:00:00.000Z";

/** Subscriber `id`'s address; verification maps addresses back to ids. */
export const email = (id: number) => `reader${id}@example.test`;

function drawStatuses(subscribers: number): SubscriberStatus[] {
  const rand = createRandom(20241028);
  const status: SubscriberStatus[] = new Array<SubscriberStatus>(subscribers + 1);
  for (let id = 1; id <= subscribers; id++) {
    const r = rand();
    status[id] =
      r < 0.01
        ? "unsubscribed"
        : r < 0.015
          ? "bounced"
          : r < 0.02
            ? "complained"
            : r < 0.025
              ? "pending"
              : "active";
  }
  return status;
}

/** Inserts the subscribers and checks D1 holds what was generated. */
export async function insertSubscribers(
  db: CountingD1,
  subscribers: number,
  problems: Problems,
): Promise<Population> {
  const D1 = db.asD1();
  const t0 = performance.now();
  const status = drawStatuses(subscribers);
  const { count: setupCount } = await db.scoped(async () => {
    for (let from = 1; from <= subscribers; from += ROWS_PER_INSERT) {
      const rows: [number, string, string][] = [];
      for (let id = from; id < Math.min(from + ROWS_PER_INSERT, subscribers + 1); id++)
        rows.push([id, email(id), status[id]!]);
      // One bound parameter per statement (D1 allows 100): the rows as a JSON array.
      await D1.prepare(
        `INSERT INTO subscribers (id, email, status, created_at, updated_at)
           SELECT value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', ?2, ?2 FROM json_each(?1)`,
      )
        .bind(JSON.stringify(rows), CREATED_AT)
        .run();
    }
  });
  const insertMs = ms(t0);
  const initialByStatus = new Map<SubscriberStatus, number>();
  for (let id = 1; id <= subscribers; id++)
    initialByStatus.set(status[id]!, (initialByStatus.get(status[id]!) ?? 0) + 1);
  const dbByStatus = await D1.prepare(
    "SELECT status, count(*) AS n FROM subscribers GROUP BY status",
  ).all<{ status: SubscriberStatus; n: number }>();
  for (const row of dbByStatus.results)
    problems.check(
      row.n === initialByStatus.get(row.status),
      `subscribers with status ${row.status}: ${row.n} in D1, ${initialByStatus.get(row.status)} generated`,
    );
  console.log(
    `subscribers: ${fmt(subscribers)} inserted in ${fmt(insertMs)} ms with ${setupCount.statements} statements (${[...initialByStatus].map(([s, n]) => `${s} ${fmt(n)}`).join(", ")})`,
  );
  return { status, initialByStatus, insertMs };
}

/** The week's digest, from the articles of `contentDir` published to this run's D1. */
export async function buildWeekDigest(
  D1: D1Database,
  config: SiteConfig,
  week: string,
  contentDir: string,
): Promise<void> {
  const content = await loadContent(contentDir);
  if (content.errors.length > 0) throw new Error(content.errors.join("\n"));
  await publishContent(d1Executor(D1), content);
  const t0 = performance.now();
  const outcome = await buildDigest(
    D1,
    config,
    { content: new ContentRepository(), summarizer: new ExtractiveSummarizer(), now: () => NOW },
    week,
  );
  if (outcome !== "created")
    throw new Error(
      `buildDigest(${week}) returned "${outcome}", expected "created" (does the content still have articles in ${week}?)`,
    );
  const digestRow = await D1.prepare(
    "SELECT length(html) AS html, length(text) AS text, article_count FROM digests WHERE week = ?1",
  )
    .bind(week)
    .first<{ html: number; text: number; article_count: number }>();
  console.log(
    `digest ${week}: built in ${fmt(ms(t0))} ms (${digestRow!.article_count} articles, html ${fmt(digestRow!.html)} chars, text ${fmt(digestRow!.text)} chars)`,
  );
}
