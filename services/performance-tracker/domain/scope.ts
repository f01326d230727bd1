/**
 * Who a scorecard is about: an agent over all its skills, an agent in one skill, or a skill over
 * all agents. `ALL` stands for "every" in either place, as the rows are keyed.
 */
export const ALL = '*';

/** A scorecard's key besides its window. */
export interface Scope {
  /** An agent id, or ALL. */
  readonly agentId: string;
  /** A normalised skill, or ALL. */
  readonly skill: string;
}

/** Longest skill kept (the record's bound). */
export const MAX_SKILL_LENGTH = 200;

/**
 * The form a skill is kept and looked up in: trimmed and lower-cased, so `Sorting` and
 * ` sorting` are one skill; undefined for a record without one (or only blanks).
 */
export function skillKey(skill: string | undefined): string | undefined {
  const key = skill?.trim().toLowerCase();
  return key ? key.slice(0, MAX_SKILL_LENGTH) : undefined;
}

/**
 * The scopes one run of `agentId` in `skill` changes that are recomputed as it is taken in: its
 * agent's, and with a skill its agent's in that skill. Both sum one agent's runs only. The
 * third scope it changes, its skill over every agent, is recomputed once per batch of runs
 * (`refreshSkillScorecards`), from the rankings it marks.
 */
export function agentScopesOfRun(agentId: string, skill: string | undefined): Scope[] {
  return [{ agentId, skill: ALL }, ...(skill === undefined ? [] : [{ agentId, skill }])];
}
