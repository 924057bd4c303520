/**
 * `npm start`'s skip logic (scripts/start/steps.ts). Regression (issue 17): every start ran
 * publish, the template build and the digest rebuild, each in its own processes with its own
 * wrangler migrations run, so an unchanged project took about 46 s to answer; and a skip must
 * never leave a changed migration, template or article unpublished.
 *
 * Each test builds a small project (inputs and a local D1 SQLite file laid out as wrangler's)
 * in a temporary folder, runs the real steps' checks, and "runs" a step by doing to the files
 * what the step does (writes the outputs, marks migrations applied, publishes a token).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSteps } from "../../scripts/start/run-steps.ts";
import { StampStore } from "../../scripts/start/stamps.ts";
import { type StartStep, startSteps } from "../../scripts/start/steps.ts";

let root: string;
let stateDir: string;

function write(rel: string, text: string): void {
  mkdirSync(join(root, rel, ".."), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** The local D1 file as wrangler lays it out, with `migrations` applied and `token` published. */
function database(migrations: readonly string[], token: string | null): void {
  const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "0f00.sqlite");
  rmSync(file, { force: true });
  const db = new DatabaseSync(file);
  db.exec("CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY, name TEXT)");
  for (const m of migrations) db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").run(m);
  db.exec("CREATE TABLE content_state (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)");
  db.exec("CREATE TABLE content_versions (version INTEGER PRIMARY KEY, token TEXT NOT NULL)");
  db.prepare("INSERT INTO content_state VALUES (1, ?)").run(token === null ? 0 : 1);
  if (token !== null) db.prepare("INSERT INTO content_versions VALUES (1, ?)").run(token);
  db.close();
}

const MIGRATIONS = ["0001_a.sql", "0002_b.sql"];
/** What the last "publish" left as the served content token. */
let published = "";
/** Every migration file of the project, as `wrangler d1 migrations apply` records them. */
const allMigrations = () => readdirSync(join(root, "migrations"));

/** Runs the steps; each "command" does what the real one leaves behind. */
function start(): { ran: readonly string[]; skipped: readonly string[] } {
  const steps = startSteps({ root, stateDir, stamps: new StampStore(join(stateDir, "stamps")) });
  const effects: Record<StartStep["name"], () => void> = {
    templates: () => {
      for (const f of ["email-templates.ts", "icon.ts", "build-id.ts"])
        write(`src/generated/${f}`, "// generated\n");
    },
    content: () => database(allMigrations(), (published = `token-${Math.random()}`)),
    migrations: () => database(allMigrations(), published),
    digests: () => {},
  };
  return runSteps(
    steps,
    (command) => {
      const step = steps.find((s) => s.commands.some((c) => c === command))!;
      if (step.commands.indexOf(command) === step.commands.length - 1) effects[step.name]();
      return 0;
    },
    () => {},
  );
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "start-steps-"));
  stateDir = join(root, ".wrangler", "state");
  write("templates/digest.mjml", "<mjml></mjml>\n");
  write("src/index.ts", "export {};\n");
  write("scripts/publish.ts", "// publish\n");
  write("content/a.md", "# A\n");
  write("package-lock.json", "{}\n");
  write("wrangler.toml", 'name = "x"\n');
  write(".dev.vars", "ADMIN_TOKEN=x\n");
  for (const m of MIGRATIONS) write(`migrations/${m}`, "SELECT 1;\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("npm start's steps", () => {
  it("runs everything on a fresh clone, and nothing on the next, unchanged start", () => {
    expect(start().ran).toEqual(["templates", "content", "digests"]);
    expect(start()).toEqual({
      ran: [],
      skipped: ["templates", "content", "migrations", "digests"],
    });
  });

  it("republishes and rebuilds the digests when an article changes, not the templates", () => {
    start();
    write("content/a.md", "# A, corrected\n");
    expect(start().ran).toEqual(["content", "digests"]);
    write("content/b.md", "# B\n");
    expect(start().ran).toEqual(["content", "digests"]);
  });

  it("rebuilds the templates when one changes, and when an output is gone", () => {
    start();
    write("templates/digest.mjml", "<mjml><mj-body></mj-body></mjml>\n");
    expect(start().ran).toContain("templates");
    rmSync(join(root, "src/generated/icon.ts"));
    expect(start().ran).toContain("templates");
    expect(start().ran).toEqual([]);
  });

  it("publishes (which applies migrations) when a migration is added", () => {
    start();
    write("migrations/0003_c.sql", "SELECT 3;\n");
    expect(start().ran).toEqual(["content", "digests"]);
  });

  it("applies a migration the database lacks even when nothing else changed", () => {
    start();
    database(["0001_a.sql"], published);
    expect(start().ran).toEqual(["migrations"]);
    expect(start().ran).toEqual([]);
  });

  it("publishes again when the database no longer serves what the last start published", () => {
    start();
    rmSync(join(stateDir, "v3"), { recursive: true });
    expect(start().ran).toEqual(["content", "digests"]);
    database(MIGRATIONS, "published-from-another-folder");
    expect(start().ran).toEqual(["content", "digests"]);
  });
});
