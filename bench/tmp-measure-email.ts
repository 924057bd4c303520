import { prepareDigestCases } from "./lib/digest-render.ts";
import { renderDigestEmail } from "../src/digest/email/render.ts";
const cases = await prepareDigestCases("2024-W43", "2024-W44", [200]);
for (const c of cases) {
  const { html } = renderDigestEmail(c.summary, c.links);
  // Characters of text inside the links of the Key developments section.
  const dev = html.slice(html.indexOf("Key developments"), html.indexOf("</div>", html.indexOf("Key developments")));
  const linked = [...dev.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]!.length);
  console.log(`${c.label}: html ${Buffer.byteLength(html)} bytes; developments ${c.summary.developments.length}; linked chars in Key developments ${linked.reduce((a, b) => a + b, 0)} (longest link ${Math.max(...linked)} chars)`);
}
