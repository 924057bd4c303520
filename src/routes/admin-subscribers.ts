/**
 * /admin/subscribers: the list (search by address substring, status filter, pages), its CSV
 * export, and deletion. Behind the admin middleware registered in admin.ts.
 */
import type { Context, Hono } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { echo } from "../http/echo.ts";
import { badField, badParameter, notFound } from "../http/errors.ts";
import { readForm } from "../http/form-body.ts";
import { HTML_CONTENT_TYPE } from "../lib/html.ts";
import { CSV_HEADER, csvLine, subscriberCsvLine } from "../site/admin-csv.ts";
import { renderSubscriberListPage, SUBSCRIBER_STATUSES } from "../site/admin-subscriber-pages.ts";
import { normalizeEmail } from "../subscriptions/address.ts";
import {
  deleteSubscriber,
  listSubscribers,
  type SubscriberFilter,
  subscribersAfter,
} from "../subscriptions/admin-store.ts";
import type { SubscriberStatus } from "../subscriptions/store.ts";
import { adminResult, wantsJson } from "./admin-results.ts";
import { route } from "./methods.ts";

const PAGE_SIZE = 50;
/** The longest search (and the most of it the page repeats): an address's longest (RFC 5321). */
const SEARCH_MAX = 254;
/** Rows read per query while exporting: D1 answers a few thousand rows quickly. */
const EXPORT_BATCH = 1000;

function filterOf(c: Context<AppEnv>): SubscriberFilter {
  const search = (c.req.query("q") ?? "").trim();
  if (search.length > SEARCH_MAX)
    throw badParameter("q", search, `at most ${SEARCH_MAX} characters`);
  const status = c.req.query("status") ?? "";
  if (status !== "" && !SUBSCRIBER_STATUSES.includes(status as SubscriberStatus))
    throw badParameter("status", status, `one of ${SUBSCRIBER_STATUSES.join(", ")}, or empty`);
  return { search, status: status === "" ? null : (status as SubscriberStatus) };
}

function pageOf(c: Context<AppEnv>): number {
  const raw = c.req.query("page") ?? "1";
  if (!/^[1-9]\d{0,6}$/.test(raw)) throw badParameter("page", raw, "a whole number from 1");
  return Number(raw);
}

export function registerAdminSubscriberRoutes(app: Hono<AppEnv>): void {
  route(app, "/admin/subscribers", {
    GET: async (c) => {
      const filter = filterOf(c);
      const page = pageOf(c);
      const { rows, total } = await listSubscribers(c.env.DB, filter, {
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      if (wantsJson(c))
        return c.json({ total, page, pageSize: PAGE_SIZE, subscribers: rows }, 200, {
          "Cache-Control": "no-store",
        });
      const body = await renderSubscriberListPage(c.var.config, {
        filter,
        searchShown: echo(filter.search, SEARCH_MAX),
        rows,
        total,
        page,
        pageSize: PAGE_SIZE,
      });
      return c.body(body, 200, { "Content-Type": HTML_CONTENT_TYPE, "Cache-Control": "no-store" });
    },
  });

  route(app, "/admin/subscribers.csv", {
    GET: async (c) => {
      const filter = filterOf(c);
      let csv = csvLine(CSV_HEADER);
      // Keyset paging by address: stable and cheap however many subscribers there are.
      for (let after = ""; ;) {
        const rows = await subscribersAfter(c.env.DB, filter, after, EXPORT_BATCH);
        for (const row of rows) csv += subscriberCsvLine(row);
        if (rows.length < EXPORT_BATCH) break;
        after = rows.at(-1)!.email;
      }
      return c.body(csv, 200, {
        // RFC 4180 §3: text/csv, with the header line present.
        "Content-Type": "text/csv; charset=utf-8; header=present",
        "Content-Disposition": 'attachment; filename="subscribers.csv"',
        "Cache-Control": "no-store",
      });
    },
  });

  route(app, "/admin/subscribers/delete", {
    POST: async (c) => {
      const body = await readForm(c);
      const address = normalizeEmail(typeof body.email === "string" ? body.email : null);
      if (!address.ok) throw badField("email", address.reason);
      const email = address.email;
      if (!(await deleteSubscriber(c.env.DB, email, new Date())))
        throw notFound(`${email} is not a subscriber.`);
      return adminResult(
        c,
        200,
        { email, deleted: true },
        {
          heading: "Subscriber deleted",
          message: `${email} and its consent records are deleted. Only a one-way hash of the address is kept, so it is never mailed again.`,
        },
      );
    },
  });
}
