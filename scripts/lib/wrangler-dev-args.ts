/**
 * The arguments `npm start` gives `wrangler dev`. The cron and the queue consumer have no request
 * to learn the served port from, so every link they mail is built from BASE_URL; when the
 * operator serves on another port (`npm start -- --port 8861`) and has not chosen a BASE_URL,
 * the served port becomes the BASE_URL, and every email links where the site is.
 */

/** What tells whether the operator chose a BASE_URL themselves. */
export interface StartSettings {
  /** The text of .dev.vars, or null when there is none. */
  readonly devVars: string | null;
  /** BASE_URL from the environment `npm start` runs in, if any. */
  readonly envBaseUrl: string | undefined;
}

/**
 * `--port N` or `--port=N` among `args` (the last one wins, as in wrangler), or null. Stops at
 * `--`, after which nothing is an option.
 */
export function servedPort(args: readonly string[]): string | null {
  let port: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (arg === "--port") port = args[++i] ?? "";
    else if (arg.startsWith("--port=")) port = arg.slice("--port=".length);
  }
  if (port !== null && !/^\d{1,5}$/.test(port))
    throw new Error(`npm start: --port must be a port number, got "${port}"`);
  return port;
}

/** Whether `args` set BASE_URL with wrangler's `--var NAME:VALUE …` (or `--var=NAME:VALUE`). */
function varsSetBaseUrl(args: readonly string[]): boolean {
  let inVars = false;
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg.startsWith("--var=")) {
      if (arg.slice("--var=".length).startsWith("BASE_URL:")) return true;
      inVars = false;
    } else if (arg === "--var") inVars = true;
    else if (arg.startsWith("-")) inVars = false;
    else if (inVars && arg.startsWith("BASE_URL:")) return true;
  }
  return false;
}

/** A `BASE_URL=` line in .dev.vars (dotenv syntax, as wrangler reads it). */
function devVarsSetBaseUrl(devVars: string | null): boolean {
  return devVars !== null && /^\s*(?:export\s+)?BASE_URL\s*=/m.test(devVars);
}

/**
 * `wrangler dev`'s arguments for `npm start -- <args>`: `--test-scheduled` (so /__scheduled runs
 * the cron), then the operator's arguments unchanged, then the BASE_URL to use, if it needs one:
 * BASE_URL from the environment (wrangler would otherwise ignore it), else, when the operator
 * named a port but no BASE_URL (in the arguments or .dev.vars), http://localhost:<port>.
 * Ours goes after the operator's options (before a `--`, if any), so that `--var`, which takes
 * every value up to the next option, cannot take a positional argument of theirs.
 */
export function wranglerDevArgs(args: readonly string[], settings: StartSettings): string[] {
  const baseUrl = chosenBaseUrl(args, settings);
  if (baseUrl === null) return ["dev", "--test-scheduled", ...args];
  const end = args.indexOf("--") === -1 ? args.length : args.indexOf("--");
  return [
    "dev",
    "--test-scheduled",
    ...args.slice(0, end),
    "--var",
    `BASE_URL:${baseUrl}`,
    ...args.slice(end),
  ];
}

/** The BASE_URL `npm start` must pass on, or null when wrangler already has the right one. */
function chosenBaseUrl(args: readonly string[], settings: StartSettings): string | null {
  if (varsSetBaseUrl(args) || devVarsSetBaseUrl(settings.devVars)) return null;
  if (settings.envBaseUrl) return settings.envBaseUrl;
  const port = servedPort(args);
  return port === null ? null : `http://localhost:${port}`;
}
