/**
 * Writing to D1 within its limits (https://developers.cloudflare.com/d1/platform/limits/):
 * at most 100 bound parameters and 100,000 bytes of SQL per statement, 2 MB per row. Rows are
 * packed into multi-row INSERTs under both limits, and text too long for one statement is
 * written in pieces (`col = col || ?`), so the same statements also fit when their values are
 * inlined into an SQL file for `wrangler d1 execute --remote --file`.
 */
export type SqlValue = string | number | null;

export interface Statement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** Where a publish runs its SQL: the D1 binding (local, tests) or wrangler's CLI (remote). */
export interface SqlExecutor {
  query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs the statements in order, in one round trip. */
  execute(statements: readonly Statement[]): Promise<void>;
}

export const MAX_PARAMS = 100;
/** Below D1's 100,000 bytes, leaving room for the statement around the values. */
export const MAX_STATEMENT_BYTES = 90_000;
/** Text longer than this (UTF-16 units) is written in pieces: ≤ 72 KB inlined, even if every
 * unit is a 3-byte UTF-8 character or a quote doubled by SQL escaping. */
export const TEXT_PIECE = 24_000;
export const MAX_ROW_BYTES = 2_000_000;

const encoder = new TextEncoder();

/** Bytes of a value once inlined as an SQL literal. */
export function literalBytes(value: SqlValue): number {
  if (value === null) return 4;
  if (typeof value === "number") return String(value).length;
  let quotes = 0;
  for (let i = value.indexOf("'"); i !== -1; i = value.indexOf("'", i + 1)) quotes++;
  return encoder.encode(value).byteLength + quotes + 2;
}

/** `text` cut into pieces of at most TEXT_PIECE units, never inside a surrogate pair. */
export function textPieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + TEXT_PIECE);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end--;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces.length === 0 ? [""] : pieces;
}

/**
 * INSERTs of `rows` into `table`, as few statements as the limits allow. Text values longer
 * than TEXT_PIECE go in as their first piece, followed by UPDATEs appending the rest, located
 * by `key` (a column whose value identifies the row).
 */
export function insertRows(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  key: { column: string; index: number },
): Statement[] {
  const head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const perStatement = Math.floor(MAX_PARAMS / columns.length);
  const out: Statement[] = [];
  const appends: Statement[] = [];
  let pending: SqlValue[][] = [];
  let pendingBytes = head.length;
  const flush = () => {
    if (pending.length === 0) return;
    out.push({ sql: head + pending.map(() => tuple).join(", "), params: pending.flat() });
    pending = [];
    pendingBytes = head.length;
  };
  for (const row of rows) {
    const values = row.map((value, i) => {
      if (typeof value !== "string" || value.length <= TEXT_PIECE) return value;
      const [first, ...rest] = textPieces(value);
      for (const piece of rest) {
        appends.push({
          sql: `UPDATE ${table} SET ${columns[i]} = ${columns[i]} || ? WHERE ${key.column} = ?`,
          params: [piece, row[key.index]!],
        });
      }
      return first!;
    });
    const bytes = values.reduce<number>((n, v) => n + literalBytes(v) + 2, tuple.length);
    if (pending.length >= perStatement || pendingBytes + bytes > MAX_STATEMENT_BYTES) flush();
    pending.push(values);
    pendingBytes += bytes;
  }
  flush();
  // The pieces come after every INSERT, so each UPDATE finds its row.
  return [...out, ...appends];
}

/** `UPDATE … SET <set> WHERE <column> IN (…)` over `keys`, at most MAX_PARAMS - 1 keys each. */
export function updateWhereIn(
  sqlBeforeIn: string,
  first: SqlValue,
  keys: readonly SqlValue[],
): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < keys.length; i += MAX_PARAMS - 1) {
    const chunk = keys.slice(i, i + MAX_PARAMS - 1);
    out.push({
      sql: `${sqlBeforeIn} IN (${chunk.map(() => "?").join(", ")})`,
      params: [first, ...chunk],
    });
  }
  return out;
}

/**
 * Groups statements into round trips of at most `size` statements and (but for a lone larger
 * statement) `maxBytes` bytes of values.
 */
export function groupStatements(
  statements: readonly Statement[],
  size: number,
  maxBytes = Infinity,
): Statement[][] {
  const groups: Statement[][] = [];
  let group: Statement[] = [];
  let bytes = 0;
  for (const s of statements) {
    const b = s.sql.length + s.params.reduce<number>((n, v) => n + literalBytes(v), 0);
    if (group.length > 0 && (group.length >= size || bytes + b > maxBytes)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(s);
    bytes += b;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The D1 binding as a SqlExecutor (npm run publish locally, and the tests). */
export function d1Executor(db: D1Database): SqlExecutor {
  const prepare = (s: Statement) => db.prepare(s.sql).bind(...s.params);
  return {
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      return (
        await db
          .prepare(sql)
          .bind(...params)
          .all<T>()
      ).results;
    },
    async execute(statements) {
      if (statements.length > 0) await db.batch(statements.map(prepare));
    },
  };
}
