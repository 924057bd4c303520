/**
 * XSLT that makes /feed.xml and /atom.xml readable when opened in a browser (linked with
 * `<?xml-stylesheet?>`). Feed readers ignore the processing instruction, so it changes nothing
 * for them. Handles RSS 2.0 and Atom 1.0.
 */
export const FEED_STYLESHEET_CONTENT_TYPE = "text/xsl; charset=utf-8";

export function renderFeedStylesheet(): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
    <xsl:variable name="home" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>
          body{font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fafaf7}
          main{max-width:42rem;margin:0 auto;padding:1rem}
          .note{background:#fff4d6;border:1px solid #e8d28a;padding:.75rem 1rem;border-radius:.4rem}
          article{border-bottom:1px solid #ddd;padding:.75rem 0}
          h2{font-size:1.15rem;margin:.2rem 0}
          a{color:#0b4f8a;overflow-wrap:anywhere}
          time{color:#555;font-size:.9rem}
        </style>
      </head>
      <body>
        <main>
          <p class="note">This is a web feed. Copy its address into a feed reader to follow
            <strong><xsl:value-of select="$title"/></strong>.</p>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/></p>
          <p><a href="{$home}">Visit the site</a></p>
          <xsl:for-each select="/rss/channel/item">
            <article>
              <h2><a href="{link}"><xsl:value-of select="title" disable-output-escaping="no"/></a></h2>
              <time><xsl:value-of select="pubDate"/></time>
            </article>
          </xsl:for-each>
          <xsl:for-each select="/atom:feed/atom:entry">
            <article>
              <h2><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h2>
              <time><xsl:value-of select="atom:published"/></time>
            </article>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
`;
}
