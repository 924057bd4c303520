/**
 * Deterministic synthetic articles for benchmarks: same seed and count, same bytes.
 *
 * Each article looks like a real one in shape and size: a title, a one-to-two sentence summary,
 * 4–6 paragraphs of about 80 words (sometimes a block quote with attribution and an italic
 * caption, as the real content has), 3–5 tags out of 30, dates spread over 2016–2025 with
 * assorted UTC offsets, and the optional fields (updated, date_note, source_url, authors) on a
 * share of the articles.
 */
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const TAGS = [
  "north-korea",
  "russia",
  "china",
  "iran",
  "ukraine",
  "south-korea",
  "japan",
  "united-states",
  "nato",
  "european-union",
  "belarus",
  "syria",
  "sanctions",
  "missiles",
  "nuclear",
  "drones",
  "artillery-shells",
  "troop-deployment",
  "military-drills",
  "alliance",
  "diplomacy",
  "trade",
  "energy",
  "cyber",
  "espionage",
  "arms-transfers",
  "summit",
  "intelligence",
  "shipping",
  "propaganda",
] as const;

const SOURCES = [
  "Asia Times",
  "Reuters",
  "The Diplomat",
  "NK News",
  "Associated Press",
  "Kyiv Independent",
  "Nikkei Asia",
  "Yonhap",
  "Financial Times",
  "Blog post on pieface-ruminations.blogspot.com",
  "Foreign Policy",
  "The Korea Herald",
] as const;

const AUTHORS = [
  "Min-ji Park",
  "Oleksandr Kovalenko",
  "Sarah Whitfield",
  "Hiroshi Tanaka",
  "Daniel Okafor",
  "Elena Markova",
  "James Morrow",
  "Li Wei",
  "Amira Haddad",
  "Thomas Brandt",
  "Sun-woo Kim",
  "Natalia Ivanova",
] as const;

const SPEAKERS = [
  "a spokesperson for the Ministry of Foreign Affairs",
  "the Secretary-General of NATO",
  "a senior defence official",
  "an analyst at a Seoul think tank",
  "the Ukrainian Foreign Minister",
  "a former intelligence officer",
  "the Japanese Defence Minister",
  "a State Department official",
] as const;

const PLACES = [
  "Pyongyang",
  "Moscow",
  "Beijing",
  "Vladivostok",
  "Kyiv",
  "Seoul",
  "Tokyo",
  "Washington",
  "Khabarovsk",
  "Kursk",
  "Rason",
  "Tehran",
  "Minsk",
  "Brussels",
  "the Sea of Japan",
  "the Yellow Sea",
] as const;

const NOUNS = [
  "troops",
  "officials",
  "analysts",
  "sanctions",
  "shipments",
  "missiles",
  "drills",
  "talks",
  "satellite images",
  "intelligence reports",
  "artillery shells",
  "diplomats",
  "negotiators",
  "factories",
  "rail links",
  "port facilities",
  "ammunition",
  "fighter jets",
  "warships",
  "drones",
  "commanders",
  "engineers",
  "leaders",
  "envoys",
  "exports",
  "payments",
  "soldiers",
  "observers",
] as const;

const VERBS = [
  "confirmed",
  "denied",
  "reported",
  "expanded",
  "announced",
  "signalled",
  "warned about",
  "examined",
  "questioned",
  "supported",
  "condemned",
  "tracked",
  "documented",
  "described",
  "accelerated",
  "delayed",
  "negotiated",
  "revealed",
  "estimated",
  "discussed",
  "monitored",
] as const;

const ADJECTIVES = [
  "new",
  "growing",
  "unprecedented",
  "strategic",
  "covert",
  "formal",
  "limited",
  "expanded",
  "military",
  "economic",
  "regional",
  "bilateral",
  "secret",
  "public",
  "renewed",
  "joint",
  "significant",
  "modest",
  "deeper",
  "fragile",
  "long-range",
  "naval",
  "official",
  "unconfirmed",
] as const;

