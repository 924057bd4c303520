/**
 * The preferences page's work: whose token it is, and changing their topics or pause. The token
 * is the reader's unsubscribe token (tokens.ts): the link that may stop the digest may as well
 * narrow or pause it, and every digest already carries it.
 */
import { parseTopics } from "../model/topic.ts";
import {
  type ReaderPreferences,
  readPreferences,
  setSubscriberPause,
  setSubscriberTopics,
} from "./preferences-store.ts";
import { unsubscribeTokenHolder } from "./service.ts";

/** The longest pause, in weeks: longer than a quarter and the reader should unsubscribe. */
export const MAX_PAUSE_WEEKS = 12;

/** The token holder's preferences, or null when the token is not valid. */
export async function preferencesOfToken(
  db: D1Database,
  secret: string,
  token: string,
): Promise<ReaderPreferences | null> {
  const id = await unsubscribeTokenHolder(db, secret, token);
  return id === null ? null : readPreferences(db, id);
}

export type PreferenceUpdate =
  | { readonly kind: "topics"; readonly values: readonly string[] }
  | { readonly kind: "pause"; readonly weeks: string };

export type UpdateResult = { ok: true; notice: string } | { ok: false; problem: string };

/** Applies one form's change for subscriber `id`, recorded in the consent record. */
export async function updatePreferences(
  db: D1Database,
  id: number,
  update: PreferenceUpdate,
  now: Date,
): Promise<UpdateResult> {
  if (update.kind === "topics") {
    const parsed = parseTopics(update.values);
    if (!parsed.ok) return { ok: false, problem: `Topics: ${parsed.problem}.` };
    await setSubscriberTopics(db, id, parsed.topics, "preferences", now);
    return {
      ok: true,
      notice:
        parsed.topics.length === 0
          ? "Saved: you will get everything."
          : `Saved: you will get only ${parsed.topics.join(", ")}.`,
    };
  }
  const weeks = /^\d{1,2}$/.test(update.weeks) ? Number(update.weeks) : NaN;
  if (!(weeks >= 0 && weeks <= MAX_PAUSE_WEEKS))
    return {
      ok: false,
      problem: `Pause: "weeks" must be a whole number from 0 (resume) to ${MAX_PAUSE_WEEKS}.`,
    };
  const until = weeks === 0 ? null : new Date(now.getTime() + weeks * 7 * 86_400_000);
  await setSubscriberPause(db, id, until, "preferences", now);
  return {
    ok: true,
    notice:
      until === null
        ? "Saved: the digest is resumed."
        : `Saved: paused for ${weeks} week${weeks === 1 ? "" : "s"}.`,
  };
}
