/**
 * Linting the digest email's HTML: html-validate (is it valid, accessible HTML?) and caniemail
 * (does Gmail and Outlook support what it uses?), with the exceptions email HTML needs, each
 * justified where it is made. Both exception lists are checked for staleness: an exception the
 * emails no longer need is reported, so the lists only ever hold what is truly needed.
 */
import { caniemail, type CanIEmailOptions } from "caniemail";
import { type ConfigData, HtmlValidate, type Message } from "html-validate";

// ---------------------------------------------------------------------------------------------
// html-validate

/**
 * html-validate's recommended preset, less what MJML's email layout must do differently from a
 * web page. Everything not named here stays on at its recommended setting.
 */
export const EMAIL_HTML_VALIDATE_CONFIG = {
  extends: ["html-validate:recommended"],
  elements: [
    "html5",
    {
      // Outlook for Windows renders with Word, which ignores CSS widths, alignment and spacing on
      // tables and cells: MJML's layout tables carry them as these (HTML4) attributes as well.
      // Declared not deprecated on exactly these elements, so no-deprecated-attr stays on for
      // everything else (e.g. <font>, <center>, align on <p> or <img>).
      table: {
        attributes: {
          align: { deprecated: false },
          cellpadding: { deprecated: false },
          cellspacing: { deprecated: false },
          width: { deprecated: false },
        },
      },
      td: {
        attributes: {
          align: { deprecated: false },
          bgcolor: { deprecated: false },
          valign: { deprecated: false },
        },
      },
    },
  ],
  rules: {
    // Gmail (non-Google accounts, mobile web) drops <style> and other clients rewrite it: every style that matters must be inline, which is what MJML produces.
    "no-inline-style": "off",
    // Outlook for Windows (Word engine) gets its fixed-width "ghost tables" and DPI settings only inside MSO conditional comments; other clients skip them.
    "no-conditional-comment": "off",
    // MJML's mj-image writes <img … /> while every other void element (and the template's <br>) omits the slash; all clients parse both alike, so no one style can be required.
    "void-style": "off",
    // Not off, configured: MJML writes <!doctype html> (case is insignificant); a doctype is still required and its style still checked.
    "doctype-style": ["error", { style: "lowercase" }],
    // Not off, configured: MJML marks layout tables role="presentation", which screen readers in webmail know best (role="none" is its later ARIA synonym).
    "presentation-role-style": ["error", { prefer: "presentation" }],
    // MJML wraps the message in <div role="article" aria-roledescription="email">: Outlook for Windows drops HTML5 sectioning elements such as <article> (caniemail html-semantics), the ARIA role works everywhere.
    "prefer-native-element": ["error", { exclude: ["article"] }],
  },
} satisfies ConfigData;

const validators = new Map<string, HtmlValidate>();
function validator(config: ConfigData): HtmlValidate {
  const key = JSON.stringify(config);
  let v = validators.get(key);
  if (!v) validators.set(key, (v = new HtmlValidate(config)));
  return v;
}

async function messages(config: ConfigData, html: string): Promise<Message[]> {
  const report = await validator(config).validateString(html, "email.html");
  return report.results.flatMap((r) => r.messages);
}

/** html-validate's findings under the email config, as `line:column rule: message` lines. */
export async function htmlValidateProblems(html: string): Promise<string[]> {
  const lines = html.split("\n");
  return (await messages(EMAIL_HTML_VALIDATE_CONFIG, html)).map((m) => {
    const excerpt = (lines[m.line - 1] ?? "").slice(Math.max(0, m.column - 1), m.column + 79);
    return `${m.line}:${m.column} ${m.ruleId}: ${m.message} (at ${JSON.stringify(excerpt)})`;
  });
}

