/**
 * Which items an archive page holds (RFC 5005 §4). The subscription feed keeps the newest
 * `pageSize` items; everything older is split into pages numbered from the oldest, so a full
 * page never changes: a new article pushes one item out of the subscription feed onto the
 * newest (partial) page, and pages below it stay as they are.
 */
export interface ArchivePlan {
  /** Items not in the subscription feed. */
  readonly archived: number;
  /** Archive pages: ceil(archived / pageSize). */
  readonly pages: number;
  readonly pageSize: number;
}

export function archivePlan(total: number, pageSize: number): ArchivePlan {
  const archived = Math.max(0, total - pageSize);
  return { archived, pages: Math.ceil(archived / pageSize), pageSize };
}

/**
 * Whether `page` is final: full, and with a newer page above it, so neither its items nor its
 * links (the newest page links back to the feed, and gains a next page later) can change.
 */
export function isFinalPage(plan: ArchivePlan, page: number): boolean {
  return page < plan.pages;
}

/**
 * Where archive page `page` (1 = oldest) sits in the newest-first list of `total` items:
 * page p holds oldest-first positions [(p-1)·size, p·size), newest first within the page like
 * the subscription feed.
 */
export function archivePageRange(
  total: number,
  plan: ArchivePlan,
  page: number,
): { offset: number; limit: number } {
  const end = total - (page - 1) * plan.pageSize;
  const start = Math.max(total - plan.archived, end - plan.pageSize);
  return { offset: Math.max(0, start), limit: Math.max(0, end - Math.max(0, start)) };
}
