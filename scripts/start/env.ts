/**
 * The environment `npm start` runs wrangler (and every step before it) in: nothing may reach
 * the network, and nothing may print twice.
 *
 * - CLOUDFLARE_CF_FETCH_ENABLED=false: wrangler dev would otherwise download Request.cf's
 *   sample data from workers.cloudflare.com (and print a stack trace when it cannot).
 * - WRANGLER_HIDE_BANNER=true: wrangler checks the npm registry for a newer version when, and
 *   only when, it prints its banner ("⛅️ wrangler 4.x (update available …)"); no banner, no
 *   request. There is no other switch for that check.
 * - WRANGLER_SEND_METRICS=false: no usage metrics (wrangler.toml's send_metrics = false says
 *   the same for commands that read it; this covers the rest).
 * - WRANGLER_SEND_ERROR_REPORTS=false: no crash reports to Sentry.
 * - WRANGLER_REGISTRY_PATH: a dev registry of this start's own. wrangler dev watches the
 *   machine-wide registry of running Workers (for service bindings, which this project has
 *   none of) and prints the bindings table again each time any Worker on the machine starts or
 *   stops, including the ones the steps before it opened for a moment.
 */
export function startEnv(base: NodeJS.ProcessEnv, registryDir: string): NodeJS.ProcessEnv {
  return {
    ...base,
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_HIDE_BANNER: "true",
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    WRANGLER_REGISTRY_PATH: registryDir,
  };
}