const CONNECTORS = [
  "while",
  "although",
  "because",
  "after",
  "as",
  "even as",
  "since",
  "before",
  "whereas",
] as const;

const ADVERBIALS = [
  "according to people familiar with the matter",
  "in a statement on 22 October 2024",
  "over the past several months",
  "for the first time since the war began",
  "in recent weeks",
  "despite repeated denials",
  "at a press conference",
  "according to satellite imagery",
  "in unusually blunt terms",
  "during a visit to the region",
] as const;

const TITLE_WORDS = [
  "Deepening",
  "Ties",
  "Signal",
  "New",
  "Phase",
  "Alliance",
  "Troops",
  "Arrive",
  "Drills",
  "Warn",
  "Sanctions",
  "Fail",
  "Stop",
  "Shipments",
  "Talks",
  "Stall",
  "Missile",
  "Pact",
  "Tests",
  "Limits",
  "Partnership",
  "Pressure",
  "Grows",
  "Envoys",
  "Meet",
  "Quietly",
  "Arms",
  "Deal",
  "Raises",
  "Alarm",
  "Front",
  "Line",
] as const;

/** mulberry32: a small, fast, seedable PRNG; good enough for test data. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
  sample<T>(list: readonly T[], count: number): T[];
  chance(p: number): boolean;
}

function rng(seed: number): Rng {
  const next = createRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (list) => list[Math.floor(next() * list.length)]!,
    sample: (list, count) => {
      const copy = [...list];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, count);
    },
    chance: (p) => next() < p,
  };
}

function uuidV4(r: Rng): string {
  const bytes = Array.from({ length: 16 }, () => r.int(0, 255));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function sentence(r: Rng): string {
  const clause = () =>
    `${r.pick(ADJECTIVES)} ${r.pick(NOUNS)} in ${r.pick(PLACES)} ${r.pick(VERBS)} ${r.chance(0.5) ? "the" : r.pick(["several", "many", "a number of", "some"])} ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`;
  let s = `The ${clause()}`;
  if (r.chance(0.6)) s += ` ${r.pick(CONNECTORS)} ${clause()}`;
  if (r.chance(0.5)) s += `, ${r.pick(ADVERBIALS)}`;
  return `${s}.`;
}

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

function paragraph(r: Rng, targetWords: number): string {
  const sentences: string[] = [];
  let words = 0;
  while (words < targetWords) {
    const s = sentence(r);
    sentences.push(s);
    words += wordCount(s);
  }
  return sentences.join(" ");
}

function title(r: Rng): string {
  const a = r.pick(PLACES);
  let b = r.pick(PLACES);
  while (b === a) b = r.pick(PLACES);
  const words = r.sample(TITLE_WORDS, r.int(3, 6)).join(" ");
  return capitalize(`${a} and ${b}: ${words}`);
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

const OFFSETS = ["Z", "+09:00", "-05:00", "+01:00", "+03:00", "-08:00", "+02:00"] as const;
const RANGE_START = Date.UTC(2016, 0, 1);
const RANGE_END = Date.UTC(2025, 11, 31, 23, 59, 59);

/** An instant as RFC 3339 in the given offset, e.g. 2021-03-04T18:00:00+09:00. */
function rfc3339(ms: number, offset: (typeof OFFSETS)[number]): string {
  const minutes =
    offset === "Z"
      ? 0
      : (offset[0] === "-" ? -1 : 1) *
        (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(Math.floor(ms / 1000) * 1000 + minutes * 60_000)
    .toISOString()
    .slice(0, 19);
  return `${local}${offset}`;
}

/** YAML double-quoted scalar: JSON string syntax is valid YAML. */
const q = (s: string) => JSON.stringify(s);

interface SyntheticArticle {
  readonly fileName: string;
  readonly text: string;
  /** The article's id (urn:uuid:…) and title, as in its front matter. */
  readonly id: string;
  readonly title: string;
}

/** Publication instants are drawn from [start, end) (ms since the epoch). */
export interface DateRange {
  readonly start: number;
  readonly end: number;
}

const DEFAULT_RANGE: DateRange = { start: RANGE_START, end: RANGE_END };

function syntheticArticle(r: Rng, index: number, range: DateRange): SyntheticArticle {
  const t = title(r);
  const published = range.start + Math.floor(r.next() * (range.end - range.start));
  const offset = r.pick(OFFSETS);
  const tags = r.sample(TAGS, r.int(3, 5));
  const source = r.pick(SOURCES);
  const slug = `${slugify(t)}-${String(index).padStart(5, "0")}`;
  const summary = `${sentence(r)}${r.chance(0.6) ? ` ${sentence(r)}` : ""}`;

  const id = `urn:uuid:${uuidV4(r)}`;
  const front = ["---", `id: ${q(id)}`, `title: ${q(t)}`, `date: ${q(rfc3339(published, offset))}`];
  if (r.chance(0.15)) {
    const updated = Math.min(published + r.int(1, 60) * 86_400_000, range.end);
    front.push(`updated: ${q(rfc3339(updated, offset))}`);
  }
  if (r.chance(0.1))
    front.push(
      `date_note: ${q(`Not printed on the page; dated from the archive listing. ${sentence(r)}`)}`,
    );
  front.push(`source: ${q(source)}`);
  if (r.chance(0.7)) {
    const d = new Date(published);
    front.push(
      `source_url: ${q(`https://news.example.org/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${slug}`)}`,
    );
  }
  if (r.chance(0.5)) {
    front.push("authors:");
    for (const a of r.sample(AUTHORS, r.int(1, 2))) front.push(`  - ${q(a)}`);
  }
  front.push("tags:");
  for (const tag of tags) front.push(`  - ${tag}`);
  front.push(`summary: ${q(summary)}`, "---", "");

  const body: string[] = [];
  const paragraphs = r.int(4, 6);
  for (let i = 0; i < paragraphs; i++) {
    body.push(paragraph(r, r.int(62, 78)));
    if (i === 1 && r.chance(0.4)) {
      body.push(`> "${sentence(r)}"\n>\n> — ${capitalize(r.pick(SPEAKERS))}`);
    }
    if (i === 2 && r.chance(0.3)) {
      body.push(`*${sentence(r)} (${source})*`);
    }
  }
  if (r.chance(0.3))
    body.push(
      `Further reading: [the original report](https://news.example.org/${slug}) and **${r.pick(PLACES)}**'s response.`,
    );

  return {
    fileName: `${slug}.md`,
    text: `${front.join("\n")}\n${body.join("\n\n")}\n`,
    id,
    title: t,
  };
}

/** A few of the articles written (the first, middle and last), for checks. */
export interface SampleArticle {
  readonly fileName: string;
  readonly id: string;
  readonly title: string;
}

/**
 * Writes `count` articles into `dir` (emptied first). Deterministic for a given (count, seed,
 * range); by default dated over 2016–2025, or within `range` (e.g. one ISO week for a digest).
 * Returns the total Markdown bytes written and a few sample articles.
 */
export async function writeSyntheticContent(
  dir: string,
  count: number,
  seed = 20_241_020,
  range: DateRange = DEFAULT_RANGE,
): Promise<{ files: number; bytes: number; samples: SampleArticle[] }> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const r = rng(seed ^ count);
  let bytes = 0;
  const samples: SampleArticle[] = [];
  const sampled = new Set([0, Math.floor(count / 2), count - 1]);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const a = syntheticArticle(r, i, range);
    bytes += Buffer.byteLength(a.text);
    if (sampled.has(i)) samples.push({ fileName: a.fileName, id: a.id, title: a.title });
    pending.push(writeFile(join(dir, a.fileName), a.text));
    if (pending.length >= 256) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  // The build needs the summary's watch list beside the articles; use the real one.
  await copyFile(join(import.meta.dirname, "../../content/actors.yaml"), join(dir, "actors.yaml"));
  return { files: count, bytes, samples };
}
