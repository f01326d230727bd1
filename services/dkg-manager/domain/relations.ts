import type { EdgeType, NodeLabel } from '../graph/graph-schema.js';

/** The relations a caller may set (HAS_VERSION is the registries' own). */
export const RELATION_TYPES = [
  'HAS_SKILL',
  'REQUIRES',
  'USES',
  'APPLIES_TO',
  'DERIVED_FROM',
  'MANAGES',
] as const satisfies readonly EdgeType[];
export type RelationType = (typeof RELATION_TYPES)[number];

export interface RelationRule {
  readonly from: readonly NodeLabel[];
  readonly to: readonly NodeLabel[];
  /** HAS_SKILL carries the agent's declared level in the skill. */
  readonly level: boolean;
  /** The 409 code when the relation would close a cycle; undefined where cycles are allowed. */
  readonly acyclic?: 'lineage_cycle' | 'hierarchy_cycle';
}

/** Which labels each relation joins: agent HAS_SKILL skill, version DERIVED_FROM version, ... */
export const RELATION_RULES: Readonly<Record<RelationType, RelationRule>> = {
  HAS_SKILL: { from: ['Agent'], to: ['Skill'], level: true },
  REQUIRES: { from: ['Skill'], to: ['Tool'], level: false },
  USES: { from: ['Strategy'], to: ['Tool'], level: false },
  APPLIES_TO: { from: ['Strategy'], to: ['TaskType', 'Skill'], level: false },
  DERIVED_FROM: { from: ['Version'], to: ['Version'], level: false, acyclic: 'lineage_cycle' },
  MANAGES: { from: ['Agent'], to: ['Agent'], level: false, acyclic: 'hierarchy_cycle' },
};

/** A skill level runs from 1 (aware) to 5 (expert). */
export const SKILL_LEVELS = { min: 1, max: 5 } as const;

/** Why the labels do not fit the rule, or undefined when they do. */
export function labelMismatch(
  rule: RelationRule,
  end: 'from' | 'to',
  label: NodeLabel,
): string | undefined {
  const allowed = rule[end];
  const a = (word: string) => `${/^[AEIOU]/.test(word) ? 'an' : 'a'} ${word}`;
  return allowed.includes(label)
    ? undefined
    : `must be ${allowed.map(a).join(' or ')}, not ${a(label)}`;
}
