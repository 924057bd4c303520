/** The digest archive, each week's web and email versions, and the digest feeds. */
import { echo } from "../http/echo.ts";
import type { Hono } from "hono";
import { fillRecipientSlots } from "../digest/email/slots.ts";
import { buildDigestFeedDocument } from "../digest/feed.ts";
import { archiveVersionOrLast } from "../digest/archive-version.ts";
import { getDigest, listDigests, type StoredDigest } from "../digest/store.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { FEED_FILES } from "../lib/feed-formats.ts";
import { HTML_CONTENT_TYPE as HTML } from "../lib/html.ts";
import { parseWeek } from "../lib/time.ts";
import { siteUrls } from "../lib/urls.ts";
import {
  renderDigestArchivePage,
  renderDigestPage,
  renderUnsubscribeInfoPage,
} from "../site/digest-pages.ts";
import { type AppEnv, type RouteDeps, serveCached } from "./context.ts";
import { feedVariant, renderFeedVariant } from "./feed-preview.ts";
import { getRoute } from "./methods.ts";

/** The stored digest of the week in the path: 400 when the week is malformed, 404 when none. */
async function loadDigest(
  db: D1Database,
  week: string,
): Promise<{ week: string; digest: StoredDigest }> {
  if (parseWeek(week) === null) {
    throw badRequest(
      `“${echo(week)}” is not an ISO week: expected YYYY-Www with a week that exists in that year, e.g. 2024-W43.`,
    );
  }
  const digest = await getDigest(db, week);
  if (digest === null) {
    throw notFound(
      `There is no digest for ${week}: weeks without articles get none, and a week’s digest is built after the week ends.`,
    );
  }
  return { week, digest };
}

export function registerDigestRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  getRoute(app, "/digests", async (c) => {
    // The archive changes when the cron adds a week: the version stamp keys the cache.
    const version = await archiveVersionOrLast(c.env.DB);
    return serveCached(c, deps, `digests:${version}`, async (config) => {
      const digests = await listDigests(c.env.DB);
      return {
        body: await renderDigestArchivePage(config, digests),
        contentType: HTML,
        lastModified: newest(digests),
      };
    });
  });

  for (const [file, format] of FEED_FILES) {
    getRoute(app, `/digests/${file}`, async (c) => {
      const version = await archiveVersionOrLast(c.env.DB);
      // A browser's own navigation gets a readable preview (src/routes/feed-preview.ts).
      const variant = feedVariant(c, format);
      return serveCached(
        c,
        deps,
        `digest-${variant.keyPrefix}:${format}:${version}`,
        async (config) => {
          const doc = await buildDigestFeedDocument(
            config,
            await listDigests(c.env.DB, config.feedItemLimit),
          );
          const lastModified = doc.items.length > 0 ? doc.updated : null;
          return renderFeedVariant(variant, config, format, doc, lastModified);
        },
        variant.headers({ Link: `<${siteUrls(c.var.config).digestFeeds()[format]}>; rel="self"` }),
      );
    });
  }

  getRoute(app, "/digests/:week", async (c) => {
    const { week, digest } = await loadDigest(c.env.DB, c.req.param("week")!);
    return serveCached(c, deps, `digest:${week}:${digest.contentHash}`, async (config) => ({
      body: await renderDigestPage(config, digest),
      contentType: HTML,
      lastModified: new Date(digest.updatedAt),
    }));
  });

  for (const [file, format, contentType] of [
    ["email.html", "html", HTML],
    ["email.txt", "text", "text/plain; charset=utf-8"],
  ] as const) {
    getRoute(app, `/digests/:week/${file}`, async (c) => {
      const { week, digest } = await loadDigest(c.env.DB, c.req.param("week")!);
      return serveCached(c, deps, `digest-${file}:${week}:${digest.contentHash}`, (config) => ({
        // Exactly what a recipient gets, with the web copy's unsubscribe link in the slot.
        body: fillRecipientSlots(format === "html" ? digest.html : digest.text, format, {
          unsubscribeUrl: siteUrls(config).unsubscribeInfo(),
          baseUrl: config.baseUrl,
        }),
        contentType,
        lastModified: new Date(digest.updatedAt),
      }));
    });
  }

  getRoute(app, "/unsubscribe", (c) =>
    serveCached(c, deps, "unsubscribe-info", async (config) => ({
      body: await renderUnsubscribeInfoPage(config),
      contentType: HTML,
      lastModified: null,
    })),
  );
}

function newest(digests: readonly { updatedAt: string }[]): Date | null {
  let max = 0;
  for (const d of digests) max = Math.max(max, Date.parse(d.updatedAt));
  return max === 0 ? null : new Date(max);
}