/** The config's exceptions that none of the emails needs any more. */
async function staleHtmlValidateExceptions(htmls: readonly string[]): Promise<string[]> {
  const stale: string[] = [];
  const base = EMAIL_HTML_VALIDATE_CONFIG as ConfigData;
  // A rule exception is needed when the rule, at its recommended setting, reports something.
  for (const rule of Object.keys(EMAIL_HTML_VALIDATE_CONFIG.rules)) {
    const config: ConfigData = { ...base, rules: { ...base.rules, [rule]: "error" } };
    let needed = false;
    for (const html of htmls)
      if ((await messages(config, html)).some((m) => m.ruleId === rule)) needed = true;
    if (!needed)
      stale.push(
        `html-validate rule "${rule}" needs no exception any more: remove it from EMAIL_HTML_VALIDATE_CONFIG`,
      );
  }
  // An attribute declared not deprecated is needed when plain html5 metadata reports it.
  const reported = new Set<string>();
  const plain: ConfigData = { ...base, elements: ["html5"] };
  for (const html of htmls) {
    for (const m of await messages(plain, html)) {
      const hit = /^Attribute "([^"]+)" is deprecated on <([^>]+)> element$/.exec(m.message);
      if (m.ruleId === "no-deprecated-attr" && hit) reported.add(`${hit[2]}.${hit[1]}`);
    }
  }
  const overrides = EMAIL_HTML_VALIDATE_CONFIG.elements[1] as Record<
    string,
    { attributes: Record<string, unknown> }
  >;
  for (const [element, { attributes }] of Object.entries(overrides)) {
    for (const attr of Object.keys(attributes)) {
      if (!reported.has(`${element}.${attr}`))
        stale.push(
          `<${element} ${attr}> is no longer used: remove it from EMAIL_HTML_VALIDATE_CONFIG's elements`,
        );
    }
  }
  return stale;
}

// ---------------------------------------------------------------------------------------------
// caniemail (caniemail.com's support data)

/** Gmail everywhere (web, iOS, Android, mobile web), Outlook for Windows and Outlook.com. */
export const EMAIL_CLIENTS: CanIEmailOptions["clients"] = [
  "gmail.*",
  "outlook.windows",
  "outlook.outlook-com",
];

interface Ignore {
  /** caniemail feature titles, exactly as it reports them. */
  readonly features: readonly string[];
  readonly clients: readonly string[];
  /** Why the unsupported feature is harmless in those clients. */
  readonly why: string;
  /** What must stay true of the email for `why` to hold; checked on every email. */
  readonly premise?: { readonly says: string; readonly holds: (html: string) => boolean };
}

const GMAIL = ["gmail.desktop-webmail", "gmail.ios", "gmail.android", "gmail.mobile-webmail"];

/** Every `style="…"` attribute value in the HTML, entity-decoded enough for CSS matching. */
const inlineStyles = (html: string) =>
  [...html.matchAll(/\sstyle="([^"]*)"/gi)].map((m) =>
    m[1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"'),
  );
