/**
 * The page shell. All text goes through hono/html's `html` template, which escapes every
 * interpolated value; only `raw()` inserts markup, and only markup this code or the sanitizing
 * content build produced.
 */
import { html, raw } from "hono/html";
import type { SiteConfig } from "../config.ts";
import type { FeedUrls } from "../lib/feed-formats.ts";
import type { Html } from "../lib/html.ts";
import { siteUrls } from "../lib/urls.ts";

/** A feed in every format, with the title autodiscovery shows. */
export interface FeedLinks extends FeedUrls {
  readonly title: string;
}

export interface PageOptions {
  readonly config: SiteConfig;
  readonly title: string;
  readonly description: string;
  /** Absolute canonical URL of the page. */
  readonly canonical: string;
  /** Feeds to advertise for autodiscovery (RSS Board autodiscovery; JSON Feed 1.1 §discovery). */
  readonly feeds: readonly FeedLinks[];
  readonly body: Html;
}

/**
 * The one stylesheet, inline (no extra request). Exported for the Content-Security-Policy,
 * which allows exactly these bytes by their hash (src/http/content-security-policy.ts).
 */
export const PAGE_STYLE = `
:root{color-scheme:light;--ink:#1b1b1b;--muted:#5a5a5a;--line:#ddd;--accent:#0b4f8a;--bg:#fafaf7}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
header.site,footer.site,main{max-width:44rem;margin:0 auto;padding:0 1rem}
header.site{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;justify-content:space-between;padding-top:1rem;padding-bottom:.5rem;border-bottom:1px solid var(--line)}
header.site .name{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--ink)}
nav ul,.tags,.feeds{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
main{padding-top:1rem;padding-bottom:2rem}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.25rem;line-height:1.3;margin:.25rem 0}
.meta{color:var(--muted);font-size:.9rem;margin:.25rem 0}
.card{border-bottom:1px solid var(--line);padding:1rem 0}
.card p{margin:.35rem 0}
.tags a{font-size:.85rem;background:#eef2f6;border-radius:1rem;padding:.05rem .6rem;text-decoration:none}
.feeds a{font-size:.9rem}
article.body{overflow-wrap:break-word}
article.body img{max-width:100%;height:auto}
article.body blockquote{margin:1rem 0;padding:.25rem 1rem;border-left:3px solid var(--line);color:#333}
article.body pre{overflow-x:auto}
.note{font-size:.9rem;color:var(--muted);border-left:3px solid #e8d28a;padding-left:.75rem}
.note.editor{color:var(--ink);border-left-color:#c0392b}
.approx{font-style:italic}
.key-points,.claims{padding-left:1.25rem}
.timeline{list-style:none;padding:0}
.pager{display:flex;justify-content:space-between;gap:1rem;margin-top:1rem}
form.subscribe{margin:1rem 0;padding:.75rem 1rem;border:1px solid var(--line);border-radius:.5rem;background:#fff}
form.subscribe label{font-weight:600;display:block;margin-bottom:.35rem}
form.subscribe .row{display:flex;flex-wrap:wrap;gap:.5rem}
form.subscribe input[type=email]{flex:1 1 12rem;min-width:0;font:inherit;padding:.4rem .6rem;border:1px solid #999;border-radius:.3rem}
button{font:inherit;padding:.4rem .9rem;border:0;border-radius:.3rem;background:var(--accent);color:#fff;cursor:pointer}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:.3rem;text-align:left;vertical-align:top}
footer.site a{white-space:nowrap}
footer.site{border-top:1px solid var(--line);padding-top:1rem;padding-bottom:2rem;color:var(--muted);font-size:.9rem}
a,p,h1,h2,li{overflow-wrap:anywhere}
`;

export function renderPage(o: PageOptions): Promise<string> {
  const urls = siteUrls(o.config);
  const feeds = urls.feeds();
  const digestFeeds = urls.digestFeeds();
  const page = html`<!doctype html>
<html lang="${o.config.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
<meta name="description" content="${o.description}">
<link rel="canonical" href="${o.canonical}">
<link rel="icon" href="${urls.icon()}" type="image/png">
${o.feeds.map(
  (
    f,
  ) => html`<link rel="alternate" type="application/rss+xml" title="${f.title} (RSS)" href="${f.rss}">
<link rel="alternate" type="application/atom+xml" title="${f.title} (Atom)" href="${f.atom}">
<link rel="alternate" type="application/feed+json" title="${f.title} (JSON Feed)" href="${f.json}">
`,
)}<style>${raw(PAGE_STYLE)}</style>
</head>
<body>
<header class="site">
<a class="name" href="${urls.home()}">${o.config.title}</a>
<nav aria-label="Site"><ul><li><a href="${urls.home()}">Latest</a></li><li><a href="${urls.tags()}">Tags</a></li><li><a href="${urls.digests()}">Weekly digest</a></li><li><a href="${feeds.rss}">RSS</a></li></ul></nav>
</header>
<main>
${o.body}
</main>
<footer class="site">
<p>${o.config.description}</p>
<p>Follow with a feed reader: <a href="${feeds.rss}">RSS</a> · <a href="${feeds.atom}">Atom</a> · <a href="${feeds.json}">JSON Feed</a></p>
<p>The weekly digest: <a href="${urls.digests()}">archive</a> · <a href="${digestFeeds.rss}">RSS</a> · <a href="${digestFeeds.atom}">Atom</a> · <a href="${digestFeeds.json}">JSON Feed</a></p>
</footer>
</body>
</html>
`;
  return Promise.resolve(page).then(String);
}

export function feedLinkList(f: FeedLinks): Html {
  return html`<ul class="feeds" aria-label="Feeds">
<li><a href="${f.rss}" type="application/rss+xml">RSS feed</a></li>
<li><a href="${f.atom}" type="application/atom+xml">Atom feed</a></li>
<li><a href="${f.json}" type="application/feed+json">JSON Feed</a></li>
</ul>`;
}
