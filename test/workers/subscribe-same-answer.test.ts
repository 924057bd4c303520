/**
 * A sign-up's answer says nothing about the address (issue 10, item 3): the same status,
 * headers and bytes, and the same work before answering, whether the address is new, pending,
 * limited, subscribed, unsubscribed or suppressed. The work before answering is measured as
 * the D1 statements issued by the time the response is handed back, counted by a wrapper
 * around the real D1 binding; the state-dependent work and the send come after
 * (waitUntil), and the counter sees them too, once the execution context is waited on.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listOutbox } from "../../src/mail/outbox.ts";
import { makeApp } from "../helpers/fixtures.ts";

const { app } = makeApp([]);

/** `db`, counting every statement it executes: first/run/all/raw, and each one in a batch. */
function countingD1(db: D1Database): { db: D1Database; statements: () => number } {
  let count = 0;
  const unwrapped = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, prop) {
        if (prop === "bind") return (...values: unknown[]) => wrap(target.bind(...values));
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        const method = value as (...args: unknown[]) => unknown;
        if (prop === "first" || prop === "run" || prop === "all" || prop === "raw")
          return (...args: unknown[]) => {
            count += 1;
            return method.apply(target, args);
          };
        return method.bind(target);
      },
    });
    unwrapped.set(proxy, statement);
    return proxy;
  };
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql));
      if (prop === "batch")
        return (statements: D1PreparedStatement[]) => {
          count += statements.length;
          return target.batch(statements.map((s) => unwrapped.get(s) ?? s));
        };
      if (prop === "exec")
        return (sql: string) => {
          count += 1;
          return target.exec(sql);
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });
  return { db: proxy, statements: () => count };
}

async function insertSubscriber(email: string, status: string): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO subscribers (email, status, created_at, updated_at) VALUES (?1, ?2, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')",
  )
    .bind(email, status)
    .run();
}

interface Observed {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: Uint8Array;
  readonly statementsBeforeAnswer: number;
  readonly statementsInAll: number;
}

/** Signs `email` up from `ip` through a counting D1, and what a client and D1 saw of it. */
async function observeSignUp(email: string, ip: string): Promise<Observed> {
  const counter = countingD1(env.DB);
  const ctx = createExecutionContext();
  const res = await app.request(
    "/subscribe",
    {
      method: "POST",
      body: new URLSearchParams({ email, form: "home" }),
      headers: { "CF-Connecting-IP": ip },
    },
    { ...env, DB: counter.db },
    ctx,
  );
  const statementsBeforeAnswer = counter.statements();
  const body = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return {
    status: res.status,
    headers: [...res.headers],
    body,
    statementsBeforeAnswer,
    statementsInAll: counter.statements(),
  };
}

describe("the answer to a sign-up", () => {
  it("is the same bytes after the same work for every state of the address", async () => {
    const states = {
      new: null,
      pending: "pending",
      // Pending, and mailed a moment ago: this sign-up is over the per-address limit.
      "pending, limited": "pending",
      active: "active",
      unsubscribed: "unsubscribed",
      bounced: "bounced",
      complained: "complained",
    } as const;
    const observed = new Map<string, Observed>();
    for (const [i, [state, status]] of Object.entries(states).entries()) {
      const email = `same-answer-${i}@example.org`;
      if (status !== null) await insertSubscriber(email, status);
      if (state === "pending, limited") await observeSignUp(email, "198.51.100.199");
      observed.set(state, await observeSignUp(email, `198.51.100.${200 + i}`));
    }

    const reference = observed.get("new")!;
    expect(reference.status).toBe(200);
    for (const [state, seen] of observed) {
      expect(seen.status, state).toBe(reference.status);
      expect(seen.headers, state).toEqual(reference.headers);
      expect(seen.body, state).toEqual(reference.body);
      // Before answering: the network's budget, and nothing that reads the address's row.
      expect(seen.statementsBeforeAnswer, state).toBe(1);
    }

    // After answering, the work does depend on the state: the new address is recorded and
    // mailed; the active one is only looked up.
    expect(reference.statementsInAll).toBeGreaterThan(observed.get("active")!.statementsInAll);
    const mailed = (await listOutbox(env.DB, 10_000)).map((m) => m.to);
    expect(mailed.filter((to) => to.startsWith("same-answer-")).sort()).toEqual(
      [
        "same-answer-0@example.org",
        "same-answer-1@example.org",
        "same-answer-2@example.org",
        "same-answer-4@example.org",
      ].sort(),
    );
  });
});
