-- Articles live in D1, published from content/ by `npm run publish` (scripts/publish.ts), so a
-- new article needs no redeploy and the Worker's bundle does not grow with the corpus.
--
-- Every row is versioned: it is visible to content version V when
--   from_version <= V AND (to_version IS NULL OR to_version > V).
-- A publish writes the rows of version V+1 first (invisible to readers of V), then flips
-- content_state.version in one last statement. A publish killed half-way leaves version V
-- served in full; the next publish deletes what the killed one wrote above V and starts again.

-- Which version readers see. 0: nothing published yet.
CREATE TABLE content_state (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO content_state (id, version) VALUES (1, 0);

-- One row per published version: what readers need besides the articles, so that a warm
-- request needs no query (counts, tags, stories, the watch list).
CREATE TABLE content_versions (
  version    INTEGER PRIMARY KEY,
  -- SHA-256 of the whole version's content: the same content has the same token, so caches
  -- keyed by it stay valid across a publish that changed nothing they show.
  token      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- ContentMeta as JSON (src/content/meta.ts).
  meta       TEXT NOT NULL
);

CREATE TABLE articles (
  row_id       INTEGER PRIMARY KEY,
  slug         TEXT NOT NULL,
  -- The permanent id readers tell items apart by (RSS guid, Atom id, JSON Feed id).
  article_id   TEXT NOT NULL,
  -- SHA-256 of the article as published (with its HTML): publish updates only what changed.
  hash         TEXT NOT NULL,
  published_ms INTEGER NOT NULL,
  modified_ms  INTEGER NOT NULL,
  story        TEXT,
  -- The Article as JSON without its body (src/model/article.ts), and the body as sanitized HTML.
  article      TEXT NOT NULL,
  html         TEXT NOT NULL,
  from_version INTEGER NOT NULL,
  to_version   INTEGER
);
-- Newest first, ties by slug: the order of every listing and feed (compareNewestFirst). The
-- version columns make it covering for the visibility test, so paging deep into 100,000 rows
-- (an old archive page, a sitemap file) skips index entries without reading the rows.
CREATE INDEX articles_by_time ON articles (published_ms DESC, slug, from_version, to_version);
CREATE INDEX articles_by_slug ON articles (slug);
CREATE INDEX articles_by_story ON articles (story, published_ms) WHERE story IS NOT NULL;
CREATE INDEX articles_by_from ON articles (from_version);
CREATE INDEX articles_by_to ON articles (to_version);

CREATE TABLE article_tags (
  row_id       INTEGER NOT NULL,
  tag          TEXT NOT NULL,
  published_ms INTEGER NOT NULL,
  slug         TEXT NOT NULL,
  from_version INTEGER NOT NULL,
  to_version   INTEGER,
  PRIMARY KEY (row_id, tag)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag, published_ms DESC, slug, from_version, to_version);
CREATE INDEX article_tags_by_from ON article_tags (from_version);
CREATE INDEX article_tags_by_to ON article_tags (to_version);

-- Articles deleted with `npm run publish -- --allow-delete`: their pages answer 410 Gone.
CREATE TABLE gone_articles (
  slug         TEXT NOT NULL,
  article_id   TEXT NOT NULL,
  title        TEXT NOT NULL,
  from_version INTEGER NOT NULL,
  to_version   INTEGER
);
CREATE INDEX gone_articles_by_slug ON gone_articles (slug);

-- Every id ever published and its slug, kept for good: readers tell new items from old by id,
-- so an id may never move to another slug, nor a slug take another id.
CREATE TABLE article_ids (
  article_id   TEXT PRIMARY KEY,
  slug         TEXT NOT NULL UNIQUE,
  from_version INTEGER NOT NULL
);

-- Never holds a row: every write batch of a publish starts by inserting a row that violates the
-- CHECK if the served version is no longer the one the publish started from, which aborts the
-- batch (a transaction) before it can touch a version another publish has just flipped to.
CREATE TABLE publish_guard (
  ok INTEGER NOT NULL CHECK (ok = 1)
);
