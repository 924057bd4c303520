/**
 * The page shell. All text goes through hono/html's `html` template, which escapes every
 * interpolated value; only `raw()` inserts markup, and only markup this code or the sanitizing
 * content build produced.
 */
import { html, raw } from "hono/html";
import type { SiteConfig } from "../config.ts";
import type { FeedUrls } from "../lib/feed-formats.ts";
import type { Html } from "../lib/html.ts";
import { machineTime } from "../lib/time.ts";
import { siteUrls } from "../lib/urls.ts";

/** A feed in every format, with the title autodiscovery shows. */
export interface FeedLinks extends FeedUrls {
  readonly title: string;
}

/** How a shared link to the page shows: Open Graph (https://ogp.me/) and Twitter card tags. */
export interface ShareOptions {
  /** The page's own title, without the site's name (og:site_name carries that). */
  readonly title: string;
  /** An article (og:type article, with its RFC 3339 times), else the page is a "website". */
  readonly article?: { readonly published: string; readonly modified: string | null };
}

export interface PageOptions {
  readonly config: SiteConfig;
  readonly title: string;
  readonly description: string;
  /** Absolute canonical URL of the page. */
  readonly canonical: string;
  /** Feeds to advertise for autodiscovery (RSS Board autodiscovery; JSON Feed 1.1 §discovery). */
  readonly feeds: readonly FeedLinks[];
  /** Open Graph and Twitter card tags, on the pages people share; none when absent. */
  readonly share?: ShareOptions;
  readonly body: Html;
}

/** Link previews show about two lines: longer descriptions are cut, at a word, with "…". */
const SHARE_DESCRIPTION_MAX = 200;

/** A description as plain text on one line, at most `max` characters (code points). */
export function shareDescription(text: string, max = SHARE_DESCRIPTION_MAX): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  if (chars.length <= max) return chars.join("");
  const cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  // A single huge word is cut mid-word rather than emptied.
  const kept = space > cut.length / 2 ? cut.slice(0, space) : cut;
  return `${kept.replace(/[\s,;:.\u2013\u2014-]+$/, "")}…`;
}

/** og:locale is `language_TERRITORY` (https://ogp.me/#optional): `en-GB` → `en_GB`, `en` → `en`. */
export function ogLocale(language: string): string {
  const m = /^([a-z]{2,3})(?:-[a-z]{4})?(?:-([a-z]{2}|\d{3}))?(?:-|$)/i.exec(language);
  if (!m) return language;
  return m[2] ? `${m[1]!.toLowerCase()}_${m[2].toUpperCase()}` : m[1]!.toLowerCase();
}

function shareTags(o: PageOptions, share: ShareOptions): Html {
  const description = shareDescription(o.description);
  const icon = siteUrls(o.config).icon();
  const article = share.article;
  return html`<meta property="og:type" content="${article ? "article" : "website"}">
<meta property="og:title" content="${share.title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${o.canonical}">
<meta property="og:site_name" content="${o.config.title}">
<meta property="og:locale" content="${ogLocale(o.config.language)}">
<meta property="og:image" content="${icon}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="256">
<meta property="og:image:height" content="256">
<meta property="og:image:alt" content="The ${o.config.title} icon">
${
  article
    ? html`<meta property="article:published_time" content="${machineTime(article.published)}">
<meta property="article:modified_time" content="${machineTime(article.modified ?? article.published)}">
`
    : ""
}<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${share.title}">
<meta name="twitter:description" content="${description}">
`;
}

/**
 * The one stylesheet, inline (no extra request). The Content-Security-Policy allows exactly
 * these bytes by their hash, computed at build (scripts/build-csp.ts → src/generated/).
 * Every colour is a custom property of `:root`, set for light, dark
 * (`prefers-color-scheme`, Media Queries 5 §12.5) and print, so one test can check each
 * text/background pair against WCAG 2.2 AA (1.4.3: 4.5:1 for text; 1.4.11: 3:1 for controls).
 * The digest email keeps its light design: it is styled by its own template.
 */
