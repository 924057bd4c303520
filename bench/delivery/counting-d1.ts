/**
 * A D1 binding that counts: every statement and round trip is attributed to the run and to the
 * current scope (the producer, one chunk, …), and the largest parameters, SQL and bound values
 * are kept to compare with deployed D1's limits, which local D1 does not enforce.
 */
import type {
  D1Database,
  D1ExecResult,
  D1PreparedStatement,
  D1Result,
} from "@cloudflare/workers-types/index.ts";
import { utf8Bytes } from "./util.ts";

export interface QueryCount {
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

export interface LimitSeen {
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
export class CountingD1 {
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
    return this.db.track([this.sql], false, () =>
      colName === undefined ? this.inner.first<T>() : this.inner.first<T>(colName),
    );
  }

  run<T>(): Promise<D1Result<T>> {
    return this.db.track([this.sql], false, () => this.inner.run<T>());
  }

  all<T>(): Promise<D1Result<T>> {
    return this.db.track([this.sql], false, () => this.inner.all<T>());
  }

  raw<T>(options?: { columnNames?: boolean }): Promise<unknown> {
    return this.db.track([this.sql], false, (): Promise<unknown> =>
      options?.columnNames ? this.inner.raw<T>({ columnNames: true }) : this.inner.raw<T>(),
    );
  }
}
