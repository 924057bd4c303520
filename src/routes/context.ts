/** What content routes share: the content repository, the render cache, and serving from them. */
import type { Context } from "hono";
import type { SiteConfig } from "../config.ts";
import type { ContentRepository, ContentView } from "../content/view.ts";
import type { AppEnv } from "../http/app-env.ts";
import { BUILD_ID } from "../generated/build-id.ts";
import { sendRepresentation } from "../http/conditional.ts";
import { edgeCacheGet, edgeCachePut } from "../http/edge-cache.ts";
import {
  createRepresentation,
  type Representation,
  type RepresentationCache,
} from "../http/representation.ts";

export type { AppEnv };

export interface RouteDeps {
  readonly content: ContentRepository;
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
  /** Headers that go with these bytes wherever they are served from. */
  readonly headers?: Readonly<Record<string, string>>;
}

async function represent(r: Rendered): Promise<Representation> {
  return createRepresentation(r.body, r.contentType, r.lastModified, r.headers ?? {});
}

/** The published content, as this isolate last read it (see ContentRepository). */
export function openContent(c: Context<AppEnv>, deps: RouteDeps): Promise<ContentView> {
  return deps.content.open(c.env.DB, c.var.config.contentRefreshSeconds);
}

/**
 * Serves `key` from the in-isolate cache, rendering it with `render` the first time; answers
 * conditional requests with 304. For what does not depend on the articles (icon, stylesheet).
 */
export async function serveCached(
  c: Context<AppEnv>,
  deps: RouteDeps,
  key: string,
  render: (config: SiteConfig) => Rendered | Promise<Rendered>,
  headers?: Record<string, string>,
): Promise<Response> {
  const config = c.var.config;
  const rep = await deps.cache.get(`${configFingerprint(config)}\n${key}`, async () =>
    represent(await render(config)),
  );
  return sendRepresentation(c, rep, {
    cacheMaxAge: config.cacheMaxAge,
    ...(headers ? { headers } : {}),
  });
}

/**
 * Serves what is rendered from the articles, keyed by the content version's token: from the
 * isolate's memory, else the Cache API, else rendered by `render` (which queries D1). A warm
 * request makes no D1 query; a conditional one is answered 304 from the cached validators.
 * `render` may throw (e.g. 404): nothing is cached then.
 */
export async function serveContent(
  c: Context<AppEnv>,
  deps: RouteDeps,
  key: string,
  render: (view: ContentView, config: SiteConfig) => Promise<Rendered>,
  headers?: Record<string, string>,
): Promise<Response> {
  const config = c.var.config;
  const view = await openContent(c, deps);
  // The build id too: Cache API entries outlive a deploy, and new code must not serve old bytes.
  const fullKey = `${BUILD_ID}\n${configFingerprint(config)}\n${view.token}\n${key}`;
  const rep = await deps.cache.get(fullKey, async () => {
    const cached = await edgeCacheGet(fullKey);
    if (cached) return cached;
    const rendered = await represent(await render(view, config));
    await edgeCachePut(fullKey, rendered);
    return rendered;
  });
  return sendRepresentation(c, rep, {
    cacheMaxAge: config.cacheMaxAge,
    ...(headers ? { headers } : {}),
  });
}
