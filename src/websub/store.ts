/** The content queries WebSub pings need: which tags a publish touched. */
/**
 * What these queries need of a database: D1 through the binding, or wrangler's CLI (npm run
 * publish's SqlExecutor, src/lib/sql-batch.ts, is one).
 */
export interface SqlQueries {
  query<T>(sql: string, params?: readonly (string | number | null)[]): Promise<T[]>;
}

/**
 * Tags whose articles changed in content version `version`: the rows that version added (new and
 * changed articles, with their new tags) and the rows it retired (changed and deleted articles,
 * with their old tags), so a tag an article left is pinged too.
 */
export async function tagsChangedInVersion(exec: SqlQueries, version: number): Promise<string[]> {
  const rows = await exec.query<{ tag: string }>(
    "SELECT DISTINCT tag FROM article_tags WHERE from_version = ?1 OR to_version = ?1 ORDER BY tag",
    [version],
  );
  return rows.map((r) => r.tag);
}
