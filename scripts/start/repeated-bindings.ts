/**
 * Drops wrangler dev's second, identical bindings table. wrangler dev registers the Worker's
 * queue consumer in its dev registry, then sees its own registration as a "connection status"
 * change and prints "⎔ Connection status updated" and the whole bindings table again (wrangler
 * 4.156; miniflare's DevRegistry watches queue consumers for any Worker with a queue). Nothing
 * changed, so the repeat says nothing; a table that differs from the last one is kept.
 */
import { stripVTControlCharacters } from "node:util";

const TABLE_START = "Your Worker has access to the following bindings:";
const STATUS_LINE = "⎔ Connection status updated";

/** A line filter: feed it whole lines (without "\n"); it returns the lines to print. */
export class RepeatedBindingsFilter {
  private lastTable: string | null = null;
  private table: string[] | null = null;
  private heldStatus: string | null = null;

  push(line: string): string[] {
    const plain = stripVTControlCharacters(line).trim();
    if (this.table !== null) {
      this.table.push(line);
      if (plain !== "") return [];
      return this.endTable();
    }
    const out: string[] = [];
    if (this.heldStatus !== null && plain !== TABLE_START) {
      out.push(this.heldStatus);
      this.heldStatus = null;
    }
    if (plain === STATUS_LINE) {
      this.heldStatus = line;
      return out;
    }
    if (plain === TABLE_START) {
      this.table = [line];
      return out;
    }
    out.push(line);
    return out;
  }

  /** What is still held back, at the end of the output. */
  flush(): string[] {
    const out = this.table !== null ? this.endTable() : [];
    if (this.heldStatus !== null) out.unshift(this.heldStatus);
    this.heldStatus = null;
    return out;
  }

  private endTable(): string[] {
    const lines = this.table ?? [];
    this.table = null;
    const text = lines.map((l) => stripVTControlCharacters(l).trimEnd()).join("\n");
    const status = this.heldStatus;
    this.heldStatus = null;
    if (text === this.lastTable) return [];
    this.lastTable = text;
    return status === null ? lines : [status, ...lines];
  }
}
