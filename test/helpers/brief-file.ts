/**
 * The text of a valid brief (content/*.md) for the content build's tests, with `fields`
 * replacing or adding front-matter lines (YAML values as written, in this order), and `id`
 * telling the briefs of different tests apart.
 */
export function briefFile(fields: Record<string, string>, id = "0000000000bb"): string {
  const base: Record<string, string> = {
    id: `"urn:uuid:0a000000-0000-4000-8000-${id}"`,
    title: `"Seoul reports troops in Russia"`,
    date: `"2024-10-22T12:00:00Z"`,
    source: `"Test Wire"`,
    tags: "[north-korea, russia]",
    summary: `"South Korea's intelligence service reported troops in Russia."`,
    ...fields,
  };
  const lines = Object.entries(base).map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join("\n")}\n---\n\nThe body.\n`;
}
