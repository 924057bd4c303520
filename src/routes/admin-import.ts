/**
 * /admin/subscribers/import: the upload form and its report (the CLI's import, for lists up to
 * IMPORT_BODY_LIMIT), and the button that releases an import's confirmation emails to the
 * queue. Behind the admin middleware (same origin, then credentials) registered in admin.ts; the
 * body limit is app.ts's.
 */
import type { Context, Hono } from "hono";
import { d1Executor } from "../lib/sql-batch.ts";
import type { AppEnv } from "../http/app-env.ts";
import { IMPORT_BODY_LIMIT } from "../http/body-limit.ts";
import { echo } from "../http/echo.ts";
import { badField, badParameter } from "../http/errors.ts";
import { readForm } from "../http/form-body.ts";
import { HTML_CONTENT_TYPE } from "../lib/html.ts";
import { renderImportPage } from "../site/admin-import-pages.ts";
import {
  listWaitingImports,
  releaseImportConfirmations,
  type ImportConfirmMessage,
} from "../subscriptions/import-confirmations.ts";
import { ImportFileError } from "../subscriptions/import-rows.ts";
import { BOUND_JSON_BYTES } from "../subscriptions/import-store.ts";
import { type ImportReport, importSubscribers } from "../subscriptions/import.ts";
import { adminResult, wantsJson } from "./admin-results.ts";
import { route } from "./methods.ts";

export const IMPORT_PATH = "/admin/subscribers/import";
const HTML = { "Content-Type": HTML_CONTENT_TYPE, "Cache-Control": "no-store" };
const MAX_CONSENT_NOTE = 500;

async function page(
  c: Context<AppEnv>,
  report: ImportReport | null,
  released: number,
): Promise<Response> {
  const waiting = await listWaitingImports(c.env.DB);
  if (wantsJson(c))
    return c.json({ report, released, waiting }, 200, { "Cache-Control": "no-store" });
  const body = await renderImportPage(c.var.config, {
    waiting,
    report,
    released,
    maxBytes: IMPORT_BODY_LIMIT.maxBytes,
  });
  return c.body(body, 200, HTML);
}

export function registerAdminImportRoutes(app: Hono<AppEnv>): void {
  route(app, IMPORT_PATH, {
    GET: (c) => page(c, null, 0),
    POST: async (c) => {
      const form = await readForm(c);
      const list = form.list;
      if (!(list instanceof File))
        throw badField("list", "no file was uploaded: expected a CSV file in the field “list”");
      let text: string;
      try {
        // fatal: a Latin-1 or UTF-16 export is refused rather than imported with mangled addresses.
        text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
          await list.arrayBuffer(),
        );
      } catch {
        throw badField(
          "list",
          `${echo(list.name, 80)} is not UTF-8 text: expected a CSV saved as UTF-8`,
        );
      }
      const note = typeof form.consented === "string" ? form.consented.trim() : "";
      if (note.length > MAX_CONSENT_NOTE)
        throw badField(
          "consented",
          `${note.length} characters: expected at most ${MAX_CONSENT_NOTE}`,
        );
      const config = c.var.config;
      let report: ImportReport;
      try {
        report = await importSubscribers(d1Executor(c.env.DB), text, {
          source: list.name || "upload.csv",
          importedBy: "admin (upload)",
          consentNote: note === "" ? null : note,
          consentTextVersion: config.mail.consentTextVersion,
          dryRun: form.dry_run !== undefined,
          now: new Date(),
          jsonChunkBytes: BOUND_JSON_BYTES,
        });
      } catch (err) {
        if (err instanceof ImportFileError)
          throw badField("list", `${echo(list.name, 80)}: ${err.message}; nothing was imported`);
        throw err;
      }
      // The upload's own confirmation emails go to the queue now; the consumer sends them.
      const released =
        !report.dryRun && report.importId !== null && !report.consented
          ? await releaseImportConfirmations(
              c.env.DB,
              c.env.DIGEST_QUEUE as Queue<ImportConfirmMessage>,
              report.importId,
              new Date(),
            )
          : 0;
      return page(c, report, released);
    },
  });

  route(app, `${IMPORT_PATH}/:id/confirmations`, {
    POST: async (c) => {
      const raw = c.req.param("id")!;
      if (!/^[1-9]\d{0,11}$/.test(raw)) throw badParameter("id", raw, "an import number");
      const released = await releaseImportConfirmations(
        c.env.DB,
        c.env.DIGEST_QUEUE as Queue<ImportConfirmMessage>,
        Number(raw),
        new Date(),
      );
      return adminResult(
        c,
        202,
        { importId: Number(raw), released },
        {
          heading: "Confirmation emails released",
          message:
            released > 0
              ? `${released} confirmation emails of import #${raw} were handed to the queue.`
              : `Import #${raw} has no confirmation emails waiting.`,
        },
      );
    },
  });
}