/** The text of every <style> element outside comments (the MSO-only ones are in comments). */
const styleSheets = (html: string) =>
  [...html.replace(/<!--[\s\S]*?-->/g, "").matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map(
    (m) => m[1]!,
  );
/** Every value the CSS property takes, inline or in a stylesheet. */
const cssValues = (html: string, property: string) =>
  [...inlineStyles(html), ...styleSheets(html)].flatMap((css) =>
    [...css.matchAll(new RegExp(`(?:^|[;{\\s])${property}\\s*:\\s*([^;}]+)`, "gi"))].map((m) =>
      m[1]!.trim(),
    ),
  );
/** Every selector in the stylesheets (comma lists split, at-rules unwrapped, comments dropped). */
const cssSelectors = (html: string) =>
  styleSheets(html).flatMap((css) =>
    [...css.replace(/\/\*[\s\S]*?\*\//g, "").matchAll(/([^{}]+)\{[^{}]*\}/g)].flatMap((m) =>
      m[1]!.split(",").map((s) => s.trim()),
    ),
  );
/** The selectors with combinators or compounds: MJML's, and the template's iOS fix (a column width's number as N). */
const KNOWN_COMPLEX_SELECTORS = new Set([
  "#outlook a",
  ".moz-text-html .mj-column-per-N",
  "table.mj-full-width-mobile",
  "td.mj-full-width-mobile",
  "a[x-apple-data-detectors]",
]);
const PREHEADER_PROPERTIES = ["display:none", "max-height:0px", "overflow:hidden", "opacity:0"];
const hidesPreheader = (style: string) => PREHEADER_PROPERTIES.some((p) => style.includes(p));

/**
 * Features caniemail reports as unsupported in EMAIL_CLIENTS that the digest uses on purpose.
 * All come from MJML's output or are progressive enhancements with a fallback in place.
 */
export const CANIEMAIL_IGNORES: readonly Ignore[] = [
  {
    features: [
      "<style> element",
      "Type selector",
      "ID selector",
      "Class selector",
      "Descendant combinator",
      "Chaining selectors",
      "Attribute selector",
      "@media",
    ],
    clients: ["gmail.mobile-webmail"],
    why: "Gmail's mobile web client drops <style> altogether, so none of its rules apply there; MJML inlines every style the layout needs, and the head CSS only holds resets, a column width already set inline, and fixes for other clients",
    premise: {
      says: "every MJML column has its width inline",
      holds: (html) =>
        [...html.matchAll(/<div\s+class="mj-column-per-(\d+)[^"]*"\s+style="([^"]*)"/g)].every(
          (m) => m[2]!.includes(`width:${m[1]}%`),
        ),
    },
  },
  {
    features: ["@media"],
    clients: ["outlook.windows"],
    why: "Outlook for Windows ignores @media; MJML gives it fixed 600px tables in MSO conditional comments instead, and the media queries only restate column widths for wide screens and Thunderbird",
    premise: {
      says: "the MSO conditional 600px tables are there",
      holds: (html) => /<!--\[if mso \| IE\]><table[^>]*\swidth="600"/.test(html),
    },
  },
  {
    features: ["Chaining selectors"],
    clients: ["outlook.windows", "outlook.outlook-com"],
    why: "the chained selector is MJML's `.moz-text-html .mj-column-per-100`, for Thunderbird, restating a width already inline: Outlook applying it wrongly or not at all changes nothing",
    premise: {
      says: `the only selectors with more than one part are ${[...KNOWN_COMPLEX_SELECTORS].join(", ")}`,
      holds: (html) =>
        cssSelectors(html).every(
          (s) => /^[#.]?[\w-]+$/.test(s) || KNOWN_COMPLEX_SELECTORS.has(s.replace(/\d+$/, "N")),
        ),
    },
  },
  {
    features: ["Attribute selector"],
    clients: ["outlook.windows"],
    why: "the only attribute selector, a[x-apple-data-detectors], is for Apple Mail on iOS; Outlook has no data detectors to restyle",
    premise: {
      says: "a[x-apple-data-detectors] is the only attribute selector",
      holds: (html) =>
        styleSheets(html).every((css) =>
          [...css.matchAll(/\[[^\]]*\]/g)].every((m) => m[0] === "[x-apple-data-detectors]"),
        ),
    },
  },
  {
    features: ["color-scheme meta tag"],
    clients: [...GMAIL, "outlook.windows", "outlook.outlook-com"],
    why: "a hint for clients that honour it (Apple Mail); the others ignore it, and every text and background colour is set explicitly, so their own dark modes still see a consistent palette",
  },
  {
    features: ["display:none", "opacity"],
    clients: ["gmail.mobile-webmail"],
    why: "the hidden preheader (inbox preview text) is hidden several ways at once; Gmail's mobile web client honours max-height:0 with overflow:hidden",
    premise: {
      says: "every style that hides something is the preheader's, with all of display:none, max-height:0px, overflow:hidden and opacity:0",
      holds: (html) =>
        inlineStyles(html)
          .filter(hidesPreheader)
          .every((s) => PREHEADER_PROPERTIES.every((p) => s.includes(p))),
    },
  },
  {
    features: ["opacity", "max-height property", "overflow"],
    clients: ["outlook.windows"],
    why: "the hidden preheader (inbox preview text) is hidden several ways at once; Outlook for Windows honours its display:none",
    premise: {
      says: "every style that hides something is the preheader's, with all of display:none, max-height:0px, overflow:hidden and opacity:0",
      holds: (html) =>
        inlineStyles(html)
          .filter(hidesPreheader)
          .every((s) => PREHEADER_PROPERTIES.every((p) => s.includes(p))),
    },
  },
  {
    features: ["target attribute"],
    clients: [...GMAIL, "outlook.outlook-com"],
    why: 'these clients force target="_blank" on every link, and MJML\'s image and button links ask for exactly that',
    premise: {
      says: 'every target is "_blank"',
      holds: (html) => [...html.matchAll(/\starget="([^"]*)"/gi)].every((m) => m[1] === "_blank"),
    },
  },
  {
    features: ["cursor"],
    clients: [...GMAIL, "outlook.outlook-com"],
    why: "MJML's button sets cursor:auto, the default: a client that strips it shows the same cursor",
    premise: {
      says: "every cursor is auto",
      holds: (html) => cssValues(html, "cursor").every((v) => v === "auto"),
    },
  },
  {
    features: ["outline"],
    clients: ["outlook.windows"],
    why: "MJML's image reset is outline:none, and Word draws no outline round images to remove",
    premise: {
      says: "every outline is none",
      holds: (html) => cssValues(html, "outline").every((v) => v === "none"),
    },
  },
  {
    features: ["word-spacing"],
    clients: ["outlook.windows"],
    why: "MJML sets word-spacing:normal on the body (against other clients' inherited spacing), which is Word's default anyway",
    premise: {
      says: "every word-spacing is normal",
      holds: (html) => cssValues(html, "word-spacing").every((v) => v === "normal"),
    },
  },
  {
    features: ["border-spacing"],
    clients: ["outlook.windows"],
    why: 'border-spacing:0 on the logo\'s table is also given as cellspacing="0", which Word honours',
    premise: {
      says: 'every table with border-spacing also has cellspacing="0"',
      holds: (html) =>
        [...html.matchAll(/<table\b[^>]*>/gi)]
          .filter((m) => m[0].includes("border-spacing"))
          .every((m) => m[0].includes('cellspacing="0"')),
    },
  },
  {
    features: ["border-radius"],
    clients: ["outlook.windows"],
    why: "the button's 4px rounded corners render square in Outlook for Windows: cosmetic only (round corners there would take VML)",
  },
];

const ignoreKey = (feature: string, client: string) => `${feature}\n${client}`;
const IGNORED = new Map<string, Ignore>(
  CANIEMAIL_IGNORES.flatMap((i) =>
    i.features.flatMap((f) => i.clients.map((c) => [ignoreKey(f, c), i] as const)),
  ),
);

export interface ClientSupport {
  /** Unsupported features not covered by an ignore, and ignores whose premise broke. */
  readonly problems: string[];
  /** `feature\nclient` keys of the ignores this email used. */
  readonly used: Set<string>;
  /** Partly supported features (caniemail's warnings) by feature title: information only. */
  readonly partial: Map<string, Set<string>>;
}

/** caniemail's verdict on one email for EMAIL_CLIENTS, less the documented ignores. */
export function clientSupport(html: string): ClientSupport {
  const result = caniemail({ clients: EMAIL_CLIENTS, html });
  const lines = html.split("\n");
  const used = new Set<string>();
  const unexpected = new Map<string, Set<string>>(); // "feature (where)" → clients
  for (const [client, issues] of result.issues.errors) {
    for (const issue of issues) {
      const key = ignoreKey(issue.title, client);
      if (IGNORED.has(key)) {
        used.add(key);
        continue;
      }
      // Lines of <style> rules count from their element; inline features point into the document.
      const line = issue.position?.start.line;
      const where =
        line === undefined
          ? "in a <style> rule"
          : issue.position?.source === ""
            ? `in a <style> rule, its line ${line}`
            : `line ${line}: ${JSON.stringify((lines[line - 1] ?? "").slice(0, 80))}`;
      const label = `\`${issue.title}\` (${where})`;
      if (!unexpected.has(label)) unexpected.set(label, new Set());
      unexpected.get(label)!.add(client);
    }
  }
  const problems = [...unexpected].map(
    ([label, clients]) => `${label} is not supported by ${[...clients].join(", ")}`,
  );
  for (const ignore of CANIEMAIL_IGNORES) {
    if (ignore.premise && !ignore.premise.holds(html)) {
      problems.push(
        `the ignore of ${ignore.features.join(", ")} no longer holds: it assumes that ${ignore.premise.says} (its reason: ${ignore.why})`,
      );
    }
  }
  const partial = new Map<string, Set<string>>();
  for (const [client, issues] of result.issues.warnings) {
    for (const issue of issues) {
      if (!partial.has(issue.title)) partial.set(issue.title, new Set());
      partial.get(issue.title)!.add(client);
    }
  }
  return { problems, used, partial };
}

/** Ignores (feature, client) that no email used. */
function staleCaniemailIgnores(used: ReadonlySet<string>): string[] {
  return [...IGNORED.keys()]
    .filter((key) => !used.has(key))
    .map((key) => {
      const [feature, client] = key.split("\n");
      return `caniemail ignore of \`${feature}\` in ${client} is no longer needed: remove it from CANIEMAIL_IGNORES`;
    });
}

/** Every exception of either linter that none of these emails needs. */
export async function staleExceptions(
  htmls: readonly string[],
  caniemailUsed: ReadonlySet<string>,
): Promise<string[]> {
  return [...(await staleHtmlValidateExceptions(htmls)), ...staleCaniemailIgnores(caniemailUsed)];
}
