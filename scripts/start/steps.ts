/**
 * What `npm start` does before `wrangler dev`, and when each step can be skipped:
 *
 *   templates   src/generated/ (email templates, icon, build id): when templates/, src/, the
 *               build scripts or package-lock.json changed, or an output is missing.
 *   migrations  when a file in migrations/ is not applied to the local database yet (and
 *               publish, which applies them itself, does not run).
 *   content     `npm run publish`: when content/ or the code, configuration or migrations
 *               changed since the last publish npm start ran, or the database no longer serves
 *               what that publish left (deleted, or another folder published to it since).
 *   digests     `npm run digest -- --all --rebuild`: when the published content version or the
 *               code that builds digests changed since the last rebuild.
 *
 * Inputs are fingerprinted (fingerprint.ts), and each step's stamp (stamps.ts) lives in the
 * state directory, next to the database it describes: deleting .wrangler/state redoes them all.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fingerprint } from "./fingerprint.ts";
import { type LocalD1State, readLocalD1 } from "./local-d1.ts";
import type { StampStore } from "./stamps.ts";

/** One step: whether it must run now, and how. */
export interface StartStep {
  readonly name: "templates" | "migrations" | "content" | "digests";
  /** Why it must run, or null when it is up to date. Asked right before it would run. */
  readonly staleBecause: () => string | null;
  /** Node scripts (relative to the project) to run in order, each with its arguments. */
  readonly commands: readonly (readonly string[])[];
  /** Called after the commands succeeded: records what the step is now up to date with. */
  readonly done: () => void;
}

export interface StepContext {
  readonly root: string;
  /** wrangler's local state directory (.wrangler/state). */
  readonly stateDir: string;
  readonly stamps: StampStore;
}

/** Generated at build time; built by the first step, and not an input of any step. */
const GENERATED = "src/generated/";
const GENERATED_OUTPUTS = ["email-templates.ts", "icon.ts", "build-id.ts"];

/** What the Worker and the scripts are made of, and how they are configured. */
const CODE = ["src", "scripts", "templates", "migrations", "package-lock.json", "wrangler.toml"];

export const TEMPLATE_INPUTS = ["templates", "src", "scripts", "package-lock.json"];
export const CONTENT_INPUTS = ["content", ".dev.vars", ...CODE];
export const DIGEST_INPUTS = CONTENT_INPUTS;

/** The steps, in the order they run. */
export function startSteps(ctx: StepContext): StartStep[] {
  const { root, stamps } = ctx;
  const hash = (inputs: readonly string[]) =>
    fingerprint(root, inputs, (rel) => rel.startsWith(GENERATED));
  const db = (): LocalD1State | null => readLocalD1(ctx.stateDir);

  const templates: StartStep = {
    name: "templates",
    staleBecause() {
      const missing = GENERATED_OUTPUTS.filter((f) => !existsSync(join(root, GENERATED, f)));
      if (missing.length > 0) return `src/generated/${missing[0]} is missing`;
      return stamps.isCurrent("templates", hash(TEMPLATE_INPUTS))
        ? null
        : "templates/, src/ or the build scripts changed";
    },
    commands: [["scripts/build-templates.ts"], ["scripts/make-icon.ts"], ["scripts/build-id.ts"]],
    done: () => stamps.record("templates", hash(TEMPLATE_INPUTS)),
  };

  // Publish applies the migrations first, so this step only runs when publish does not.
  const content: StartStep = {
    name: "content",
    staleBecause() {
      const state = db();
      if (state === null || state.contentToken === null) return "the local database is empty";
      return stamps.isCurrent("content", `${hash(CONTENT_INPUTS)} ${state.contentToken}`)
        ? null
        : "content/ or the code changed since the last publish npm start ran";
    },
    commands: [["scripts/publish.ts", "--quiet"]],
    done() {
      const token = db()?.contentToken;
      if (token) stamps.record("content", `${hash(CONTENT_INPUTS)} ${token}`);
      else stamps.forget("content");
    },
  };

  const migrations: StartStep = {
    name: "migrations",
    staleBecause() {
      const pending = pendingMigrations(root, db());
      return pending.length === 0 ? null : `${pending[0]} is not applied yet`;
    },
    commands: [
      ["node_modules/wrangler/bin/wrangler.js", "d1", "migrations", "apply", "DB", "--local"],
    ],
    done: () => {},
  };

  const digests: StartStep = {
    name: "digests",
    staleBecause() {
      const token = db()?.contentToken ?? "none";
      return stamps.isCurrent("digests", `${hash(DIGEST_INPUTS)} ${token}`)
        ? null
        : "the published content or the code changed since the last rebuild";
    },
    commands: [["scripts/digest.ts", "--all", "--rebuild", "--quiet"]],
    done() {
      const token = db()?.contentToken ?? "none";
      stamps.record("digests", `${hash(DIGEST_INPUTS)} ${token}`);
    },
  };

  return [templates, content, migrations, digests];
}

/** Migration files not yet applied to the local database (all of them when it is unknown). */
export function pendingMigrations(root: string, state: LocalD1State | null): string[] {
  const files = readdirSync(join(root, "migrations"))
    .filter((f) => f.endsWith(".sql"))
    .sort();
  return files.filter((f) => !state?.appliedMigrations.has(f));
}
