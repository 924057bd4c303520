/**
 * Tells a WebSub hub that feeds changed (https://www.w3.org/TR/websub/#publishing). The spec
 * leaves the ping's form to the hub; the de-facto one, which Google's hub, Superfeedr and
 * WebSub.rocks accept, is a form-encoded `POST hub.mode=publish&hub.url=<topic>`. One request per
 * topic: every hub accepts that, while several hub.url in one request is not universal.
 *
 * A ping is a courtesy to subscribers, never a reason to fail a publish or a digest: a hub that
 * cannot be reached or answers 5xx/429 is retried a few times with growing pauses, and what
 * still fails is logged and given up (subscribers' readers poll the feed anyway). A hub that
 * is down for one topic is not tried for the rest, so a publish touching dozens of feeds does
 * not wait minutes on it.
 */

export interface PingOptions {
  /** Attempts per topic, the first included. */
  readonly attempts?: number;
  /** Pause before the first retry, in ms; doubled before each next one. */
  readonly backoffMs?: number;
  /** How long one attempt may wait for the hub's answer, in ms. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly log?: (line: string) => void;
}

export interface PingResult {
  readonly topic: string;
  /** Whether the hub accepted the ping (2xx). */
  readonly ok: boolean;
  readonly attempts: number;
  /** The last status, or the error's message when no answer came. */
  readonly last: number | string;
}

/** Answers worth trying again: the hub's trouble, not ours (RFC 9110 §15.6, RFC 6585 §4). */
function retryable(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

async function pingOne(
  hub: string,
  topic: string,
  options: Required<PingOptions>,
): Promise<PingResult> {
  let last: number | string = "not tried";
  let attempt = 0;
  while (++attempt <= options.attempts) {
    if (attempt > 1) {
      const pause = options.backoffMs * 2 ** (attempt - 2);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    try {
      const res = await options.fetch(hub, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ "hub.mode": "publish", "hub.url": topic }).toString(),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await res.body?.cancel();
      last = res.status;
      if (res.ok) return { topic, ok: true, attempts: attempt, last };
      if (!retryable(res.status)) return giveUp(hub, topic, attempt, last, options);
    } catch (err) {
      last = (err as Error).message;
    }
  }
  return giveUp(hub, topic, options.attempts, last, options);
}

function giveUp(
  hub: string,
  topic: string,
  attempts: number,
  last: number | string,
  options: Required<PingOptions>,
): PingResult {
  options.log(
    `WebSub: the hub ${hub} did not accept the ping for ${topic} after ${attempts} attempt${attempts === 1 ? "" : "s"} (last: ${last}); given up`,
  );
  return { topic, ok: false, attempts, last };
}

/** Pings `hub` for each topic, one after another; never throws. */
export async function pingHub(
  hub: string,
  topics: readonly string[],
  options: PingOptions = {},
): Promise<PingResult[]> {
  const resolved: Required<PingOptions> = {
    attempts: options.attempts ?? 4,
    backoffMs: options.backoffMs ?? 1000,
    timeoutMs: options.timeoutMs ?? 10_000,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    log: options.log ?? ((line) => console.error(line)),
  };
  const results: PingResult[] = [];
  for (const [i, topic] of topics.entries()) {
    const result = await pingOne(hub, topic, resolved);
    results.push(result);
    // Failed every attempt with the hub's own trouble (not a refusal of this topic): it is down.
    if (!result.ok && result.attempts === resolved.attempts && topics.length > i + 1) {
      const rest = topics.slice(i + 1);
      resolved.log(`WebSub: the hub ${hub} seems down; ${rest.length} more feeds not pinged`);
      for (const skipped of rest)
        results.push({ topic: skipped, ok: false, attempts: 0, last: "skipped: hub down" });
      break;
    }
  }
  return results;
}
