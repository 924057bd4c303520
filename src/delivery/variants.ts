/**
 * A digest's variants: the whole digest for readers with no topics (the stored rendering, as it
 * always was), and one rendering per distinct set of topics, cut to them
 * (src/digest/topic-filter.ts). Each is rendered once per isolate and digest version, however
 * many recipients and chunks share it; the topic index costs one query per digest version.
 */
import { type ArticleTopicIndex, articleTopicIndex } from "../content/article-topics.ts";
import type { SiteConfig } from "../config.ts";
import { digestEmailLinks } from "../digest/email/links.ts";
import { renderDigestEmail } from "../digest/email/render.ts";
import type { StoredDigest } from "../digest/store.ts";
import { filterSummary, summarySlugs, weekTopics } from "../digest/topic-filter.ts";
import { type Topic, topicsOfKey } from "../model/topic.ts";

/** A variant's bodies, slots unfilled (as the stored digest's are). */
export interface VariantBodies {
  readonly html: string;
  readonly text: string;
}

export interface DigestVariants {
  /** Every topic something in the week belongs to (JSON array): who may receive this week. */
  readonly weekTopicsJson: string;
  /** The bodies for a stored topics value (null: everything); null when nothing is for it. */
  bodies(variant: string | null): VariantBodies | null;
  /** How many variants were rendered (for the bench). */
  readonly rendered: () => number;
}

interface Entry {
  readonly index: ArticleTopicIndex;
  readonly topics: readonly Topic[];
  readonly bodies: Map<string, VariantBodies | null>;
}

/** By content hash: a rebuilt digest is a new version, with its own variants. */
const cache = new Map<string, Promise<Entry>>();
let renders = 0;

/** How many variants this isolate has rendered so far (the bench reads it). */
export function variantRenders(): number {
  return renders;
}

function topicEntry(db: D1Database, digest: StoredDigest): Promise<Entry> {
  let pending = cache.get(digest.contentHash);
  if (!pending) {
    if (cache.size > 20) cache.clear();
    pending = articleTopicIndex(db, summarySlugs(digest.summary)).then((index) => ({
      index,
      topics: weekTopics(digest.summary, index),
      bodies: new Map(),
    }));
    cache.set(digest.contentHash, pending);
    pending.catch(() => cache.delete(digest.contentHash));
  }
  return pending;
}

/** Every topic something in the week belongs to, as JSON: who, with topics, receives it. */
export async function weekTopicsJson(db: D1Database, digest: StoredDigest): Promise<string> {
  return JSON.stringify((await topicEntry(db, digest)).topics);
}

export async function digestVariants(
  db: D1Database,
  config: SiteConfig,
  digest: StoredDigest,
): Promise<DigestVariants> {
  const pending = topicEntry(db, digest);
  const entry = await pending;
  const rendered = renders;
  return {
    weekTopicsJson: JSON.stringify(entry.topics),
    rendered: () => renders - rendered,
    bodies(variant) {
      if (variant === null) return { html: digest.html, text: digest.text };
      if (entry.bodies.has(variant)) return entry.bodies.get(variant)!;
      const cut = filterSummary(digest.summary, topicsOfKey(variant), entry.index);
      renders++;
      const bodies =
        cut === null ? null : renderDigestEmail(cut, digestEmailLinks(config, digest.week));
      entry.bodies.set(variant, bodies === null ? null : { html: bodies.html, text: bodies.text });
      return entry.bodies.get(variant)!;
    },
  };
}
