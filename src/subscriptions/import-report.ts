/**
 * What an import did, in the operator's words: the summary lines the CLI prints and /admin's
 * upload shows above its tables. One function, so both say the same thing.
 */
import type { ImportReport } from "./import.ts";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The summary, one sentence per line. */
export function importSummary(report: ImportReport): string[] {
  const would = report.dryRun ? "would be" : "";
  const verb = (done: string) => (report.dryRun ? `${would} ${done}` : done);
  const lines = [
    `${report.source}: ${plural(report.records, "row")}${report.dryRun ? " (dry run: nothing was written)" : ""}.`,
  ];
  lines.push(
    report.consented
      ? `${plural(report.added, "new subscriber")} ${verb("added")}, active at once (consent given with the import).`
      : `${plural(report.added, "new subscriber")} ${verb("added")} as pending; ${plural(report.confirmationEmails, "confirmation email")} ${report.dryRun ? "would be owed" : "owed"}.`,
  );
  if (!report.dryRun && report.confirmationEmails > 0 && report.importId !== null)
    lines.push(
      `The confirmation emails go out through the queue once released: the upload releases them at once; after the command line, the Worker's cron releases them within 15 minutes, or press “Send confirmation emails” for import #${report.importId} at /admin/subscribers/import to send them now.`,
    );
  const sameImport = report.known.filter((k) => k.sameImport).length;
  if (report.known.length > 0)
    lines.push(
      `${plural(report.known.length, "address", "addresses")} already known, left as they are${sameImport > 0 ? ` (${sameImport} imported earlier from this same file)` : ""}.`,
    );
  if (report.refused.length > 0)
    lines.push(
      `${plural(report.refused.length, "address", "addresses")} refused: erased, bounced or complained addresses are never brought back.`,
    );
  if (report.repeated.length > 0)
    lines.push(
      `${plural(report.repeated.length, "row")} skipped: ${report.repeated.length === 1 ? "it repeats" : "they repeat"} the address of an earlier row.`,
    );
  if (report.rejected.length > 0)
    lines.push(`${plural(report.rejected.length, "row")} rejected, each listed with its line.`);
  if (report.hasTopics) {
    const kept = report.known.filter((k) => k.fileTopics.length > 0).length;
    lines.push(
      `Topics: ${plural(report.withTopics, "new subscriber")} ${verb("given")} the topics of their row (recorded as chosen by the import); the others get everything.${kept > 0 ? ` ${plural(kept, "already known address", "already known addresses")} ${kept === 1 ? "keeps its" : "keep their"} own topics: the file's are not applied.` : ""}`,
    );
  }
  if (report.ignoredColumns.length > 0)
    lines.push(
      `Columns not imported: ${report.ignoredColumns.join(", ")} (known: email, name, subscribed_at, topics).`,
    );
  return lines;
}

/** For a known address whose row gives topics: they are not applied. */
export function keptTopics(fileTopics: readonly string[]): string {
  return fileTopics.length === 0
    ? ""
    : `, its own topics kept (the file's ${fileTopics.join(", ")} not applied)`;
}

/** Every row the report names, as `line N: …`, in line order (for the CLI). */
export function importDetailLines(report: ImportReport): string[] {
  const items: [number, string][] = [
    ...report.rejected.map((r): [number, string] => [r.line, `rejected: ${r.reason}`]),
    ...report.repeated.map((r): [number, string] => [
      r.line,
      `${r.email} repeats line ${r.firstLine}: skipped`,
    ]),
    ...report.refused.map((r): [number, string] => [r.line, `${r.email} refused: ${r.reason}`]),
    // A re-run's own addresses are counted in the summary, not listed: it is the whole file.
    ...report.known
      .filter((k) => !k.sameImport)
      .map((k): [number, string] => [
        k.line,
        `${k.email} already known (${k.status}): left as it is${keptTopics(k.fileTopics)}`,
      ]),
  ];
  return items.sort((a, b) => a[0] - b[0]).map(([line, text]) => `line ${line}: ${text}`);
}
