/**
 * Bump on any change to what the analysis takes or how it rewrites: the next publish
 * re-analyses every article (scripts/publish/publish.ts compares it with the stored one).
 * A module of its own, so that a publish with nothing to analyse does not load the language
 * model (analyze.ts) just to read this number.
 */
export const ANALYSIS_VERSION = 2;
