-- The language analysis of each article's body (src/model/analysis.ts), made once by
-- `npm run publish` in Node and stored with the article's versioned row, so the Worker and the
-- cron do no language work. NULL: published before the analysis existed (the digest then takes
-- nothing from the body; the next publish analyses it, as its analysis_version differs).
ALTER TABLE articles ADD COLUMN analysis TEXT;
-- The version of the analysis in `analysis` (ANALYSIS_VERSION in scripts/analysis/analyze.ts):
-- a publish re-analyses every article whose stored version is another.
ALTER TABLE articles ADD COLUMN analysis_version INTEGER;
