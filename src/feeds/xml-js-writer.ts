/**
 * What the `feed` package uses of xml-js: its writer, js2xml, and nothing else. wrangler.toml
 * (and vitest.config.ts, so tests run what ships) alias "xml-js" to this module: the package's
 * index also loads the XML *parser* (xml2js and, through it, sax), about 70 KB the Worker never
 * runs and the bundler cannot drop, because the index is CommonJS.
 */
// @ts-expect-error: xml-js types only its index; this is the very function the index exports.
import js2xml from "xml-js/lib/js2xml.js";

export { js2xml };
