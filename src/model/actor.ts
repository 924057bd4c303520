/**
 * The watch list (content/actors.yaml): the countries, leaders, institutions and organizations
 * the weekly summary follows. Validated and generated at build time by scripts/content/actors.ts.
 */
export type ActorKind = "country" | "leader" | "institution" | "organization";
export type ActorSide = "axis" | "counterpart";

export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly kind: ActorKind;
  readonly side: ActorSide;
  /** The country or organization a leader or institution rolls up to; null for top level. */
  readonly partOf: string | null;
  readonly aliases: readonly string[];
}
