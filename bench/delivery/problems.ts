/** What makes the run fail (exit 1), in the order it was seen. */

export class Problems {
  readonly list: string[] = [];
  /** The first stack of every distinct error a chunk threw. */
  readonly errorStacks = new Map<string, string>();

  /** Records `what` unless `ok`; returns `ok`. */
  check(ok: boolean, what: string): boolean {
    if (!ok) this.list.push(what);
    return ok;
  }

  add(what: string): void {
    this.list.push(what);
  }

  /** A chunk that threw: the problem, and the error's stack the first time its message is seen. */
  threw(what: string, err: unknown): void {
    const message = (err as Error).message ?? String(err);
    this.list.push(`${what} threw: ${message}`);
    if (!this.errorStacks.has(message))
      this.errorStacks.set(message, (err as Error).stack ?? message);
  }
}
