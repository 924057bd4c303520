/** Reading the site's HTML with the runtime's own HTML parser (HTMLRewriter), not string matching. */

const REFERENCES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

function decodeReferences(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === "#")
      return String.fromCodePoint(
        ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10),
      );
    return REFERENCES[ref.toLowerCase()] ?? whole;
  });
}

/** The text of every element matching `selector`, character references decoded, in order. */
export async function htmlTexts(html: string, selector: string): Promise<string[]> {
  const texts: string[] = [];
  let current: string[] | null = null;
  await new HTMLRewriter()
    .on(selector, {
      element(el) {
        const mine: string[] = [];
        current = mine;
        el.onEndTag(() => {
          texts.push(decodeReferences(mine.join("")).trim());
        });
      },
      text(chunk) {
        current?.push(chunk.text);
      },
    })
    .transform(new Response(html))
    .text();
  return texts;
}

/** The text of every element matching `selector`, character references decoded, joined by newlines. */
export async function htmlText(html: string, selector: string): Promise<string> {
  return (await htmlTexts(html, selector)).join("\n");
}

/**
 * Every link matching `selector` (default: every `<a href>`), its href as a browser reads it
 * (character references decoded, e.g. Mustache's `&#x2F;`) and its text.
 */
export async function htmlLinks(
  html: string,
  selector = "a[href]",
): Promise<{ href: string; text: string }[]> {
  const links: { href: string; text: string }[] = [];
  let current: string[] | null = null;
  await new HTMLRewriter()
    .on(selector, {
      element(el) {
        const mine: string[] = [];
        current = mine;
        const href = decodeReferences(el.getAttribute("href") ?? "");
        el.onEndTag(() => {
          links.push({ href, text: decodeReferences(mine.join("")).trim() });
        });
      },
      text(chunk) {
        current?.push(chunk.text);
      },
    })
    .transform(new Response(html))
    .text();
  return links;
}
