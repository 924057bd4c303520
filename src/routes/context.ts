/** What content routes share: the content library, the render cache, and serving from it. */
import type { Context } from "hono";
import type { SiteConfig } from "../config.ts";
import type { Library } from "../content/library.ts";
import type { AppEnv } from "../http/app-env.ts";
import { sendRepresentation } from "../http/conditional.ts";
import {
  createRepresentation,
  type Representation,
  type RepresentationCache,
} from "../http/representation.ts";

export type { AppEnv };

export interface RouteDeps {
  readonly library: Library;
  readonly cache: RepresentationCache;
}

const fingerprints = new WeakMap<SiteConfig, string>();

/** A cache key that also changes when the config does (tests run apps with different vars). */
function configFingerprint(config: SiteConfig): string {
  let fp = fingerprints.get(config);
  if (fp === undefined) {
    fp = JSON.stringify(config);
    fingerprints.set(config, fp);
  }
  return fp;
}

export interface Rendered {
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly lastModified: Date | null;
}

/**
 * Serves `key` from the cache, rendering it with `render` the first time; answers conditional
 * requests with 304.
 */
export async function serveCached(
  c: Context<AppEnv>,
  deps: RouteDeps,
  key: string,
  render: (config: SiteConfig) => Rendered | Promise<Rendered>,
  headers?: Record<string, string>,
): Promise<Response> {
  const config = c.var.config;
  const rep: Representation = await deps.cache.get(
    `${configFingerprint(config)}\n${key}`,
    async () => {
      const r = await render(config);
      return createRepresentation(r.body, r.contentType, r.lastModified);
    },
  );
  return sendRepresentation(c, rep, {
    cacheMaxAge: config.cacheMaxAge,
    ...(headers ? { headers } : {}),
  });
}
