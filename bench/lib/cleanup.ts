/**
 * Cleanup that must happen however the run ends: normally, on an error, or on Ctrl-C.
 *
 * Actions run newest first, once each. `runAsync` is for the normal path (finally); on a
 * signal only the synchronous halves run, because the process is about to exit.
 */
export interface CleanupAction {
  readonly name: string;
  /** Best effort, must not throw; used on signals and at exit. */
  readonly sync: () => void;
  /** The normal path; defaults to `sync`. */
  readonly async?: () => Promise<void>;
}

const actions: CleanupAction[] = [];
let installed = false;

export function onCleanup(action: CleanupAction): () => void {
  installSignalHandlers();
  actions.push(action);
  return () => {
    const i = actions.indexOf(action);
    if (i !== -1) actions.splice(i, 1);
  };
}

export async function runCleanup(): Promise<void> {
  while (actions.length > 0) {
    const action = actions.pop()!;
    try {
      await (action.async ?? action.sync)();
    } catch (err) {
      console.error(`cleanup "${action.name}" failed: ${(err as Error).message}`);
    }
  }
}

function runCleanupSync(): void {
  while (actions.length > 0) {
    const action = actions.pop()!;
    try {
      action.sync();
    } catch (err) {
      console.error(`cleanup "${action.name}" failed: ${(err as Error).message}`);
    }
  }
}

function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the servers the benchmark started…`);
      runCleanupSync();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
  // Last resort (e.g. process.exit() from somewhere unexpected): never leave servers behind.
  process.once("exit", runCleanupSync);
}