export const PAGE_STYLE = `
:root{color-scheme:light;--ink:#1b1b1b;--muted:#5a5a5a;--line:#ddd;--accent:#0b4f8a;--bg:#fafaf7;--surface:#fff;--chip:#eef2f6;--quote:#333;--field:#767676;--on-accent:#fff;--note:#e8d28a;--alert:#c0392b}
@media (prefers-color-scheme:dark){:root{color-scheme:dark;--ink:#e6e4df;--muted:#a9afb6;--line:#3b4148;--accent:#8cc4ff;--bg:#121417;--surface:#1b1e22;--chip:#1f2d3b;--quote:#cfd3d8;--field:#8a929b;--on-accent:#0b1a2a;--note:#8a7a3a;--alert:#ff8a7a}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
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
.tags a{font-size:.85rem;background:var(--chip);border-radius:1rem;padding:.05rem .6rem;text-decoration:none}
.feeds a{font-size:.9rem}
article.body{overflow-wrap:break-word}
article.body img{max-width:100%;height:auto}
article.body blockquote{margin:1rem 0;padding:.25rem 1rem;border-left:3px solid var(--line);color:var(--quote)}
pre{white-space:pre-wrap;overflow-wrap:anywhere}
article.body pre{white-space:pre;overflow-x:auto}
.note{font-size:.9rem;color:var(--muted);border-left:3px solid var(--note);padding-left:.75rem}
.note.editor{color:var(--ink);border-left-color:var(--alert)}
.approx{font-style:italic}
.key-points,.claims{padding-left:1.25rem}
.timeline{list-style:none;padding:0}
.pager{display:flex;justify-content:space-between;gap:1rem;margin-top:1rem}
form.subscribe{margin:1rem 0;padding:.75rem 1rem;border:1px solid var(--line);border-radius:.5rem;background:var(--surface)}
form.subscribe label{font-weight:600;display:block;margin-bottom:.35rem}
form.subscribe .row{display:flex;flex-wrap:wrap;gap:.5rem}
input:not([type=checkbox],[type=radio]){max-width:100%;font:inherit;color:var(--ink);background:var(--surface);padding:.4rem .6rem;border:1px solid var(--field);border-radius:.3rem}
form.subscribe input[type=email]{flex:1 1 12rem;min-width:0}
button{font:inherit;padding:.4rem .9rem;border:0;border-radius:.3rem;background:var(--accent);color:var(--on-accent);cursor:pointer}
table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}
td,th{border-bottom:1px solid var(--line);padding:.3rem;text-align:left;vertical-align:top}
footer.site a{white-space:nowrap}
footer.site{border-top:1px solid var(--line);padding-top:1rem;padding-bottom:2rem;color:var(--muted);font-size:.9rem}
a,p,h1,h2,li,dd,summary,code{overflow-wrap:anywhere}
/* In a table, "anywhere" would shrink columns to one letter: cells wrap at words, and the table scrolls. */
td,th,table :is(a,p,li,code){overflow-wrap:break-word}
@media print{
:root{color-scheme:light;--ink:#000;--muted:#404040;--line:#bbb;--accent:#000;--bg:#fff;--surface:#fff;--chip:#fff;--quote:#202020;--field:#767676;--on-accent:#fff;--note:#bbb;--alert:#000}
body{font-size:11pt}
header.site nav,form,.feeds,.pager,footer.site{display:none}
header.site,main{max-width:none;padding:0}
article.body a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em;color:var(--muted)}
h1,h2{break-after:avoid}
.card,li,blockquote,pre,img,table{break-inside:avoid}
}
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
<link rel="apple-touch-icon" href="${urls.appleTouchIcon()}" sizes="180x180">
${o.share ? shareTags(o, o.share) : ""}${o.feeds.map(
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
<nav aria-label="Site"><ul><li><a href="${urls.home()}">Latest</a></li><li><a href="${urls.tags()}">Tags</a></li><li><a href="${urls.digests()}">Weekly digest</a></li><li><a href="${feeds.rss}">RSS</a></li><li><a href="${urls.allFeeds()}">All feeds</a></li></ul></nav>
</header>
<main>
${o.body}
</main>
<footer class="site">
<p>${o.config.description}</p>
<p>Follow with a feed reader: <a href="${feeds.rss}">RSS</a> · <a href="${feeds.atom}">Atom</a> · <a href="${feeds.json}">JSON Feed</a> · <a href="${urls.allFeeds()}">all feeds</a></p>
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
